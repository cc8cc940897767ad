-- Grain: one row of a published per-10k table (realdata/stats, Hunan). Recomputes the
-- density as count ÷ population rounded half-up to 2 decimals — the same formula as our
-- per-10k indicators — and flags rows where it differs. Rows whose figures were lost on the
-- source page ('-') are kept and marked not checkable.
with

published_density_tables as (
    select * from {{ ref('published_density_tables') }}
),

parsed as (
    select
        table_name,
        area_name,
        valid_invention_patents,
        try_cast(population_10k as decimal(18, 4)) as population_10k,
        try_cast(published_density as decimal(18, 2)) as published_density
    from published_density_tables
),

final as (
    select
        *,
        floor(valid_invention_patents::decimal(18, 4) / population_10k * 100 + 0.5) / 100
            as recomputed_density,
        case
            when population_10k is null or published_density is null then 'not_checkable'
            when
                floor(valid_invention_patents::decimal(18, 4) / population_10k * 100 + 0.5) / 100
                = published_density
                then 'matches'
            else 'differs'
        end as check_status
    from parsed
)

select * from final
