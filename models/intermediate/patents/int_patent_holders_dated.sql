-- Who holds each patent when: from filing, the first applicant; from each transfer's
-- effective date, the new holder. [held_from, held_to) with the holder's reporting unit.
with

stg_raw__patents as (
    select * from {{ ref('stg_raw__patents') }}
),

stg_raw__patent_events as (
    select * from {{ ref('stg_raw__patent_events') }}
),

int_addresses_attributed as (
    select * from {{ ref('int_addresses_attributed') }}
),

holder_changes as (
    select
        patent_id as right_id,
        date '1900-01-01' as held_from,
        first_applicant as holder,
        first_applicant_address as address,
        0 as change_order
    from stg_raw__patents
    union all
    select
        patent_id as right_id,
        event_date as held_from,
        new_holder as holder,
        new_address as address,
        1 as change_order
    from stg_raw__patent_events
    where event_code = 'transfer'
),

{{ holder_periods('holder_changes', 'int_addresses_attributed') }},

final as (
    select
        right_id as patent_id,
        held_from,
        held_to,
        holder,
        address,
        unit_code,
        is_in_jingzhou
    from holder_periods_attributed
)

select * from final
