-- Each distinct address -> reporting unit (counting-rules.md §3). The administrative prefix
-- decides: the address is read from its start as up to three names (province, prefecture,
-- county), each the longest known name it begins with; a name further on (a street, a park, a
-- company) never places it. Carved-out zones then win over their host district.
{% set max_name_length = 16 %}
with

stg_raw__patents as (
    select * from {{ ref('stg_raw__patents') }}
),

stg_raw__patent_events as (
    select * from {{ ref('stg_raw__patent_events') }}
),

stg_raw__trademarks as (
    select * from {{ ref('stg_raw__trademarks') }}
),

stg_raw__trademark_events as (
    select * from {{ ref('stg_raw__trademark_events') }}
),

stg_raw__pledges as (
    select * from {{ ref('stg_raw__pledges') }}
),

admin_divisions as (
    select * from {{ ref('admin_divisions') }}
),

reporting_units as (
    select * from {{ ref('reporting_units') }}
),

unit_aliases as (
    select * from {{ ref('unit_aliases') }}
),

delivered as (
    select first_applicant_address as address
    from stg_raw__patents
    union all
    select new_address
    from stg_raw__patent_events
    union all
    select registrant_address
    from stg_raw__trademarks
    union all
    select new_address
    from stg_raw__trademark_events
    union all
    select pledgor_address
    from stg_raw__pledges
),

to_match as (
    select distinct
        delivered.address,
        regexp_replace(delivered.address, '^(中华人民共和国|中国)', '') as rest_0
    from delivered
    where delivered.address is not null
),

division_names as (
    select
        admin_divisions.division_name as name,
        admin_divisions.division_code,
        admin_divisions.level
    from admin_divisions
    union all
    select
        admin_divisions.short_name,
        admin_divisions.division_code,
        admin_divisions.level
    from admin_divisions
    where admin_divisions.short_name is not null and admin_divisions.level != 'county'
),

-- a name several divisions share (朝阳区) places an address in Jingzhou only if all are there
division_tokens as (
    select
        division_names.name,
        min(division_names.level) as token_kind,
        bool_and(division_names.division_code = '420000') as is_hubei,
        bool_and(division_names.division_code = '421000') as is_jingzhou_city,
        case
            when bool_and(reporting_units.unit_code is not null)
                then min(reporting_units.unit_code)
        end as unit_code
    from division_names
    left join reporting_units
        on division_names.division_code in (reporting_units.unit_code, reporting_units.former_code)
    group by division_names.name
),

alias_tokens as (
    select
        unit_aliases.alias as name,
        case unit_aliases.alias_kind when 'full' then 'county' else unit_aliases.alias_kind end
            as token_kind,
        false as is_hubei,
        false as is_jingzhou_city,
        unit_aliases.unit_code
    from unit_aliases
    where unit_aliases.alias_kind in ('full', 'short', 'zone')
),

tokens as (
    select * from alias_tokens
    union all
    select division_tokens.*
    from division_tokens
    where division_tokens.name not in (select alias_tokens.name from alias_tokens)
),

{% for step in [1, 2, 3] %}
    {%- set previous = 'to_match' if step == 1 else 'step_' ~ (step - 1) %}
    matched_{{ step }} as (
        select
            {{ previous }}.address,
            tokens.*
        from {{ previous }}
        cross join range(2, {{ max_name_length + 1 }}) as name_lengths (n)
        inner join tokens on left({{ previous }}.rest_{{ step - 1 }}, name_lengths.n) = tokens.name
        qualify row_number() over (
            partition by {{ previous }}.address order by length(tokens.name) desc
        ) = 1
    ),

    step_{{ step }} as (
        select
            {{ previous }}.*,
            matched_{{ step }}.name as name_{{ step }},
            matched_{{ step }}.token_kind as kind_{{ step }},
            matched_{{ step }}.is_hubei as is_hubei_{{ step }},
            matched_{{ step }}.is_jingzhou_city as is_jingzhou_city_{{ step }},
            matched_{{ step }}.unit_code as unit_{{ step }},
            substr(
                {{ previous }}.rest_{{ step - 1 }}, coalesce(length(matched_{{ step }}.name), 0) + 1
            ) as rest_{{ step }}
        from {{ previous }}
        left join matched_{{ step }} on {{ previous }}.address = matched_{{ step }}.address
    ),
{% endfor %}

-- the names after an optional 湖北(省): a, then b
after_province as (
    select
        address,
        case when is_hubei_1 then kind_2 else kind_1 end as kind_a,
        case when is_hubei_1 then is_jingzhou_city_2 else is_jingzhou_city_1 end as is_city_a,
        case when is_hubei_1 then unit_2 else unit_1 end as unit_a,
        case when is_hubei_1 then name_2 else name_1 end as name_a,
        case when is_hubei_1 then kind_3 else kind_2 end as kind_b,
        case when is_hubei_1 then unit_3 else unit_2 end as unit_b,
        case when is_hubei_1 then name_3 else name_2 end as name_b,
        kind_1 = 'province' and not is_hubei_1 as is_other_province
    from step_3
),

by_prefix as (
    select
        address,
        case
            when is_other_province then null
            -- 荆州市 then a unit's name (short forms allowed after it), else no unit
            when kind_a = 'prefecture' and is_city_a
                then
                    case
                        when kind_b in ('county', 'short', 'zone') and unit_b is not null then unit_b
                        else '421099'
                    end
            -- no prefecture: only a complete county-level or zone name places it
            when kind_a in ('county', 'zone') then unit_a
        end as unit_code,
        case
            when
                kind_a = 'prefecture' and is_city_a and unit_b is not null
                and kind_b in ('county', 'short', 'zone') then name_b
            else name_a
        end as matched_name
    from after_province
),

zones as (
    select
        by_prefix.address,
        unit_aliases.unit_code,
        unit_aliases.alias
    from by_prefix
    inner join unit_aliases
        on
            unit_aliases.alias_kind in ('zone', 'zone_town')
            and contains(by_prefix.address, unit_aliases.alias)
    where by_prefix.unit_code is not null
    qualify row_number() over (
        partition by by_prefix.address order by length(unit_aliases.alias) desc
    ) = 1
),

final as (
    select
        by_prefix.address,
        coalesce(zones.unit_code, by_prefix.unit_code) as unit_code,
        coalesce(zones.alias, by_prefix.matched_name) as matched_alias,
        by_prefix.unit_code is not null as is_in_jingzhou
    from by_prefix
    left join zones on by_prefix.address = zones.address
)

select * from final
