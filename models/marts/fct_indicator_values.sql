-- Grain: one row per indicator, reporting unit and year. Stocks are as of the year's
-- as-of date; flows count the calendar year. Which records count is decided once, in
-- fct_indicator_records; here they are counted (or their amounts summed, per the seed's
-- numerator_rule). A count is of its rows there, the rows the drill-through lists: one per
-- register entry (a right's periods in force never overlap, so it is in a stock once; a GI
-- or a designation counts per entry, counting-rules.md §2). The city total (421000) is the sum of
-- all units including 市本级/未分配 (421099). Per-10k values divide by the year-end
-- resident population of the unit: the year's figure, else the latest earlier one, else the
-- earliest later one (counting-rules.md §2); a unit with none has no per-10k value. The
-- survey score is the city's only, and a year without a score has no row (never 0).
with

int_years_spined as (
    select * from {{ ref('int_years_spined') }}
),

fct_indicator_records as (
    select * from {{ ref('fct_indicator_records') }}
),

stg_raw__survey_scores as (
    select * from {{ ref('stg_raw__survey_scores') }}
),

stg_raw__population as (
    select * from {{ ref('stg_raw__population') }}
),

reporting_units as (
    select * from {{ ref('reporting_units') }}
),

indicator_catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

unit_counts as (
    select
        records.report_year,
        records.unit_code,
        records.indicator_code,
        case
            when any_value(targets.numerator_rule) = 'sum_amount' then sum(records.amount)
            else count(*)
        end as numerator
    from fct_indicator_records as records
    inner join indicator_catalogue as targets on records.indicator_code = targets.indicator_code
    group by all
),

-- every counted indicator, unit and year gets a row, zero when nothing was counted
unit_grid as (
    select
        years.report_year,
        years.as_of_date,
        units.unit_code,
        indicators.indicator_code
    from int_years_spined as years
    cross join reporting_units as units
    cross join indicator_catalogue as indicators
    where units.unit_code != '421000' and indicators.indicator_kind != 'survey'
),

per_unit as (
    select
        grid.report_year,
        grid.as_of_date,
        grid.unit_code,
        grid.indicator_code,
        coalesce(unit_counts.numerator, 0)::double as numerator
    from unit_grid as grid
    left join unit_counts
        on
            grid.report_year = unit_counts.report_year
            and grid.unit_code = unit_counts.unit_code
            and grid.indicator_code = unit_counts.indicator_code
),

city as (
    select
        report_year,
        as_of_date,
        '421000' as unit_code,
        indicator_code,
        sum(numerator) as numerator
    from per_unit
    group by all
),

survey as (
    select
        years.report_year,
        years.as_of_date,
        '421000' as unit_code,
        'protection_satisfaction' as indicator_code,
        scores.score as numerator
    from int_years_spined as years
    inner join stg_raw__survey_scores as scores
        on years.report_year = scores.survey_year
    where scores.unit_code in ('421000', '421099') and scores.score is not null
),

-- each unit's population for each year: that year's, else the nearest earlier, else later
population_for_year as (
    select
        years.report_year,
        population.unit_code,
        population.population_year,
        population.population_persons,
        population.population_source
    from int_years_spined as years
    cross join stg_raw__population as population
    qualify row_number() over (
        partition by years.report_year, population.unit_code
        order by
            case when population.population_year <= years.report_year then 0 else 1 end,
            abs(years.report_year - population.population_year)
    ) = 1
),

all_units as (
    select * from per_unit
    union all
    select * from city
    union all
    select * from survey
),

final as (
    select
        targets.indicator_no,
        all_units.indicator_code,
        all_units.unit_code,
        all_units.report_year,
        all_units.as_of_date,
        all_units.numerator,
        case
            when targets.indicator_kind = 'stock_per_10k' then population.population_persons
        end as denominator_persons,
        case
            when targets.indicator_kind = 'stock_per_10k' then population.population_source
        end as population_source,
        case
            when targets.indicator_kind = 'stock_per_10k' then population.population_year
        end as population_year,
        case
            when targets.indicator_kind != 'stock_per_10k'
                then all_units.numerator / targets.value_divisor
            when population.population_persons > 0
                then all_units.numerator / (population.population_persons / 10000.0)
        end as value,
        case
            when targets.indicator_kind = 'stock_per_10k' and population.population_persons is null
                then 'no_population'
        end as value_missing_reason
    from all_units
    inner join indicator_catalogue as targets on all_units.indicator_code = targets.indicator_code
    left join population_for_year as population
        on
            all_units.report_year = population.report_year
            and all_units.unit_code = population.unit_code
)

select * from final
