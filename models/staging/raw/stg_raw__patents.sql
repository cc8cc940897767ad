-- One row per application: the latest delivery of each record wins.
with

raw_patents as (
    select * from {{ source('raw', 'raw_patents') }}
),

latest as (
    select *
    from raw_patents
    {{ latest_delivery('application_number') }}
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
        pct as pct_application,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
