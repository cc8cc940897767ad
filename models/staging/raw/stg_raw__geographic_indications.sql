-- GI register entries by scheme: GI trademark, GI protected product, agricultural GI. An
-- entry is its registration (or announcement) number within its scheme — one product name
-- may hold several GI trademarks — and its name only when no number is delivered; the latest
-- delivery wins (counting-rules.md §2).
with

raw_geographic_indications as (
    select * from {{ source('raw', 'raw_geographic_indications') }}
),

schemed as (
    select
        *,
        case
            when scheme like '%农产品%' then 'agricultural_gi'
            when scheme like '%商标%' then 'gi_trademark'
            else 'gi_product'
        end as gi_scheme,
        case
            when registration_number is not null then 'number:' || registration_number
            else 'name:' || name
        end as gi_key
    from raw_geographic_indications
),

latest as (
    select *
    from schemed
    {{ latest_delivery('gi_scheme, gi_key') }}
),

final as (
    select
        gi_scheme || '/' || gi_key as gi_id,
        name as gi_name,
        gi_scheme,
        scheme as scheme_text,
        approval_date,
        revoke_date,
        renewal_date,
        unit as unit_code,
        registration_number,
        holder,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
