{% macro accepted_rows(table_name, load_id_column='_load_id') -%}
    {#- Rows of accepted loads only: a load is written batch by batch and becomes visible when
        its manifest row turns 'accepted' (ingest/load.py). -#}
    select r.*
    from {{ source('raw', table_name) }} as r
    semi join {{ source('raw', 'raw_manifest') }} as m
        on r.{{ load_id_column }} = m.load_id and m.status = 'accepted'
{%- endmacro %}
