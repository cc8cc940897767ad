-- Who holds each patent when: from filing, the first applicant; from each transfer's
-- effective date, the new holder. [held_from, held_to) with the holder's reporting unit.
-- An address naming 荆州市 but no unit is silent on the unit: the first applicant's USCC
-- region code (characters 3–8, the registering authority) then gives it, as a hint only —
-- it never overrides an address that names a unit or a place outside Jingzhou.
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

reporting_units as (
    select * from {{ ref('reporting_units') }}
),

uscc_region_units as (
    select
        unit_code as region_code,
        unit_code
    from reporting_units
    where not is_project_code and unit_kind != 'city'
    union all
    select
        former_code as region_code,
        unit_code
    from reporting_units
    where former_code is not null
),

uscc_hints as (
    select
        stg_raw__patents.patent_id,
        uscc_region_units.unit_code
    from stg_raw__patents
    inner join uscc_region_units
        on substr(stg_raw__patents.uscc, 3, 6) = uscc_region_units.region_code
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
        periods.right_id as patent_id,
        periods.held_from,
        periods.held_to,
        periods.holder,
        periods.address,
        periods.is_first_holder,
        case
            when periods.unit_code = '421099'
                then coalesce(uscc_hints.unit_code, periods.unit_code)
            else periods.unit_code
        end as unit_code,
        case
            when
                periods.unit_code = '421099'
                and uscc_hints.unit_code is not null
                then 'uscc_hint'
            when periods.unit_code is not null then 'address'
        end as unit_source,
        periods.is_in_jingzhou
    from holder_periods_attributed as periods
    left join uscc_hints
        on
            periods.right_id = uscc_hints.patent_id
            and periods.is_first_holder  -- the first applicant's own period
)

select * from final
