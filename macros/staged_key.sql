{#
    `not_null` and `unique` for the incremental staging models, in one test (one dbt node:
    the models downstream wait for a model's tests), proportional to a delta build: a full
    build checks every row; a delta build the rows its new loads delivered, and every row
    that holds the keys they delivered, so a new row that duplicates an older one (an append
    where a replace was due) still fails. Rows no new load touched were checked by the build
    that staged them and are not rewritten by a delta.
#}
{% test staged_key(model, column_name) %}
{%- set delta = delta_boundary() is not none -%}
{%- set new_rows = 'load_id > ' ~ delta_after_load_id() if delta else 'true' -%}
{%- set delivered = 'select ' ~ column_name ~ ' from ' ~ model ~ ' where ' ~ new_rows -%}
{{ duplicate_keys(model, column_name, delivered if delta else none, new_rows) }}
{% endtest %}

{#- the keys of `model` held by more than one row (only those in `only_in`, a query, if
    given), and one more for the rows `missing_in` (a condition) selects without a key -#}
{% macro duplicate_keys(model, column_name, only_in, missing_in) %}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where
    {{ column_name }} is not null
    {%- if only_in is not none %}
        and {{ column_name }} in ({{ only_in }})
    {%- endif %}
    or {{ column_name }} is null and {{ missing_in }}
group by {{ column_name }}
having count(*) > 1 or {{ column_name }} is null
{% endmacro %}
