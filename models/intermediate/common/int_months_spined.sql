-- The reporting months, from January of var first_year to December of the latest year that
-- has any grant, each with its last day (the date its stocks are taken at) and whether the
-- data cutoff covers the whole month (counting-rules.md §2 "Periods"). December's last day is
-- the year's as-of date.
with

stg_raw__patents as (
    select * from {{ ref('stg_raw__patents') }}
),

bounds as (
    select
        {{ var('first_year') }} as first_year,
        greatest(max(year(grant_date)), {{ var('first_year') }}) as last_year,
        greatest(max(grant_date), max(application_date)) as data_cutoff
    from stg_raw__patents
),

years as (
    select
        unnest(range(first_year, last_year + 1)) as report_year,
        data_cutoff
    from bounds
),

month_numbers as (
    select unnest(range(1, 13)) as report_month
),

final as (
    select
        years.report_year,
        month_numbers.report_month,
        last_day(make_date(years.report_year, month_numbers.report_month, 1)) as as_of_date,
        years.data_cutoff,
        years.data_cutoff
        >= last_day(make_date(years.report_year, month_numbers.report_month, 1)) as is_complete
    from years
    cross join month_numbers
)

select * from final
