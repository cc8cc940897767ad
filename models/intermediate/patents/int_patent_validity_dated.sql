-- Periods [valid_from, valid_to) in which each granted patent is in force (counting-rules.md §2):
-- from grant; a lapse (unpaid annuity) suspends it until a restoration; abandonment, total
-- invalidation (from its announcement), an expiry event or the statutory term end it for good.
-- Partial invalidation and informational events change nothing.
with

stg_raw__patents as (
    select * from {{ ref('stg_raw__patents') }}
),

stg_raw__patent_events as (
    select * from {{ ref('stg_raw__patent_events') }}
),

granted as (
    select
        patent_id,
        patent_type,
        application_date,
        grant_date,
        (application_date + to_years(
            case
                when patent_type = 'invention' then {{ var('invention_term_years') }}
                when patent_type = 'utility_model' then {{ var('utility_model_term_years') }}
                when application_date < date '2021-06-01'
                    then {{ var('design_term_years_before_2021_06_01') }}
                else {{ var('design_term_years') }}
            end
        ))::date as term_end_date
    from stg_raw__patents
    where grant_date is not null
),

-- a total invalidation counts from its announcement, so years already published keep it
final_ends as (
    select
        patent_id,
        min(
            case
                when event_code = 'invalidation_total' then coalesce(announcement_date, event_date)
                else event_date
            end
        ) as ended_date
    from stg_raw__patent_events
    where event_code in ('abandonment', 'invalidation_total', 'expiry')
    group by patent_id
),

suspensions as (
    select
        patent_id,
        event_date,
        event_code,
        lag(event_code) over (
            partition by patent_id
            order by event_date, case when event_code = 'lapse' then 0 else 1 end
        ) as previous_code
    from stg_raw__patent_events
    where event_code in ('lapse', 'restoration')
),

-- only real state changes: a lapse of a patent in force, a restoration of a lapsed one
state_changes as (
    select
        patent_id,
        event_date as changed_on,
        case when event_code = 'lapse' then 0 else 1 end as is_in_force
    from suspensions
    where
        (event_code = 'lapse' and coalesce(previous_code, 'restoration') = 'restoration')
        or (event_code = 'restoration' and previous_code = 'lapse')
),

changes as (
    select
        patent_id,
        grant_date as changed_on,
        1 as is_in_force
    from granted
    union all
    select * from state_changes
),

periods as (
    select
        patent_id,
        changed_on as valid_from,
        is_in_force,
        lead(changed_on, 1, date '9999-12-31') over (
            partition by patent_id order by changed_on, is_in_force
        ) as next_change
    from changes
),

final as (
    select
        periods.patent_id,
        granted.patent_type,
        granted.application_date,
        granted.grant_date,
        granted.term_end_date,
        final_ends.ended_date,
        periods.valid_from,
        least(
            periods.next_change, granted.term_end_date, coalesce(final_ends.ended_date, date '9999-12-31')
        ) as valid_to
    from periods
    inner join granted on periods.patent_id = granted.patent_id
    left join final_ends on periods.patent_id = final_ends.patent_id
    where periods.is_in_force = 1
)

select * from final
where valid_from < valid_to
