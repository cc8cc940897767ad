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

windows as (
    select
        *,
        {{ renewed_term_no('registration_date', 'renewed_on') }} as renewed_term_no
    from renewals
),

final as (
    select
        trademark_id,
        renewed_on,
        renewed_term_no,
        renewed_term_no is not null
        and row_number() over (
            partition by trademark_id, renewed_term_no
            order by renewed_on
        ) = 1 as is_counted,
        source_file,
        source_row
    from windows
)

select * from final
