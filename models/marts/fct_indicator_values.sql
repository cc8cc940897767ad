-- Grain: one row per indicator, reporting unit and year: December of
-- fct_indicator_values_monthly (a stock at 31 December, a flow over the calendar year), plus
-- the survey score, which is yearly and the city's only; a year without a score has no row
-- (never 0).
with

int_months_spined as (
    select * from {{ ref('int_months_spined') }}
),

fct_indicator_values_monthly as (
    select * from {{ ref('fct_indicator_values_monthly') }}
),

stg_raw__survey_scores as (
    select * from {{ ref('stg_raw__survey_scores') }}
),

indicator_catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

counted as (
    select
        indicator_no,
        indicator_code,
        unit_code,
        report_year,
        as_of_date,
        is_complete,
        ytd_numerator as numerator,
        denominator_persons,
        population_source,
        population_year,
        ytd_value as value,
        value_missing_reason
    from fct_indicator_values_monthly
    where report_month = 12
),

survey as (
    select
        catalogue.indicator_no,
        catalogue.indicator_code,
        '421000' as unit_code,
        scores.survey_year as report_year,
        months.as_of_date,
        months.is_complete,
        scores.score as numerator,
        null::double as denominator_persons,
        null as population_source,
        null::integer as population_year,
        scores.score as value,
        null as value_missing_reason
    from stg_raw__survey_scores as scores
    inner join indicator_catalogue as catalogue
        on catalogue.indicator_code = 'protection_satisfaction'
    -- scores of the years the other indicators are computed for
    inner join int_months_spined as months
        on scores.survey_year = months.report_year and months.report_month = 12
    where scores.unit_code in ('421000', '421099') and scores.score is not null
),

final as (
    select * from counted
    union all
    select * from survey
)

select * from final
