-- Year-end resident population per unit and year. A delivered population file overrides
-- the project's seed for the same year and unit; among files, a yearbook/bulletin year-end
-- figure is preferred over the census.
with

raw_population as (
    select * from {{ source('raw', 'raw_population') }}
),

population_seed as (
    select * from {{ ref('population') }}
),

candidates as (
    select
        year as population_year,
        unit as unit_code,
        resident_population as population_persons,
        coalesce(source, 'unknown') as population_source,
        0 as from_seed,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from raw_population
    union all
    select
        population_year,
        unit_code,
        population_persons,
        population_source,
        1 as from_seed,
        null as load_id,
        'seeds/population.csv' as source_file,
        null as source_row
    from population_seed
),

ranked as (
    select *
    from candidates
    qualify row_number() over (
        partition by population_year, unit_code
        order by
            from_seed asc,
            case when population_source like '%普查%' then 1 else 0 end,
            load_id desc,
            source_row desc
    ) = 1
)

select * from ranked
