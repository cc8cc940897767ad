-- Grain: one row per plan, indicator and year, city total only (plans' targets are
-- city-wide); baselines and targets come from each plan (stg_raw__plan_targets).
-- is_default_plan_for_year marks, per year, the plan whose period holds it (after every
-- period: the last plan; before every period: the first).
-- Progress = (value - baseline) / (target - baseline); a range target counts as met at its
-- low end. Status (counting-rules.md §2, target progress): the actual compound
-- annual growth since the baseline against the growth the target requires (vars
-- status_on_track_ratio, status_behind_ratio); final from the target year on.
with

stg_raw__plan_targets as (
    select * from {{ ref('stg_raw__plan_targets') }}
),

indicator_catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

fct_indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

int_months_spined as (
    select * from {{ ref('int_months_spined') }}
),

year_ends as (
    select * from int_months_spined
    where report_month = 12
),

plans as (
    select
        plan_id,
        min(plan_start_year) as plan_start_year,
        min(plan_end_year) as plan_end_year
    from stg_raw__plan_targets
    group by plan_id
),

default_plans as (
    select
        years.report_year,
        plans.plan_id
    from year_ends as years
    cross join plans
    qualify row_number() over (
        partition by years.report_year
        order by
            case
                when years.report_year between plans.plan_start_year and plans.plan_end_year then 0
                when years.report_year > plans.plan_end_year then 1
                else 2
            end,
            case when years.report_year > plans.plan_end_year then -plans.plan_end_year end,
            plans.plan_start_year
    ) = 1
),

grid as (
    select
        targets.*,
        catalogue.indicator_no,
        years.report_year,
        default_plans.plan_id is not null as is_default_plan_for_year
    from stg_raw__plan_targets as targets
    inner join indicator_catalogue as catalogue
        on targets.indicator_code = catalogue.indicator_code
    cross join year_ends as years
    left join default_plans
        on years.report_year = default_plans.report_year and targets.plan_id = default_plans.plan_id
),

with_values as (
    select
        grid.*,
        city.value,
        first_value(city.value) over (
            partition by grid.plan_id, grid.indicator_code
            order by case when grid.report_year = grid.baseline_year then 0 else 1 end
        ) as computed_baseline_value
    from grid
    left join fct_indicator_values as city
        on
            grid.indicator_code = city.indicator_code
            and grid.report_year = city.report_year
            and city.unit_code = '421000'
),

measured as (
    select
        *,
        (report_year - baseline_year)::double / (target_year - baseline_year) as elapsed_share,
        case
            when baseline_value is not null and target_low != baseline_value
                then (value - baseline_value) / (target_low - baseline_value)
        end as progress,
        case
            when baseline_value > 0
                then pow(target_low / baseline_value, 1.0 / (target_year - baseline_year)) - 1
        end as required_annual_growth,
        case
            when baseline_value > 0 and value > 0 and report_year > baseline_year
                then pow(value / baseline_value, 1.0 / (report_year - baseline_year)) - 1
        end as actual_annual_growth
    from with_values
),

final as (
    select
        plan_id,
        plan_name,
        is_example,
        is_default_plan_for_year,
        indicator_no,
        seq_no,
        indicator_code,
        report_year,
        value,
        baseline_year,
        baseline_value,
        computed_baseline_value,
        target_year,
        target_low,
        target_high,
        progress,
        elapsed_share,
        required_annual_growth,
        actual_annual_growth,
        case
            when value is null then null
            when report_year >= target_year then value
            when actual_annual_growth is not null
                then value * pow(1 + actual_annual_growth, target_year - report_year)
        end as projected_target_year_value,
        case
            when value is null then 'no_data'
            when report_year >= target_year and value >= target_low then 'met'
            when report_year >= target_year then 'not_met'
            when value >= target_low then 'achieved'
            when report_year <= baseline_year then 'baseline'
            -- no baseline (or none to grow from): the value against the target only
            when actual_annual_growth is null or required_annual_growth is null then 'not_yet_met'
            when actual_annual_growth >= {{ var('status_on_track_ratio') }} * required_annual_growth
                then 'on_track'
            when actual_annual_growth >= {{ var('status_behind_ratio') }} * required_annual_growth
                then 'behind'
            else 'far_behind'
        end as status_code
    from measured
)

select * from final
