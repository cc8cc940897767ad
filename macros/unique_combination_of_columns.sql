{#
    The grain of a model whose key is several columns: no two rows share the combination,
    and no row lacks a part of it. (dbt_utils has one of this name; the project installs no
    package, so it keeps its own. dbt_project.yml tells dbt-project-evaluator it is a
    primary-key test.)
#}
{% test unique_combination_of_columns(model, combination_of_columns) -%}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_records
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having
    count(*) > 1
    {%- for column in combination_of_columns %}
        or {{ column }} is null
    {%- endfor %}
{% endtest %}
