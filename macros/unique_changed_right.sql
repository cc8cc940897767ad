{#
    `not_null` and `unique` for the right timeline models (changed_rights.sql), in one test
    (one dbt node), the uniqueness proportional to a delta build: a full build checks every
    key; a delta build checks the rights it recomputed, counting every row that holds them.
    A delta writes rows for those rights only, so a duplicate can only arise among them; the
    rest were checked by the build that wrote them. On fct_patent_grants (2.8 M rows at
    province scale) the full check took 0.53-0.67 s of each delta, on its critical path: the
    models downstream wait for a model's tests. A missing key is looked for in every row
    (one column scanned).
#}
{% test unique_changed_right(model, column_name, kind) %}
-- depends_on: {{ ref('int_rights_changed') }}  (read by changed_rights in a delta build)
{{ duplicate_keys(model, column_name, changed_rights(kind) if delta_boundary() is not none else none, 'true') }}
{% endtest %}
