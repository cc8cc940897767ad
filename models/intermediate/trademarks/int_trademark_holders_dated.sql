-- Who holds each registered trademark when (transfers apply to every class of a number).
with

stg_raw__trademarks as (
    select * from {{ ref('stg_raw__trademarks') }}
),

stg_raw__trademark_events as (
    select * from {{ ref('stg_raw__trademark_events') }}
),

int_addresses_attributed as (
    select * from {{ ref('int_addresses_attributed') }}
),

holder_changes as (
    select
        trademark_id as right_id,
        date '1900-01-01' as held_from,
        registrant as holder,
        registrant_address as address,
        0 as change_order
    from stg_raw__trademarks
    union all
    select
        marks.trademark_id as right_id,
        events.event_date as held_from,
        events.new_holder as holder,
        events.new_address as address,
        1 as change_order
    from stg_raw__trademark_events as events
    inner join stg_raw__trademarks as marks
        on events.registration_number = marks.registration_number
    where events.event_code = 'transfer'
),

{{ holder_periods('holder_changes', 'int_addresses_attributed') }},

final as (
    select
        right_id as trademark_id,
        held_from,
        held_to,
        holder,
        address,
        is_first_holder,
        unit_code,
        is_in_jingzhou
    from holder_periods_attributed
)

select * from final
