-- Pilot and demonstration units (试点示范单位) with level and active period.
with

raw_designations as (
    select * from {{ source('raw', 'raw_designations') }}
),

latest as (
    select *
    from raw_designations
    {{ latest_delivery('unit_name, level, batch') }}
),

final as (
    select
        unit_name as designated_unit,
        category,
        case when level like '%国家%' then 'national' else 'provincial' end as designation_level,
        batch,
        start_date,
        end_date,
        coalesce(unit, '421000') as unit_code,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
