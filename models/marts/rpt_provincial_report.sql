-- Grain: one row per plan, indicator of the plan, reporting unit and year: the provincial
-- report (columns as the README lists them); `ipwh export` takes the plan the year is
-- reported against (is_default_plan_for_year) unless told another. Units without a value
-- stay empty. Baseline, target, progress and status are the plan's, for the city total,
-- where plans set targets.
with

indicator_catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

reporting_units as (
    select * from {{ ref('reporting_units') }}
),

int_months_spined as (
    select * from {{ ref('int_months_spined') }}
),

year_ends as (
    select * from int_months_spined
    where report_month = 12
),

fct_indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

fct_target_progress as (
    select * from {{ ref('fct_target_progress') }}
),

status_labels as (
    select * from {{ ref('status_labels') }}
),

-- the indicators each plan sets targets for, and the years it is the default plan of
plan_indicators as (
    select distinct
        plan_id,
        indicator_code,
        report_year,
        is_default_plan_for_year
    from fct_target_progress
),

grid as (
    select
        plans.plan_id,
        plans.is_default_plan_for_year,
        targets.indicator_no,
        targets.indicator_code,
        targets.indicator_name,
        targets.indicator_name_en,
        targets.unit_label,
        units.unit_code,
        units.unit_name,
        units.display_order,
        years.report_year
    from indicator_catalogue as targets
    inner join plan_indicators as plans on targets.indicator_code = plans.indicator_code
    cross join reporting_units as units
    inner join year_ends as years on plans.report_year = years.report_year
    where units.unit_kind != 'unattributed'
),

final as (
    select
        grid.plan_id,
        grid.is_default_plan_for_year,
        grid.indicator_no,
        grid.indicator_code,
        grid.indicator_name,
        grid.indicator_name_en,
        grid.unit_label,
        grid.unit_code,
        grid.unit_name,
        grid.display_order,
        grid.report_year,
        vals.value,
        vals.numerator,
        vals.denominator_persons,
        vals.population_source,
        progress.plan_name,
        case when grid.unit_code = '421000' then progress.baseline_value end as baseline_value,
        case
            when grid.unit_code = '421000'
                then {{ target_text('progress.target_low', 'progress.target_high') }}
        end as target_value,
        case when grid.unit_code = '421000' then progress.progress end as progress,
        case when grid.unit_code = '421000' then progress.status_code end as status_code,
        case when grid.unit_code = '421000' then labels.label_zh end as status_label
    from grid
    left join fct_indicator_values as vals
        on
            grid.indicator_code = vals.indicator_code
            and grid.unit_code = vals.unit_code
            and grid.report_year = vals.report_year
    left join fct_target_progress as progress
        on
            grid.indicator_code = progress.indicator_code
            and grid.report_year = progress.report_year
            and grid.plan_id = progress.plan_id
    left join status_labels as labels on progress.status_code = labels.status_code
)

select * from final
