-- Grain: one row per catalogue indicator, reporting unit and year: the provincial report
-- (columns as the README lists them). Indicators not yet computed, and units without a
-- value, stay empty. Baseline, target, progress and status come from the plan the year is
-- reported against (fct_target_progress.is_default_plan_for_year), for the city total,
-- where plans set targets.
with

indicator_catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

reporting_units as (
    select * from {{ ref('reporting_units') }}
),

int_years_spined as (
    select * from {{ ref('int_years_spined') }}
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

grid as (
    select
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
    cross join reporting_units as units
    cross join int_years_spined as years
    where units.unit_kind != 'unattributed'
),

final as (
    select
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
            when grid.unit_code != '421000' then null
            when progress.target_low = progress.target_high
                then regexp_replace(progress.target_low::varchar, '\.0$', '')
            else
                regexp_replace(progress.target_low::varchar, '\.0$', '')
                || '–'
                || regexp_replace(progress.target_high::varchar, '\.0$', '')
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
            and progress.is_default_plan_for_year
    left join status_labels as labels on progress.status_code = labels.status_code
)

select * from final
