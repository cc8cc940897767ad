-- Grain: one supplementary measure × year, city total: figures the plan quotes beside
-- Table 3 and the shares counting-rules.md §2 shows separately — GI trademarks and GI protected
-- products (the two parts of indicator 8), agricultural GIs, distinct GI products across
-- schemes, well-known marks (驰名商标) in force, Madrid registrations (not in indicator 6),
-- and provincial pilot/demonstration units (not in indicator 9).
with

int_months_spined as (
    select * from {{ ref('int_months_spined') }}
),

year_ends as (
    select * from int_months_spined
    where report_month = 12
),

int_geographic_indications_dated as (
    select * from {{ ref('int_geographic_indications_dated') }}
),

fct_trademark_rights as (
    select * from {{ ref('fct_trademark_rights') }}
),

stg_raw__trademarks as (
    select * from {{ ref('stg_raw__trademarks') }}
),

int_designations_dated as (
    select * from {{ ref('int_designations_dated') }}
),

gi as (
    select
        years.report_year,
        count(*) filter (where gi.gi_scheme = 'gi_trademark') as gi_trademarks,
        count(*) filter (where gi.gi_scheme = 'gi_product') as gi_products,
        count(*) filter (where gi.gi_scheme = 'agricultural_gi') as agricultural_gis,
        count(distinct gi.gi_name) as gi_distinct_products
    from year_ends as years
    inner join int_geographic_indications_dated as gi
        on
            years.as_of_date >= gi.valid_from
            and years.as_of_date < gi.valid_to
    group by years.report_year
),

well_known as (
    select
        trademark_id,
        well_known_since_year
    from stg_raw__trademarks
    where well_known_since_year is not null
),

-- the only rights the two counts below look at, taken before the join with the years: the
-- join of every right (5.7 M rows at province scale) took 0.5-1 s of each delta build
notable_rights as (
    select
        rights.trademark_id,
        rights.valid_from,
        rights.valid_to,
        rights.is_madrid,
        well_known.well_known_since_year
    from fct_trademark_rights as rights
    left join well_known on rights.trademark_id = well_known.trademark_id
    where rights.is_in_jingzhou and (rights.is_madrid or well_known.trademark_id is not null)
),

marks as (
    select
        years.report_year,
        count(distinct rights.trademark_id) filter (
            where rights.well_known_since_year <= years.report_year and not rights.is_madrid
        ) as well_known_marks,
        count(distinct rights.trademark_id) filter (where rights.is_madrid) as madrid_registrations
    from year_ends as years
    inner join notable_rights as rights
        on
            years.as_of_date >= rights.valid_from
            and years.as_of_date < rights.valid_to
    group by years.report_year
),

provincial as (
    select
        years.report_year,
        count(*) as provincial_designations
    from year_ends as years
    inner join int_designations_dated as des
        on
            years.as_of_date >= des.valid_from
            and years.as_of_date < des.valid_to
    where des.designation_level = 'provincial'
    group by years.report_year
),

wide as (
    select
        years.report_year,
        coalesce(gi.gi_trademarks, 0) as gi_trademarks,
        coalesce(gi.gi_products, 0) as gi_products,
        coalesce(gi.agricultural_gis, 0) as agricultural_gis,
        coalesce(gi.gi_distinct_products, 0) as gi_distinct_products,
        coalesce(marks.well_known_marks, 0) as well_known_marks,
        coalesce(marks.madrid_registrations, 0) as madrid_registrations,
        coalesce(provincial.provincial_designations, 0) as provincial_designations
    from year_ends as years
    left join gi on years.report_year = gi.report_year
    left join marks on years.report_year = marks.report_year
    left join provincial on years.report_year = provincial.report_year
),

final as (
    unpivot wide
    on
    gi_trademarks, gi_products, agricultural_gis, gi_distinct_products,
    well_known_marks, madrid_registrations, provincial_designations
    into name measure_code value measure_value
)

select
    measure_code,
    '421000' as unit_code,
    report_year,
    measure_value
from final
