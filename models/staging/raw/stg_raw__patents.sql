{{ config(
    materialized='incremental',
    unique_key='patent_id',
    incremental_strategy='delete+insert'
) }}

-- One row per application: the latest delivery of each record wins.
with

raw_patents as (
    {{ accepted_rows('raw_patents') }}
    {% if is_incremental() %}
        -- a delta build: only loads newer than any already staged; they win by key
        where r._load_id > (select coalesce(max(staged.load_id), 0) from {{ this }} as staged)
    {% endif %}
),

latest as (
    select *
    from raw_patents
    qualify row_number() over (
        partition by application_number
        order by _load_id desc, _row desc
    ) = 1
),

final as (
    select
        application_number as patent_id,
        application_date,
        grant_date,
        patent_type,
        applicants,
        applicants[1] as first_applicant,
        address as first_applicant_address,
        title,
        ipc_main,
        ipc as ipc_codes,
        uscc,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
