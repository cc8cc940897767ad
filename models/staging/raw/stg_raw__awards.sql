-- Patent awards with their level: national when the name begins with one of the seed
-- award_levels (a grade may follow), else a provincial, city or county award (ingestion
-- quarantines any other name). Only national awards make a patent high-value
-- (counting-rules.md §2, criterion 5); the others are kept and shown.
with

raw_awards as (
    select * from {{ source('raw', 'raw_awards') }}
),

award_levels as (
    select * from {{ ref('award_levels') }}
),

latest as (
    select *
    from raw_awards
    {{ latest_delivery('patent_number, award, year') }}
),

final as (
    select
        latest.patent_number as patent_id,
        latest.award,
        coalesce(
            (
                select any_value(award_levels.award_level)
                from award_levels
                where starts_with(latest.award, award_levels.award_name)
            ),
            'lower'
        ) as award_level,
        latest.year as award_year,
        latest._load_id as load_id,
        latest._file as source_file,
        latest._row as source_row
    from latest
)

select * from final
