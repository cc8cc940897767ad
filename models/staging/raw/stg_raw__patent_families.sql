with

raw_patent_families as (
    select * from {{ source('raw', 'raw_patent_families') }}
),

latest as (
    select *
    from raw_patent_families
    qualify row_number() over (
        partition by application_number, member
        order by _load_id desc, _row desc
    ) = 1
),

final as (
    select
        application_number as patent_id,
        member,
        upper(country) as country,
        coalesce(granted in ('是', 'Y', 'y', 'yes', '1', 'true'), false) as is_granted,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
