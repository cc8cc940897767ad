-- In-force periods of each trademark split by holder period. A mark is in unit U's stock at
-- D when a row has unit_code = U and valid_from <= D < valid_to.
with

int_trademark_terms_dated as (
    select * from {{ ref('int_trademark_terms_dated') }}
),

int_trademark_holders_dated as (
    select * from {{ ref('int_trademark_holders_dated') }}
),

stg_raw__trademarks as (
    select * from {{ ref('stg_raw__trademarks') }}
),

final as (
    select
        terms.trademark_id,
        marks.registration_number,
        marks.nice_class,
        marks.mark_name,
        marks.is_madrid,
        marks.registration_date,
        terms.term_no,
        greatest(terms.valid_from, holders.held_from) as valid_from,
        least(terms.valid_to, holders.held_to) as valid_to,
        holders.holder,
        holders.address as holder_address,
        holders.unit_code,
        holders.is_in_jingzhou,
        marks.source_file,
        marks.source_row
    from int_trademark_terms_dated as terms
    inner join stg_raw__trademarks as marks on terms.trademark_id = marks.trademark_id
    inner join int_trademark_holders_dated as holders
        on
            terms.trademark_id = holders.trademark_id
            and terms.valid_from < holders.held_to
            and terms.valid_to > holders.held_from
)

select * from final
