{#- A party's name as compared across registers (counting-rules.md §2, pledge financing):
    full-width letters, digits and brackets made half-width, white space (also U+3000)
    removed. -#}
{% macro normalised_name(name) -%}
    translate(
        regexp_replace({{ name }}, '[\s\x{3000}]', '', 'g'),
        '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～',
        '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~'
    )
{%- endmacro %}
