select *
from {{ ref('fct_indicator_values') }}
where
    denominator_persons > 0
    and abs(value - numerator / (denominator_persons / 10000.0)) > 1e-9
