-- Patent family members. China written any way (CN, CHN, 中国, China, 中华人民共和国) is CN;
-- a file without 是否授权 leaves every member's grant unknown (null), never "not granted"
-- (counting-rules.md §2, high-value criterion 2).
with

raw_patent_families as (
    select * from {{ source('raw', 'raw_patent_families') }}
),

latest as (
    select *
    from raw_patent_families
    {{ latest_delivery('application_number, member') }}
),

final as (
    select
        application_number as patent_id,
        member,
        case
            when upper(trim(country)) in ('CN', 'CHN', 'CHINA', '中国', '中华人民共和国', 'P.R.CHINA')
                then 'CN'
            else upper(trim(country))
        end as country,
        case
            when granted is null then null
            else lower(trim(granted)) in ('是', 'y', 'yes', '1', 'true', '已授权', '授权')
        end as is_granted,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
