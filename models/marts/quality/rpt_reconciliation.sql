-- Grain: one published figure. Computed vs published values with the difference and an
-- explanation; for per-10k figures the population the published figure implies is shown
-- beside the one used here (e.g. 2020's 2.45 implies ≈558万, a pre-census estimate).
with

published_figures as (
    select * from {{ ref('published_figures') }}
),

fct_indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

indicator_catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

compared as (
    select
        figures.*,
        targets.indicator_name,
        targets.indicator_kind,
        vals.value as computed_value,
        vals.numerator,
        vals.denominator_persons,
        vals.population_source,
        vals.value - figures.published_value as difference,
        (vals.value - figures.published_value) / nullif(figures.published_value, 0) as relative_difference,
        case
            when targets.indicator_kind = 'stock_per_10k' and figures.published_value > 0
                then vals.numerator / figures.published_value * 10000
        end as implied_population_persons
    from published_figures as figures
    inner join indicator_catalogue as targets on figures.indicator_code = targets.indicator_code
    left join fct_indicator_values as vals
        on
            figures.indicator_code = vals.indicator_code
            and figures.unit_code = vals.unit_code
            and figures.figure_year = vals.report_year
),

final as (
    select
        *,
        case
            when computed_value is null then 'not_computed'
            when comparison = 'at_least' and computed_value >= published_value then 'consistent'
            when comparison = 'partial_year' then 'not_comparable'
            when abs(relative_difference) <= 0.02 then 'consistent'
            else 'differs'
        end as reconciliation_status,
        case
            when computed_value is null then '无计算值 / nothing computed for this year'
            when comparison = 'partial_year'
                then '口径不同：公布值为部分年度 / published figure covers part of the year only'
            when comparison = 'at_least' and computed_value >= published_value
                then '公布值为下限，计算值不低于下限 / published figure is a lower bound, met'
            when abs(relative_difference) <= 0.02 then '一致(±2%) / agrees within 2%'
            when implied_population_persons is not null
                then
                    '分母不同：公布值隐含常住人口 ' || round(implied_population_persons / 10000, 1)
                    || '万，本库采用 ' || round(denominator_persons / 10000, 1) || '万（'
                    || population_source || '）/ different denominator'
            else '差异待核 / difference to be explained'
        end as explanation
    from compared
)

select * from final
