-- The reporting years and the "as of" date of each (default 31 Dec), up to the latest
-- year that has any grant in the data.
with

stg_raw__patents as (
    select * from {{ ref('stg_raw__patents') }}
),

bounds as (
    select
        {{ var('first_year') }} as first_year,
        greatest(max(year(grant_date)), {{ var('first_year') }}) as last_year
    from stg_raw__patents
),

years as (
    select unnest(range(first_year, last_year + 1)) as report_year
    from bounds
),

final as (
    select
        report_year,
        make_date(report_year, {{ var('as_of_month') }}, {{ var('as_of_day') }}) as as_of_date
    from years
)

select * from final
