-- One row per plan and indicator (counting-rules.md §1, plans): the delivered plan files
-- and the plan the project ships (seed plan_targets: Table 3 of the 2021–2025 plan), read
-- the same way; a delivered plan replaces the shipped one of the same period. A plan is
-- identified by its period; a single target value is a range from it to itself.
with

raw_plan_targets as (
    select * from {{ source('raw', 'raw_plan_targets') }}
),

plan_targets as (
    select * from {{ ref('plan_targets') }}
),

-- the landing file's fields and the seed's columns are the same, by name
delivered as (
    select
        * exclude (_load_id, _file, _row),
        0 as from_seed,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from raw_plan_targets
),

shipped as (
    select
        *,
        1 as from_seed,
        null::integer as load_id,
        'seeds/plan_targets.csv' as source_file,
        null::bigint as source_row
    from plan_targets
),

latest as (
    select *
    from (
        select * from delivered
        union all by name
        select * from shipped
    ) as plans
    -- the latest delivery of a plan replaces every earlier version of it whole
    qualify
        dense_rank() over (
            partition by plan_period order by from_seed asc, load_id desc nulls last
        ) = 1
        and row_number() over (
            partition by plan_period, indicator
            order by from_seed asc, load_id desc, source_row desc
        ) = 1
),

final as (
    select
        plan_period as plan_id,
        plan_name,
        plan_period,
        split_part(plan_period, '-', 1)::integer as plan_start_year,
        split_part(plan_period, '-', 2)::integer as plan_end_year,
        contains(plan_name, '示例') as is_example,
        seq_no,
        indicator as indicator_code,
        unit_label,
        baseline_year,
        baseline_value,
        target_year,
        coalesce(target_low, target_value) as target_low,
        coalesce(target_high, target_value, target_low) as target_high,
        attribute,
        load_id,
        source_file,
        source_row
    from latest
)

select * from final
