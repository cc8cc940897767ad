-- Grain: one row per plan, indicator and reporting unit: a plan's final assessment (终期评估,
-- counting-rules.md §1). The city row carries the plan's baseline and target, the value of
-- the target year, whether it was met (a range at its low end; 无数据 without a value, never
-- "missed"), the planned and actual average annual growth and the first year the target was
-- met. A unit row carries its own final value, its growth since the baseline year and its
-- share of the city's value and of the city's growth.
with

fct_target_progress as (
    select * from {{ ref('fct_target_progress') }}
),

fct_indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

indicator_catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

reporting_units as (
    select * from {{ ref('reporting_units') }}
),

plan_indicators as (
    select
        plan_id,
        any_value(plan_name) as plan_name,
        bool_or(is_example) as is_example,
        indicator_code,
        any_value(indicator_no) as indicator_no,
        any_value(seq_no) as seq_no,
        any_value(baseline_year) as baseline_year,
        any_value(baseline_value) as baseline_value,
        any_value(target_year) as target_year,
        any_value(target_low) as target_low,
        any_value(target_high) as target_high,
        any_value(required_annual_growth) as planned_annual_growth,
        min(report_year) filter (
            where report_year > baseline_year and report_year <= target_year and value >= target_low
        ) as first_met_year
    from fct_target_progress
    group by plan_id, indicator_code
),

-- each unit's value in the plan's baseline year and target year
unit_values as (
    select
        plans.plan_id,
        plans.indicator_code,
        units.unit_code,
        units.unit_name,
        units.display_order,
        base.value as baseline_year_value,
        final.value as final_value,
        -- growth is measured from the plan's baseline for the city, else from the value then
        coalesce(
            case when units.unit_code = '421000' then plans.baseline_value end, base.value
        ) as growth_base
    from plan_indicators as plans
    cross join reporting_units as units
    left join fct_indicator_values as base
        on
            plans.indicator_code = base.indicator_code
            and units.unit_code = base.unit_code
            and plans.baseline_year = base.report_year
    left join fct_indicator_values as final
        on
            plans.indicator_code = final.indicator_code
            and units.unit_code = final.unit_code
            and plans.target_year = final.report_year
),

final as (
    select
        plans.plan_id,
        plans.plan_name,
        plans.is_example,
        plans.indicator_no,
        plans.seq_no,
        plans.indicator_code,
        catalogue.indicator_name,
        catalogue.indicator_name_en,
        catalogue.unit_label,
        unit_values.unit_code,
        unit_values.unit_name,
        unit_values.display_order,
        plans.baseline_year,
        plans.target_year,
        case when unit_values.unit_code = '421000' then plans.baseline_value end as baseline_value,
        case when unit_values.unit_code = '421000' then plans.target_low end as target_low,
        case when unit_values.unit_code = '421000' then plans.target_high end as target_high,
        case
            when unit_values.unit_code = '421000'
                then {{ target_text('plans.target_low', 'plans.target_high') }}
        end as target_value,
        unit_values.final_value,
        case
            when unit_values.unit_code != '421000' then null
            when unit_values.final_value is null then 'no_data'
            when unit_values.final_value >= plans.target_low then 'met'
            else 'not_met'
        end as achievement,
        case when unit_values.unit_code = '421000' then plans.planned_annual_growth end
            as planned_annual_growth,
        case
            when unit_values.growth_base > 0 and unit_values.final_value > 0
                then pow(
                    unit_values.final_value / unit_values.growth_base,
                    1.0 / (plans.target_year - plans.baseline_year)
                ) - 1
        end as actual_annual_growth,
        case when unit_values.unit_code = '421000' then plans.first_met_year end as first_met_year,
        -- shares of a count or an amount; a density or a score has no shares
        case
            when catalogue.indicator_kind in ('stock', 'flow')
                then
                    unit_values.final_value / nullif(city.final_value, 0)
        end as share_of_city_value,
        case
            when catalogue.indicator_kind in ('stock', 'flow')
                then
                    (unit_values.final_value - unit_values.baseline_year_value)
                    / nullif(city.final_value - city.baseline_year_value, 0)
        end as share_of_city_growth
    from plan_indicators as plans
    inner join indicator_catalogue as catalogue on plans.indicator_code = catalogue.indicator_code
    inner join unit_values
        on plans.plan_id = unit_values.plan_id and plans.indicator_code = unit_values.indicator_code
    left join unit_values as city
        on
            unit_values.plan_id = city.plan_id
            and unit_values.indicator_code = city.indicator_code
            and city.unit_code = '421000'
    -- the survey score is the city's only
    where catalogue.indicator_kind != 'survey' or unit_values.unit_code = '421000'
)

select * from final
