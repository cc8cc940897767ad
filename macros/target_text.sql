{#- A target as reported: a number, or a range such as 2–3 (trailing .0 dropped). -#}
{% macro target_text(low, high) -%}
    case
        when {{ low }} = {{ high }} then regexp_replace({{ low }}::varchar, '\.0$', '')
        else
            regexp_replace({{ low }}::varchar, '\.0$', '')
            || '–'
            || regexp_replace({{ high }}::varchar, '\.0$', '')
    end
{%- endmacro %}
