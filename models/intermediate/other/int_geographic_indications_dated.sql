-- GI register entries with their validity [valid_from, valid_to) and reporting unit. An
-- entry for the city as a whole is attributed to 市本级 (421099) so units sum to the city.
with

stg_raw__geographic_indications as (
    select * from {{ ref('stg_raw__geographic_indications') }}
),

final as (
    select
        gi_name,
        gi_scheme,
        scheme_text,
        registration_number,
        holder,
        approval_date as valid_from,
        coalesce(revoke_date, date '9999-12-31') as valid_to,
        case when unit_code = '421000' then '421099' else unit_code end as unit_code,
        gi_scheme in ('gi_trademark', 'gi_product') as counts_in_total,
        source_file,
        source_row
    from stg_raw__geographic_indications
)

select * from final
