{#
    Holder periods of a right: from the start, the original holder; from each transfer's
    effective date, the new holder (a transfer without an address keeps the last one).
    `changes` must have right_id, held_from, holder, address, change_order.
    Returns right_id, held_from, held_to (exclusive), holder, address.
#}
{% macro holder_periods(changes) %}
    {% if var('attribution_rule') != 'first_holder' %}
        {{ exceptions.raise_compiler_error(
            "attribution_rule '" ~ var('attribution_rule') ~ "' is not supported: the landing "
            ~ "files carry only the first holder's address (use first_holder)") }}
    {% endif %}
    select
        right_id,
        held_from,
        lead(held_from, 1, date '9999-12-31') over (
            partition by right_id order by held_from, change_order
        ) as held_to,
        coalesce(holder, last_value(holder ignore nulls) over (
            partition by right_id order by held_from, change_order
        )) as holder,
        coalesce(address, last_value(address ignore nulls) over (
            partition by right_id order by held_from, change_order
        )) as address
    from {{ changes }}
{% endmacro %}
