-- Grain: one quality measure (kind × measure × detail). Quarantine by reason, rejected
-- files, unknown legal events, events the counting rules set aside (a renewal in no term's
-- window), how pledges were placed (address, pledgor's name, unattributed), and the share of
-- each indicator's city total that is unattributed (市本级/未分配, 421099) in the latest year.
with

stg_raw__quarantine as (
    select * from {{ ref('stg_raw__quarantine') }}
),

stg_raw__manifest as (
    select * from {{ ref('stg_raw__manifest') }}
),

fct_indicator_values as (
    select * from {{ ref('fct_indicator_values') }}
),

int_trademark_renewals_matched as (
    select * from {{ ref('int_trademark_renewals_matched') }}
),

int_pledges_deduplicated as (
    select * from {{ ref('int_pledges_deduplicated') }}
),

quarantine as (
    select
        kind,
        'quarantined_rows' as measure,
        reason as detail,
        count(*)::double as measure_value
    from stg_raw__quarantine
    group by all
),

files as (
    select
        kind,
        'files_' || status as measure,
        '' as detail,
        count(*)::double as measure_value
    from stg_raw__manifest
    group by all
),

events_set_aside as (
    select
        'trademark_events' as kind,
        'events_not_counted' as measure,
        'renewal_outside_window' as detail,
        count(*)::double as measure_value
    from int_trademark_renewals_matched
    where renewed_term_no is null
    having count(*) > 0
),

pledges_placed as (
    select
        'pledges' as kind,
        'financings_attributed_by' as measure,
        attributed_by as detail,
        count(*)::double as measure_value
    from int_pledges_deduplicated
    group by all
),

latest_year as (
    select max(report_year) as report_year from fct_indicator_values
),

unattributed as (
    select
        'indicators' as kind,
        'unattributed_share' as measure,
        city.indicator_code as detail,
        coalesce(unit.numerator / nullif(city.numerator, 0), 0) as measure_value
    from fct_indicator_values as city
    inner join latest_year on city.report_year = latest_year.report_year
    left join fct_indicator_values as unit
        on
            city.indicator_code = unit.indicator_code
            and city.report_year = unit.report_year
            and unit.unit_code = '421099'
    where city.unit_code = '421000' and city.indicator_code != 'protection_satisfaction'
),

final as (
    select * from quarantine
    union all
    select * from files
    union all
    select * from events_set_aside
    union all
    select * from pledges_placed
    union all
    select * from unattributed
)

select * from final
