{#
    A delta build (ipwh/refresh.py) runs with the var `delta_build` and starts from a copy
    of the published warehouse; `build_state.delta_boundary` in that copy holds the last load
    the copy was built from. The boundary is data, not a var: dbt parses the whole project
    anew whenever a var's value changes (2-3 s a build), and it changes with every delivery.
#}

{% macro delta_after_load_id() -%}
    (select delta_boundary.after_load_id from build_state.delta_boundary)
{%- endmacro %}
