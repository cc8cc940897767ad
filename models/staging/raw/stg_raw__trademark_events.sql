-- Trademark events by registration number (an event applies to every class of the number).
with

raw_trademark_events as (
    select * from {{ source('raw', 'raw_trademark_events') }}
),

latest as (
    select *
    from raw_trademark_events
    {{ latest_delivery('registration_number, event_date, event') }}
),

final as (
    select
        registration_number,
        event_date,
        event as event_code,
        event_text,
        new_holder,
        new_address,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
