{#
    A delta build (ipwh/refresh.py) starts from an earlier vintage (the standby, or a copy of
    the published warehouse) and finds in `build_state.delta_boundary` the last load that
    file was built from. A full build
    (an empty file) or a dbt run by hand has no such table: every load is new (-1). The
    boundary is data, not a dbt var: dbt parses the whole project anew whenever a var's
    value changes (2-3 s a build), and this one would change with every delivery.
#}

{% macro delta_boundary() -%}
    {#- the boundary table, or none outside a delta build -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(
        database=target.database, schema='build_state', identifier='delta_boundary'
    )) }}
{%- endmacro %}

{% macro delta_after_load_id() -%}
    {%- set boundary = delta_boundary() -%}
    {%- if boundary is none -%}
        -1
    {%- else -%}
        coalesce((select delta_boundary.after_load_id from {{ boundary }} as delta_boundary), -1)
    {%- endif -%}
{%- endmacro %}
