{#
    A patent number as pledge and award files write it (ZL…, CN…, with or without the dot)
    to the canonical application number `YYYYTNNNNNNN.C` used as patent_id.
#}
{% macro canonical_application_number(expr) %}
    regexp_replace(
        regexp_replace(upper(trim({{ expr }})), '^(ZL|CN)+', ''),
        '^(\d{12}|\d{8})\.?([0-9X])$',
        '\1.\2'
    )
{% endmacro %}
