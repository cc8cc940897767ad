{#
    `unique` for the incremental staging models, proportional to a delta build: a full build
    checks every key; a delta build checks the keys its new loads delivered, counting every
    row that holds them, so a new row that duplicates an older one (an append where a
    replace was due) still fails. Keys no new load touched were checked by the build
    that staged them and are not rewritten by a delta.
#}
{% test unique_staged_key(model, column_name) %}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where
    {{ column_name }} is not null
    {%- if delta_boundary() is not none %}
        and {{ column_name }} in (
            select new_rows.{{ column_name }} from {{ model }} as new_rows
            where new_rows.load_id > {{ delta_after_load_id() }}
        )
    {%- endif %}
group by {{ column_name }}
having count(*) > 1
{% endtest %}
