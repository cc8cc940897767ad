-- GI register entries with their periods in force [valid_from, valid_to) and reporting unit
-- (counting-rules.md §2). A GI trademark is in force while its registration is: as the
-- trademark register has it (terms, renewals, cancellations) when the register holds the
-- number; else for its first ten-year term from approval, extended by the renewal the GI file
-- delivers (to the end of the term after the one whose window holds it), flagged
-- validity_from = gi_register. A GI protected product or agricultural GI is in force from
-- approval until revoked. An entry for the city as a whole goes to 市本级 (421099) so units
-- sum to the city.
with

stg_raw__geographic_indications as (
    select * from {{ ref('stg_raw__geographic_indications') }}
),

int_trademark_terms_dated as (
    select * from {{ ref('int_trademark_terms_dated') }}
),

in_trademark_register as (
    select
        gi.gi_id,
        terms.valid_from,
        least(terms.valid_to, coalesce(gi.revoke_date, date '9999-12-31')) as valid_to,
        'trademark_register' as validity_from
    from stg_raw__geographic_indications as gi
    inner join int_trademark_terms_dated as terms on gi.registration_number = terms.trademark_id
    where gi.gi_scheme = 'gi_trademark'
),

from_gi_register as (
    select
        gi.gi_id,
        gi.approval_date as valid_from,
        least(
            case
                when gi.gi_scheme != 'gi_trademark' then date '9999-12-31'
                -- the first term, and the next one after the term a renewal renews
                else (
                    gi.approval_date
                    + to_years(
                        10 * (
                            coalesce(
                                {{ renewed_term_no('gi.approval_date', 'gi.renewal_date') }}, -1
                            ) + 2
                        )::integer
                    )
                )::date
            end,
            coalesce(gi.revoke_date, date '9999-12-31')
        ) as valid_to,
        'gi_register' as validity_from
    from stg_raw__geographic_indications as gi
    where gi.gi_id not in (select in_trademark_register.gi_id from in_trademark_register)
),

periods as (
    select * from in_trademark_register
    union all
    select * from from_gi_register
),

final as (
    select
        gi.gi_id,
        gi.gi_name,
        gi.gi_scheme,
        gi.scheme_text,
        gi.registration_number,
        gi.holder,
        periods.valid_from,
        periods.valid_to,
        periods.validity_from,
        case when gi.unit_code = '421000' then '421099' else gi.unit_code end as unit_code,
        gi.gi_scheme in ('gi_trademark', 'gi_product') as counts_in_total,
        gi.source_file,
        gi.source_row
    from stg_raw__geographic_indications as gi
    inner join periods on gi.gi_id = periods.gi_id
    where periods.valid_from < periods.valid_to
)

select * from final
