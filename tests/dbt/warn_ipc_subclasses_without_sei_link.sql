-- IPC subclasses held by valid invention patents in Jingzhou (latest year) that no
-- strategic-emerging-industry link covers, neither the reference concordance nor the office's
-- addendum (counting-rules.md §2): a gap in the concordance copy (it has no H01L, no H10)
-- shows here as a warning instead of silently lowering indicator 1.
{{ config(severity='warn') }}

with

fct_high_value_assessments as (
    select * from {{ ref('fct_high_value_assessments') }}
),

stg_raw__patents as (
    select * from {{ ref('stg_raw__patents') }}
),

sei_ipc_links as (
    select ipc_code from {{ ref('sei_ipc_links') }}
    union all
    select ipc_code from {{ ref('sei_ipc_links_addendum') }}
),

latest_year as (
    select max(report_year) as report_year from fct_high_value_assessments
),

held as (
    select
        left(replace(upper(codes.code), ' ', ''), 4) as ipc_subclass,
        count(distinct assessed.patent_id) as valid_inventions
    from fct_high_value_assessments as assessed
    inner join latest_year on assessed.report_year = latest_year.report_year
    inner join stg_raw__patents as patents on assessed.patent_id = patents.patent_id
    cross join unnest(list_append(coalesce(patents.ipc_codes, []), patents.ipc_main)) as codes (code)
    where codes.code is not null
    group by all
)

select held.*
from held
where not exists (
    select 1
    from sei_ipc_links
    where
        left(sei_ipc_links.ipc_code, 4) = held.ipc_subclass
        or sei_ipc_links.ipc_code = left(held.ipc_subclass, 3)
)
