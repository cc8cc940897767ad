-- External satisfaction survey scores; loaded, never computed. Missing years stay missing.
with

raw_survey_scores as (
    select * from {{ source('raw', 'raw_survey_scores') }}
),

final as (
    select
        year as survey_year,
        coalesce(unit, '421000') as unit_code,
        score,
        source as survey_source,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from raw_survey_scores
    {{ latest_delivery("year, coalesce(unit, '421000')") }}
)

select * from final
