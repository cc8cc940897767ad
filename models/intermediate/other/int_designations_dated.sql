-- Pilot/demonstration designations with their active period [valid_from, valid_to); the
-- end date is the last active day. City-wide entries are attributed to 市本级 (421099).
with

stg_raw__designations as (
    select * from {{ ref('stg_raw__designations') }}
),

final as (
    select
        designated_unit,
        category,
        designation_level,
        batch,
        start_date as valid_from,
        coalesce(end_date + interval 1 day, date '9999-12-31')::date as valid_to,
        case when unit_code = '421000' then '421099' else unit_code end as unit_code,
        source_file,
        source_row
    from stg_raw__designations
)

select * from final
