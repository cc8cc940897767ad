-- Grain: one row per reporting period (month or quarter), indicator and reporting unit: the
-- province's monthly and quarterly form (`ipwh export --month/--quarter`). The period's value
-- (a flow over the period, a stock at its end), the year to the period's end, the same
-- period of the previous year and the change against it (counting-rules.md §2 "Periods").
-- A period the data cutoff does not cover is incomplete. No survey score (yearly only).
with

fct_indicator_values_monthly as (
    select * from {{ ref('fct_indicator_values_monthly') }}
),

indicator_catalogue as (
    select * from {{ ref('indicator_catalogue') }}
),

reporting_units as (
    select * from {{ ref('reporting_units') }}
),

months as (
    select
        'month' as period_kind,
        report_year,
        report_month as period_no,
        value as period_value,
        ytd_value,
        is_complete,
        indicator_code,
        unit_code
    from fct_indicator_values_monthly
),

-- a quarter's flow is its months' sum, its stock the last month's
quarters as (
    select
        'quarter' as period_kind,
        monthly.report_year,
        ceil(monthly.report_month / 3)::bigint as period_no,
        case
            when any_value(catalogue.indicator_kind) = 'flow' then sum(monthly.value)
            else arg_max(monthly.value, monthly.report_month)
        end as period_value,
        arg_max(monthly.ytd_value, monthly.report_month) as ytd_value,
        bool_and(monthly.is_complete) as is_complete,
        monthly.indicator_code,
        monthly.unit_code
    from fct_indicator_values_monthly as monthly
    inner join indicator_catalogue as catalogue
        on monthly.indicator_code = catalogue.indicator_code
    group by monthly.report_year, period_no, monthly.indicator_code, monthly.unit_code
),

periods as (
    select * from months
    union all
    select * from quarters
),

final as (
    select
        this.period_kind,
        case
            when this.period_kind = 'month'
                then this.report_year || '-' || lpad(this.period_no::varchar, 2, '0')
            else this.report_year || 'Q' || this.period_no
        end as period_id,
        this.report_year,
        this.period_no,
        catalogue.indicator_no,
        catalogue.indicator_code,
        catalogue.indicator_name,
        catalogue.indicator_name_en,
        catalogue.unit_label,
        units.unit_code,
        units.unit_name,
        units.display_order,
        this.period_value,
        this.ytd_value,
        last_year.ytd_value as last_year_ytd_value,
        case
            when last_year.ytd_value > 0
                then (this.ytd_value - last_year.ytd_value) / last_year.ytd_value
        end as ytd_change,
        this.is_complete
    from periods as this
    inner join indicator_catalogue as catalogue on this.indicator_code = catalogue.indicator_code
    inner join reporting_units as units on this.unit_code = units.unit_code
    left join periods as last_year
        on
            this.period_kind = last_year.period_kind
            and this.report_year - 1 = last_year.report_year
            and this.period_no = last_year.period_no
            and this.indicator_code = last_year.indicator_code
            and this.unit_code = last_year.unit_code
    where units.unit_kind != 'unattributed'
)

select * from final
