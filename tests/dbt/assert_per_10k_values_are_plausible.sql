-- No per-10k value above 200: even Shenzhen, China's densest, has about 140 valid invention
-- patents per 10,000 residents; more means a population figure in the wrong unit.
select *
from {{ ref('fct_indicator_values') }}
where indicator_code like '%per_10k' and value > 200
