-- Grain: valid invention patent in Jingzhou × report year, with every high-value criterion
-- it meets (drill-through: "why does this one count?").
select * from {{ ref('int_patent_high_value_dated') }}
