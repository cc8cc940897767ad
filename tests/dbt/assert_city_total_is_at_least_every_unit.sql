-- The city total (421000) counts every unit's records and the unattributed ones, so no unit
-- can count more than the city for the same indicator and year.
with

fct_indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

city as (
    select * from fct_indicator_values
    where unit_code = '421000'
),

final as (
    select unit.*
    from fct_indicator_values as unit
    inner join city
        on
            unit.indicator_code = city.indicator_code
            and unit.report_year = city.report_year
    where unit.unit_code != '421000' and unit.numerator > city.numerator
)

select * from final
