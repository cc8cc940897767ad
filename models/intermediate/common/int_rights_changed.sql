{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ 'delete from ' ~ this if is_incremental() else 'select 1' }}"
) }}

-- Grain: one row per right (patent or trademark) whose records the right timeline models
-- recompute in this build: delivered again, or given an event, by a load after the build's
-- boundary (macros/delta_after_load_id.sql; outside a delta build every load is new, so
-- every right). Computed once per build: each of the eight timeline models used to work
-- the set out twice (its delete pre-hook and its filter), two scans of the staging tables
-- each time. A first build (the table does not exist yet) has no timeline to update and
-- writes no row; `after_load_id` lets the readers ignore a set left by an earlier build.
with

stg_raw__patents as (
    select * from {{ ref('stg_raw__patents') }}
),

stg_raw__patent_events as (
    select * from {{ ref('stg_raw__patent_events') }}
),

stg_raw__trademarks as (
    select * from {{ ref('stg_raw__trademarks') }}
),

stg_raw__trademark_events as (
    select * from {{ ref('stg_raw__trademark_events') }}
),

boundary as (
    select {{ delta_after_load_id() }} as after_load_id
),

patents as (
    select patents.patent_id as right_id from stg_raw__patents as patents
    where patents.load_id > (select boundary.after_load_id from boundary)
    union
    select events.patent_id from stg_raw__patent_events as events
    where events.load_id > (select boundary.after_load_id from boundary)
),

-- every class of a number: transfers and renewals apply to the number
changed_numbers as (
    select changed.registration_number from stg_raw__trademarks as changed
    where changed.load_id > (select boundary.after_load_id from boundary)
    union
    select events.registration_number from stg_raw__trademark_events as events
    where events.load_id > (select boundary.after_load_id from boundary)
),

trademarks as (
    select marks.trademark_id as right_id from stg_raw__trademarks as marks
    semi join changed_numbers
        on marks.registration_number = changed_numbers.registration_number
),

final as (
    select
        'patent' as right_kind,
        right_id
    from patents
    union all
    select
        'trademark' as right_kind,
        right_id
    from trademarks
)

select
    final.right_kind,
    final.right_id,
    boundary.after_load_id
from final
cross join boundary
{% if not is_incremental() %}
    where false
{% endif %}
