-- Grain: one row per Table 3 indicator and year, city total only (the plan's targets are
-- city-wide). Progress = (value - baseline) / (target - baseline); a range target counts
-- as met at its low end. Status (counting-rules.md §2, target progress): the actual compound
-- annual growth since the baseline against the growth the target requires (vars
-- status_on_track_ratio, status_behind_ratio); final from the target year on.
with

table3_targets as (
    select * from {{ ref('table3_targets') }}
),

fct_indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

int_years_spined as (
    select * from {{ ref('int_years_spined') }}
),

grid as (
    select
        targets.*,
        years.report_year
    from table3_targets as targets
    cross join int_years_spined as years
),

with_values as (
    select
        grid.*,
        city.value,
        first_value(city.value) over (
            partition by grid.indicator_code
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
        indicator_no,
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
