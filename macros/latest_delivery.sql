{#
    A record delivered again replaces the earlier one by its key (counting-rules.md §5): of
    the rows sharing `key`, keep the one of the latest load, and of that load the last row.
    The one home of that rule for every staging model of a raw table.
#}
{% macro latest_delivery(key) %}
    qualify row_number() over (partition by {{ key }} order by _load_id desc, _row desc) = 1
{% endmacro %}
