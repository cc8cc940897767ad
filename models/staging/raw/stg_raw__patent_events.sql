-- Legal events with their effective date (生效日, else the announcement date) and, when
-- delivered, their announcement date (法律状态公告日); a re-delivered event is kept once.
with

raw_patent_events as (
    select * from {{ source('raw', 'raw_patent_events') }}
),

latest as (
    select *
    from raw_patent_events
    {{ latest_delivery('application_number, event_date, event') }}
),

final as (
    select
        application_number as patent_id,
        event_date,
        announcement_date,
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
