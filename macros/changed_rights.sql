{#
    Delta builds (ipwh/refresh.py): the build starts from a copy of the published warehouse
    and `delta_after_load_id()` is the last load that copy was built from. A right is
    changed when a newer load delivered the right itself or any of its events; the right
    timeline models recompute exactly those rights:

        config(materialized='incremental', incremental_strategy='append',
               pre_hook="delete_changed_rights('patent_id', 'patent')")
        ... from stg_raw__patents {{ only_changed_rights('patent_id', 'patent') }}

    The pre-hook deletes a changed right's rows first, so a right whose new version yields
    no rows (a corrected delivery without a grant date) leaves none behind. A model that is
    not yet built (a full build) takes every right.
#}

{% macro changed_rights(kind) -%}
    {%- set after = delta_after_load_id() -%}
    {%- if kind == 'patent' -%}
        select patents.patent_id from {{ ref('stg_raw__patents') }} as patents
        where patents.load_id > {{ after }}
        union
        select events.patent_id from {{ ref('stg_raw__patent_events') }} as events
        where events.load_id > {{ after }}
    {%- elif kind == 'trademark' -%}
        -- every class of a number: transfers and renewals apply to the number
        select marks.trademark_id from {{ ref('stg_raw__trademarks') }} as marks
        where marks.registration_number in (
            select changed.registration_number from {{ ref('stg_raw__trademarks') }} as changed
            where changed.load_id > {{ after }}
            union
            select events.registration_number
            from {{ ref('stg_raw__trademark_events') }} as events
            where events.load_id > {{ after }}
        )
    {%- else -%}
        {{ exceptions.raise_compiler_error("changed_rights: unknown kind " ~ kind) }}
    {%- endif -%}
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
