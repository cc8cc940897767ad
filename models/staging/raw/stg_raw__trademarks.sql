-- One row per registration number and class; the latest delivery wins. Madrid
-- international registrations (numbers starting with G) are flagged, not dropped.
with

raw_trademarks as (
    select * from {{ source('raw', 'raw_trademarks') }}
),

latest as (
    select *
    from raw_trademarks
    qualify row_number() over (
        partition by registration_number, nice_class
        order by _load_id desc, _row desc
    ) = 1
),

final as (
    select
        registration_number || '/' || nice_class::varchar as trademark_id,
        registration_number,
        nice_class,
        mark_name,
        mark_type,
        applicant as registrant,
        address as registrant_address,
        application_date,
        registration_date,
        starts_with(registration_number, 'G') as is_madrid,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
