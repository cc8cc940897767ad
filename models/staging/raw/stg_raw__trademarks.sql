-- One row per registration number, the latest delivery winning: the class is a property of the
-- registration, so a re-delivery that corrects it replaces the row (counting-rules.md §2).
-- Madrid international registrations (numbers starting with G) are flagged, not dropped.
with

raw_trademarks as (
    select * from {{ source('raw', 'raw_trademarks') }}
),

latest as (
    select *
    from raw_trademarks
    {{ latest_delivery('registration_number') }}
),

final as (
    select
        registration_number as trademark_id,
        registration_number,
        nice_class,
        mark_name,
        mark_type,
        applicant as registrant,
        address as registrant_address,
        application_date,
        registration_date,
        starts_with(registration_number, 'G') as is_madrid,
        -- 驰名商标 `是(2015年认定)`: the recognition year; `是` alone counts from any year
        case
            when well_known similar to '.*(是|Y|y|驰名).*'
                then coalesce(try_cast(regexp_extract(well_known, '(\d{4})', 1) as integer), 1985)
        end as well_known_since_year,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
