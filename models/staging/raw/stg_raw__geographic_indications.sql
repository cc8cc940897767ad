-- GI register entries by scheme: GI trademark, GI protected product, agricultural GI.
with

raw_geographic_indications as (
    select * from {{ source('raw', 'raw_geographic_indications') }}
),

latest as (
    select *
    from raw_geographic_indications
    qualify row_number() over (
        partition by name, scheme
        order by _load_id desc, _row desc
    ) = 1
),

final as (
    select
        name as gi_name,
        case
            when scheme like '%农产品%' then 'agricultural_gi'
            when scheme like '%商标%' then 'gi_trademark'
            else 'gi_product'
        end as gi_scheme,
        scheme as scheme_text,
        approval_date,
        revoke_date,
        unit as unit_code,
        registration_number,
        holder,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
