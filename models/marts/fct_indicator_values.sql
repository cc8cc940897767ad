-- Grain: one row per indicator, reporting unit and year. Stocks are as of the year's
-- as-of date; flows count the calendar year. The city total (421000) is the sum of all
-- units including 市本级/未分配 (421099). Per-10k values divide by the year-end resident
-- population of the same unit and year; no population, no per-10k value. The survey score
-- is the city's only, and a year without a score has no row (never 0).
with

int_years_spined as (
    select * from {{ ref('int_years_spined') }}
),

fct_patent_rights as (
    select * from {{ ref('fct_patent_rights') }}
),

fct_patent_grants as (
    select * from {{ ref('fct_patent_grants') }}
),

fct_high_value_assessments as (
    select * from {{ ref('fct_high_value_assessments') }}
),

fct_trademark_rights as (
    select * from {{ ref('fct_trademark_rights') }}
),

fct_pledge_financings as (
    select * from {{ ref('fct_pledge_financings') }}
),

int_geographic_indications_dated as (
    select * from {{ ref('int_geographic_indications_dated') }}
),

int_designations_dated as (
    select * from {{ ref('int_designations_dated') }}
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

table3_targets as (
    select * from {{ ref('table3_targets') }}
),

valid_inventions as (
    select
        years.report_year,
        rights.unit_code,
        count(distinct rights.patent_id) as numerator
    from int_years_spined as years
    inner join fct_patent_rights as rights
        on
            years.as_of_date >= rights.valid_from
            and years.as_of_date < rights.valid_to
    where rights.is_in_jingzhou and rights.patent_type = 'invention'
    group by all
),

high_value as (
    select
        report_year,
        unit_code,
        count(distinct patent_id) as numerator
    from fct_high_value_assessments
    where is_high_value
    group by all
),

grants as (
    select
        grant_year as report_year,
        unit_code,
        count(*) as all_grants,
        count(*) filter (where patent_type = 'invention') as invention_grants
    from fct_patent_grants
    where is_in_jingzhou
    group by all
),

valid_trademarks as (
    select
        years.report_year,
        rights.unit_code,
        count(distinct rights.trademark_id) as numerator
    from int_years_spined as years
    inner join fct_trademark_rights as rights
        on
            years.as_of_date >= rights.valid_from
            and years.as_of_date < rights.valid_to
    where rights.is_in_jingzhou and not rights.is_madrid
    group by all
),

pledges as (
    select
        registration_year as report_year,
        unit_code,
        sum(amount_yuan) as numerator
    from fct_pledge_financings
    where is_in_jingzhou
    group by all
),

gis as (
    select
        years.report_year,
        gi.unit_code,
        count(*) as numerator
    from int_years_spined as years
    inner join int_geographic_indications_dated as gi
        on
            years.as_of_date >= gi.valid_from
            and years.as_of_date < gi.valid_to
    where gi.counts_in_total
    group by all
),

designations as (
    select
        years.report_year,
        des.unit_code,
        count(*) as numerator
    from int_years_spined as years
    inner join int_designations_dated as des
        on
            years.as_of_date >= des.valid_from
            and years.as_of_date < des.valid_to
    where des.designation_level = 'national'
    group by all
),

unit_counts as (
    select
        report_year,
        unit_code,
        'valid_invention_patents' as indicator_code,
        numerator
    from valid_inventions
    union all
    select
        report_year,
        unit_code,
        'invention_per_10k' as indicator_code,
        numerator
    from valid_inventions
    union all
    select
        report_year,
        unit_code,
        'high_value_invention_per_10k' as indicator_code,
        numerator
    from high_value
    union all
    select
        report_year,
        unit_code,
        'patent_grants' as indicator_code,
        all_grants as numerator
    from grants
    union all
    select
        report_year,
        unit_code,
        'invention_grants' as indicator_code,
        invention_grants as numerator
    from grants
    union all
    select
        report_year,
        unit_code,
        'valid_trademarks' as indicator_code,
        numerator
    from valid_trademarks
    union all
    select
        report_year,
        unit_code,
        'pledge_financing' as indicator_code,
        numerator
    from pledges
    union all
    select
        report_year,
        unit_code,
        'geographic_indications' as indicator_code,
        numerator
    from gis
    union all
    select
        report_year,
        unit_code,
        'pilot_demo_units' as indicator_code,
        numerator
    from designations
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
    cross join table3_targets as indicators
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
            when targets.indicator_kind != 'stock_per_10k'
                then all_units.numerator / targets.value_divisor
            when population.population_persons > 0
                then all_units.numerator / (population.population_persons / 10000.0)
        end as value
    from all_units
    inner join table3_targets as targets on all_units.indicator_code = targets.indicator_code
    left join stg_raw__population as population
        on
            all_units.report_year = population.population_year
            and all_units.unit_code = population.unit_code
)

select * from final
