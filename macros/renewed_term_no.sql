{#
    The term a renewal (续展) renews (counting-rules.md §2, valid trademark): term k (0 the
    first) ends 10 × (k + 1) years after registration, and a renewal from 12 months before
    that end to 6 months after it renews term k. Empty for a renewal outside every window:
    it renews nothing. The one home of the window for registered marks and GI trademarks.
#}
{% macro renewed_term_no(registered_on, renewed_on) -%}
(
    select min(terms.k)
    from range(0, 100) as terms (k)
    where
        {{ renewed_on }}
        >= {{ registered_on }} + to_years(10 * (terms.k + 1)::integer) - to_months(12)
        and {{ renewed_on }}
        < {{ registered_on }} + to_years(10 * (terms.k + 1)::integer) + to_months(6)
)
{%- endmacro %}
