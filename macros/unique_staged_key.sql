{#
    `unique` for the incremental staging models, proportional to a delta build: a full build
    checks every key; a delta build checks the keys its new loads delivered, counting every
    row that holds them, so a new row that duplicates an older one (an append where a
    replace was due) still fails. Keys no new load touched were checked by the build
    that staged them and are not rewritten by a delta.
#}
{% test unique_staged_key(model, column_name) %}
{%- set delivered -%}
    select new_rows.{{ column_name }} from {{ model }} as new_rows
    where new_rows.load_id > {{ delta_after_load_id() }}
{%- endset -%}
{{ duplicate_keys(model, column_name, delivered if delta_boundary() is not none else none) }}
{% endtest %}

{#- the keys of `model` held by more than one row; only those in `only_in` (a query) if given -#}
{% macro duplicate_keys(model, column_name, only_in=none) %}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where
    {{ column_name }} is not null
    {%- if only_in is not none %}
        and {{ column_name }} in ({{ only_in }})
    {%- endif %}
group by {{ column_name }}
having count(*) > 1
{% endmacro %}
