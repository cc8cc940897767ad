with

raw_awards as (
    select * from {{ source('raw', 'raw_awards') }}
),

latest as (
    select *
    from raw_awards
    qualify row_number() over (
        partition by patent_number, award, year
        order by _load_id desc, _row desc
    ) = 1
),

final as (
    select
        patent_number as patent_id,
        award,
        year as award_year,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
