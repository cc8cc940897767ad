-- Each delivered renewal (续展) of a registered mark and the term it renews
-- (counting-rules.md §2): the term whose statutory window holds it, from 12 months before the
-- term's end to 6 months after. renewed_term_no is empty for a renewal outside every window:
-- it renews nothing and is reported on the data-quality page. Of two renewals of one term
-- (a re-delivery with another date) the earlier counts.
with

stg_raw__trademarks as (
    select * from {{ ref('stg_raw__trademarks') }}
),

stg_raw__trademark_events as (
    select * from {{ ref('stg_raw__trademark_events') }}
),

renewals as (
    select
        marks.trademark_id,
        marks.registration_date,
        events.event_date as renewed_on,
        events.source_file,
        events.source_row
    from stg_raw__trademark_events as events
    inner join stg_raw__trademarks as marks
        on events.registration_number = marks.registration_number
    where events.event_code = 'renewal' and marks.registration_date is not null
),

-- term k ends 10 × (k + 1) years after registration
windows as (
    select
        renewals.*,
        terms.k as renewed_term_no
    from renewals
    cross join range(0, 100) as terms (k)
    where
        renewals.renewed_on
        >= renewals.registration_date + to_years(10 * (terms.k + 1)::integer) - to_months(12)
        and renewals.renewed_on
        < renewals.registration_date + to_years(10 * (terms.k + 1)::integer) + to_months(6)
),

final as (
    select
        renewals.trademark_id,
        renewals.renewed_on,
        windows.renewed_term_no,
        windows.renewed_term_no is not null
        and row_number() over (
            partition by renewals.trademark_id, windows.renewed_term_no
            order by renewals.renewed_on
        ) = 1 as is_counted,
        renewals.source_file,
        renewals.source_row
    from renewals
    left join windows
        on
            renewals.trademark_id = windows.trademark_id
            and renewals.renewed_on = windows.renewed_on
)

select * from final
