-- Grain: one row per patent, holder period and in-force period. The records behind every
-- patent stock: a patent is in the stock of unit U at date D when a row has
-- unit_code = U, is_in_jingzhou and valid_from <= D < valid_to.
with

int_patent_rights_dated as (
    select * from {{ ref('int_patent_rights_dated') }}
),

stg_raw__patents as (
    select * from {{ ref('stg_raw__patents') }}
),

final as (
    select
        rights.patent_id,
        rights.patent_type,
        patents.title,
        rights.application_date,
        rights.grant_date,
        rights.term_end_date,
        rights.valid_from,
        rights.valid_to,
        rights.holder,
        rights.holder_address,
        rights.unit_code,
        rights.is_in_jingzhou,
        patents.ipc_main,
        patents.source_file,
        patents.source_row,
        patents.load_id
    from int_patent_rights_dated as rights
    inner join stg_raw__patents as patents on rights.patent_id = patents.patent_id
)

select * from final
