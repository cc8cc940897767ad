select units.*
from {{ ref('fct_indicator_values') }} as units
inner join {{ ref('fct_indicator_values') }} as city
    on
        units.indicator_code = city.indicator_code
        and units.report_year = city.report_year
        and city.unit_code = '421000'
where units.unit_code != '421000' and units.numerator > city.numerator
