{#
    Holder periods of a right, as two CTEs to place in a model's `with` list:
    `holder_periods` — from the start the original holder, from each transfer's effective
    date the new one (a transfer without an address keeps the last address); and
    `holder_periods_attributed` — the same with the holder's reporting unit from
    `addresses` (address → unit_code, is_in_jingzhou). `changes` must have right_id,
    held_from, holder, address, change_order (0 the original holder, 1 a transfer). Periods
    are [held_from, held_to); is_first_holder marks the original holder's.
#}
{% macro holder_periods(changes, addresses) %}
{% if var('attribution_rule') != 'first_holder' %}
{{ exceptions.raise_compiler_error(
    "attribution_rule '" ~ var('attribution_rule') ~ "' is not supported: the landing "
    ~ "files carry only the first holder's address (use first_holder)") }}
{% endif %}
transferred_rights as (
    select distinct right_id from {{ changes }}
    where change_order > 0
),

holder_periods as (
    -- most rights never change hands: one period, no window over millions of rows
    select
        right_id,
        held_from,
        date '9999-12-31' as held_to,
        holder,
        address,
        change_order = 0 as is_first_holder
    from {{ changes }}
    anti join transferred_rights using (right_id)
    union all
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
        )) as address,
        change_order = 0 as is_first_holder
    from {{ changes }}
    semi join transferred_rights using (right_id)
),

holder_periods_attributed as (
    select
        holder_periods.right_id,
        holder_periods.held_from,
        holder_periods.held_to,
        holder_periods.holder,
        holder_periods.address,
        holder_periods.is_first_holder,
        attributed.unit_code,
        coalesce(attributed.is_in_jingzhou, false) as is_in_jingzhou
    from holder_periods
    left join {{ addresses }} as attributed
        on holder_periods.address = attributed.address
    where holder_periods.held_from < holder_periods.held_to
)
{% endmacro %}
