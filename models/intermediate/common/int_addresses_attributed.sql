-- Each distinct address -> reporting unit (counting-rules.md §3). The longest alias found in the
-- address wins; short aliases ("沙市" also occurs in "长沙市") count only when the address
-- names 荆州市. No alias: outside Jingzhou (kept for audit, never counted).
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
    select distinct delivered.address
    from delivered
    where delivered.address is not null
),

matches as (
    select
        to_match.address,
        unit_aliases.unit_code,
        unit_aliases.alias
    from to_match
    inner join unit_aliases
        on
            contains(to_match.address, unit_aliases.alias)
            and (
                not unit_aliases.needs_city_context
                or contains(to_match.address, '荆州市')
            )
    qualify row_number() over (
        partition by to_match.address
        order by length(unit_aliases.alias) desc, unit_aliases.alias
    ) = 1
),

final as (
    select
        to_match.address,
        matches.unit_code,
        matches.alias as matched_alias,
        matches.unit_code is not null as is_in_jingzhou
    from to_match
    left join matches on to_match.address = matches.address
)

select * from final
