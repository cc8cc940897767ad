-- Periods [valid_from, valid_to) in which each registered trademark is in force (counting-rules.md
-- §2): the exclusive-right term runs 10 years from registration (last day: start + 10 y - 1 d);
-- each renewal adds 10 years from the day after the old end, in force from the later of the
-- renewal and the old end (a mark in its grace period is not valid unless renewed; var
-- trademark_grace_months_counted can count N grace months). A cancellation, revocation or
-- invalidation ends it.
with

stg_raw__trademarks as (
    select * from {{ ref('stg_raw__trademarks') }}
),

stg_raw__trademark_events as (
    select * from {{ ref('stg_raw__trademark_events') }}
),

renewals as (
    select
        registration_number,
        event_date as renewed_on,
        row_number() over (partition by registration_number order by event_date) as renewal_no
    from stg_raw__trademark_events
    where event_code = 'renewal'
),

ends as (
    select
        registration_number,
        min(event_date) as ended_on
    from stg_raw__trademark_events
    where event_code in ('cancellation', 'revocation', 'invalidation')
    group by registration_number
),

terms as (
    select
        trademark_id,
        registration_number,
        registration_date as term_start,
        0 as term_no
    from stg_raw__trademarks
    where registration_date is not null
    union all
    select
        marks.trademark_id,
        marks.registration_number,
        greatest(renewals.renewed_on, marks.registration_date + to_years(10 * renewals.renewal_no))
            as term_start,
        renewals.renewal_no as term_no
    from stg_raw__trademarks as marks
    inner join renewals on marks.registration_number = renewals.registration_number
    where marks.registration_date is not null
),

final as (
    select
        terms.trademark_id,
        terms.term_no,
        terms.term_start::date as valid_from,
        least(
            (
                marks.registration_date + to_years(10 * (terms.term_no + 1))
                + to_months({{ var('trademark_grace_months_counted') }})
            )::date,
            coalesce(ends.ended_on, date '9999-12-31')
        ) as valid_to,
        (marks.registration_date + to_years(10 * (terms.term_no + 1)) - interval 1 day)::date
            as term_last_day,
        ends.ended_on
    from terms
    inner join stg_raw__trademarks as marks on terms.trademark_id = marks.trademark_id
    left join ends on terms.registration_number = ends.registration_number
)

select * from final
where valid_from < valid_to
