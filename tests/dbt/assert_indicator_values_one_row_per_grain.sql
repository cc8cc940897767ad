select
    indicator_code,
    unit_code,
    report_year,
    count(*) as n
from {{ ref('fct_indicator_values') }}
group by all
having count(*) > 1
