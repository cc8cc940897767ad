-- Year-end resident population per unit and year. Where several sources give the same
-- year and unit, a yearbook/bulletin year-end figure is preferred over the census.
with

raw_population as (
    select * from {{ source('raw', 'raw_population') }}
),

ranked as (
    select
        year as population_year,
        unit as unit_code,
        resident_population as population_persons,
        coalesce(source, 'unknown') as population_source,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from raw_population
    qualify row_number() over (
        partition by year, unit
        order by
            case when coalesce(source, '') like '%普查%' then 1 else 0 end,
            _load_id desc,
            _row desc
    ) = 1
)

select * from ranked
