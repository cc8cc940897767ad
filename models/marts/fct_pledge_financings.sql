-- Grain: one pledge financing (a combined patent+trademark financing counted once, merges
-- flagged). Indicator 7 sums amount_yuan by registration year and pledgor's unit.
select * from {{ ref('int_pledges_deduplicated') }}
