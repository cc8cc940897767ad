-- Periods [valid_from, valid_to) in which each registered trademark is in force (counting-rules.md
-- §2): term k runs from registration + 10k years to its last day, registration + 10(k + 1) years
-- - 1 day. A mark reaches the terms up to the one after the last term renewed (a renewal of
-- term k implies that the terms before it were renewed, delivered or not); a renewed term
-- continues from the later of its renewal and the old end, so a mark renewed in its grace
-- period is not in force in between. Var trademark_grace_months_counted counts N grace months
-- after a term that is not (yet) renewed; terms never overlap, so a mark is counted once. A
-- cancellation, revocation or invalidation ends it.
with

stg_raw__trademarks as (
    select * from {{ ref('stg_raw__trademarks') }}
),

stg_raw__trademark_events as (
    select * from {{ ref('stg_raw__trademark_events') }}
),

int_trademark_renewals_matched as (
    select * from {{ ref('int_trademark_renewals_matched') }}
),

counted_renewals as (
    select
        trademark_id,
        renewed_term_no,
        renewed_on
    from int_trademark_renewals_matched
    where is_counted
),

last_terms as (
    select
        marks.trademark_id,
        coalesce(max(counted_renewals.renewed_term_no) + 1, 0) as last_term_no
    from stg_raw__trademarks as marks
    left join counted_renewals on marks.trademark_id = counted_renewals.trademark_id
    where marks.registration_date is not null
    group by marks.trademark_id
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
        marks.trademark_id,
        marks.registration_number,
        marks.registration_date,
        terms.term_no,
        (marks.registration_date + to_years(10 * terms.term_no::integer))::date as term_start,
        (marks.registration_date + to_years(10 * (terms.term_no + 1)::integer))::date as term_end,
        renewal.renewed_on,
        terms.term_no < last_terms.last_term_no as is_renewed,
        -- when the next term starts (a renewal after the end: from the renewal)
        greatest(
            (marks.registration_date + to_years(10 * (terms.term_no + 1)::integer))::date,
            coalesce(own_renewal.renewed_on, date '0001-01-01')
        ) as next_term_start
    from stg_raw__trademarks as marks
    inner join last_terms on marks.trademark_id = last_terms.trademark_id
    cross join range(0, 100) as terms (term_no)
    left join counted_renewals as renewal
        on
            marks.trademark_id = renewal.trademark_id
            and terms.term_no = renewal.renewed_term_no + 1
    left join counted_renewals as own_renewal
        on
            marks.trademark_id = own_renewal.trademark_id
            and terms.term_no = own_renewal.renewed_term_no
    where terms.term_no <= last_terms.last_term_no
),

final as (
    select
        terms.trademark_id,
        terms.term_no,
        greatest(terms.term_start, coalesce(terms.renewed_on, terms.term_start)) as valid_from,
        least(
            (terms.term_end + to_months({{ var('trademark_grace_months_counted') }}))::date,
            case when terms.is_renewed then terms.next_term_start end,
            coalesce(ends.ended_on, date '9999-12-31')
        ) as valid_to,
        (terms.term_end - interval 1 day)::date as term_last_day,
        ends.ended_on
    from terms
    left join ends on terms.registration_number = ends.registration_number
)

select * from final
where valid_from < valid_to
