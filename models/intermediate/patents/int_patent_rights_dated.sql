-- In-force periods split by holder: [valid_from, valid_to) in which a patent is in force
-- AND held by one holder. A stock at D counts the rows with valid_from <= D < valid_to.
with

int_patent_validity_dated as (
    select * from {{ ref('int_patent_validity_dated') }}
),

int_patent_holders_dated as (
    select * from {{ ref('int_patent_holders_dated') }}
),

final as (
    select
        validity.patent_id,
        validity.patent_type,
        validity.application_date,
        validity.grant_date,
        validity.term_end_date,
        greatest(validity.valid_from, holders.held_from) as valid_from,
        least(validity.valid_to, holders.held_to) as valid_to,
        holders.holder,
        holders.address as holder_address,
        holders.unit_code,
        holders.is_in_jingzhou
    from int_patent_validity_dated as validity
    inner join int_patent_holders_dated as holders
        on
            validity.patent_id = holders.patent_id
            and validity.valid_from < holders.held_to
            and validity.valid_to > holders.held_from
)

select * from final
