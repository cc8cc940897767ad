{#
    Delta builds (ipwh/refresh.py): the build starts from an earlier vintage (the standby,
    or a copy of the published warehouse) and `delta_after_load_id()` is the last load that
    file was built from. A right is
    changed when a newer load delivered the right itself or any of its events. The set is
    worked out once per build (`int_rights_changed`, which records the boundary it was
    worked out for), and the right timeline models recompute exactly those rights:

        config(materialized='incremental', incremental_strategy='append',
               pre_hook="delete_changed_rights('patent_id', 'patent')")
        ... from stg_raw__patents {{ only_changed_rights('patent_id', 'patent') }}

    The pre-hook deletes a changed right's rows first, so a right whose new version yields
    no rows (a corrected delivery without a grant date) leaves none behind. A model that is
    not yet built (a full build) takes every right.
#}

{% macro changed_rights(kind) -%}
    {%- if kind not in ('patent', 'trademark') -%}
        {{ exceptions.raise_compiler_error("changed_rights: unknown kind " ~ kind) }}
    {%- endif -%}
    select changed.right_id from {{ ref('int_rights_changed') }} as changed
    where changed.right_kind = '{{ kind }}'
        and changed.after_load_id = {{ delta_after_load_id() }}
{%- endmacro %}

{% macro only_changed_rights(key, kind, keyword='where') -%}
    {%- if is_incremental() -%}
        {{ keyword }} {{ key }} in ({{ changed_rights(kind) }})
    {%- endif -%}
{%- endmacro %}

{% macro delete_changed_rights(key, kind) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} {{ only_changed_rights(key, kind) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
