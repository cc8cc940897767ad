-- Grain: one row per indicator, reporting unit, year and month. A stock is taken at the
-- month's last day, a flow counts the month; ytd_* is the year to the month's end (a flow
-- summed from January, a stock its month-end value: counting-rules.md §2 "Periods"). Which
-- records count is decided once, in fct_indicator_records; here they are counted (or their
-- amounts summed, per the catalogue's numerator_rule). A right is in a stock once (its periods
-- never overlap); a GI or a designation counts per entry. The city total (421000) is the sum
-- of all units including 市本级/未分配 (421099). Per-10k values divide by the year's resident
-- population: that year's figure, else the latest earlier one, else the earliest later one; a
-- unit with none has no per-10k value. The survey score is yearly only (fct_indicator_values).
with

int_months_spined as (
    select * from {{ ref('int_months_spined') }}
),

fct_indicator_records as (
    select * from {{ ref('fct_indicator_records') }}
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
        records.report_month,
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

-- every counted indicator, unit and month gets a row, zero when nothing was counted
unit_grid as (
    select
        months.report_year,
        months.report_month,
        months.as_of_date,
        months.is_complete,
        units.unit_code,
        indicators.indicator_code
    from int_months_spined as months
    cross join reporting_units as units
    cross join indicator_catalogue as indicators
    where units.unit_code != '421000' and indicators.indicator_kind != 'survey'
),

per_unit as (
    select
        grid.report_year,
        grid.report_month,
        grid.as_of_date,
        grid.is_complete,
        grid.unit_code,
        grid.indicator_code,
        coalesce(unit_counts.numerator, 0)::double as numerator
    from unit_grid as grid
    left join unit_counts
        on
            grid.report_year = unit_counts.report_year
            and grid.report_month = unit_counts.report_month
            and grid.unit_code = unit_counts.unit_code
            and grid.indicator_code = unit_counts.indicator_code
),

city as (
    select
        report_year,
        report_month,
        as_of_date,
        is_complete,
        '421000' as unit_code,
        indicator_code,
        sum(numerator) as numerator
    from per_unit
    group by all
),

-- each unit's population for each year: that year's, else the nearest earlier, else later
population_for_year as (
    select
        years.report_year,
        population.unit_code,
        population.population_year,
        population.population_persons,
        population.population_source
    from (select distinct report_year from int_months_spined) as years
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
),

with_ytd as (
    select
        all_units.*,
        case
            when targets.indicator_kind != 'flow' then all_units.numerator
            else sum(all_units.numerator) over (
                partition by all_units.indicator_code, all_units.unit_code, all_units.report_year
                order by all_units.report_month
            )
        end as ytd_numerator
    from all_units
    inner join indicator_catalogue as targets on all_units.indicator_code = targets.indicator_code
),

-- what a count is divided by: the unit's population in 10,000s for a per-10k value (none
-- without a population figure), else the catalogue's divisor (1e8 yuan for 亿元)
scaled as (
    select
        units.*,
        targets.indicator_no,
        population.population_persons as denominator_persons,
        population.population_source,
        population.population_year,
        case
            when targets.indicator_kind != 'stock_per_10k' then targets.value_divisor
            when population.population_persons > 0 then population.population_persons / 10000.0
        end as divisor,
        case
            when targets.indicator_kind = 'stock_per_10k' and population.population_persons is null
                then 'no_population'
        end as value_missing_reason
    from with_ytd as units
    inner join indicator_catalogue as targets on units.indicator_code = targets.indicator_code
    left join population_for_year as population
        on
            targets.indicator_kind = 'stock_per_10k'
            and units.report_year = population.report_year
            and units.unit_code = population.unit_code
),

final as (
    select
        indicator_no,
        indicator_code,
        unit_code,
        report_year,
        report_month,
        as_of_date,
        is_complete,
        numerator,
        ytd_numerator,
        denominator_persons,
        population_source,
        population_year,
        numerator / divisor as value,
        ytd_numerator / divisor as ytd_value,
        value_missing_reason
    from scaled
)

select * from final
