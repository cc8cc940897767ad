-- Grain: one row per granted patent, attributed to the holder at its grant date.
with

stg_raw__patents as (
    select * from {{ ref('stg_raw__patents') }}
),

int_patent_holders_dated as (
    select * from {{ ref('int_patent_holders_dated') }}
),

final as (
    select
        patents.patent_id,
        patents.patent_type,
        patents.title,
        patents.application_date,
        patents.grant_date,
        year(patents.grant_date) as grant_year,
        holders.holder,
        holders.address as holder_address,
        holders.unit_code,
        holders.is_in_jingzhou,
        patents.source_file,
        patents.source_row,
        patents.load_id
    from stg_raw__patents as patents
    inner join int_patent_holders_dated as holders
        on
            patents.patent_id = holders.patent_id
            and patents.grant_date >= holders.held_from
            and patents.grant_date < holders.held_to
    where patents.grant_date is not null
)

select * from final
