{{ config(materialized='view') }}
-- Grain: one record behind one indicator value (indicator × unit × year × month × record):
-- the drill-through. A stock lists its records at every month end, a flow each record in its
-- month; is_in_yearly_value marks the rows behind the year's value (a stock's December, every
-- month of a flow). A view, so it costs nothing until an analyst filters it; the membership
-- rules are the same as fct_indicator_values_monthly's. The city total (421000) is all units'.
with

int_months_spined as (
    select * from {{ ref('int_months_spined') }}
),

fct_patent_rights as (
    select * from {{ ref('fct_patent_rights') }}
),

fct_high_value_assessments as (
    select * from {{ ref('fct_high_value_assessments') }}
),

fct_patent_grants as (
    select * from {{ ref('fct_patent_grants') }}
),

fct_trademark_rights as (
    select * from {{ ref('fct_trademark_rights') }}
),

fct_pledge_financings as (
    select * from {{ ref('fct_pledge_financings') }}
),

int_geographic_indications_dated as (
    select * from {{ ref('int_geographic_indications_dated') }}
),

int_designations_dated as (
    select * from {{ ref('int_designations_dated') }}
),

stg_raw__patents as (
    select * from {{ ref('stg_raw__patents') }}
),

stg_raw__patent_events as (
    select * from {{ ref('stg_raw__patent_events') }}
),

int_patent_holders_dated as (
    select * from {{ ref('int_patent_holders_dated') }}
),

stg_raw__trademarks as (
    select * from {{ ref('stg_raw__trademarks') }}
),

int_trademark_holders_dated as (
    select * from {{ ref('int_trademark_holders_dated') }}
),

valid_inventions as (
    select
        months.report_year,
        months.report_month,
        months.report_month = 12 as is_in_yearly_value,
        rights.unit_code,
        rights.patent_id as record_id,
        rights.title as record_name,
        rights.holder,
        rights.grant_date as record_date,
        null::decimal(18, 2) as amount,
        '有效期 ' || rights.valid_from || ' 至 ' || rights.valid_to as detail,
        rights.source_file,
        rights.source_row
    from int_months_spined as months
    inner join fct_patent_rights as rights
        on
            months.as_of_date >= rights.valid_from
            and months.as_of_date < rights.valid_to
    where rights.is_in_jingzhou and rights.patent_type = 'invention'
),

high_value as (
    select
        report_year,
        report_month,
        report_month = 12 as is_in_yearly_value,
        unit_code,
        patent_id as record_id,
        title as record_name,
        holder,
        application_date as record_date,
        pledged_yuan_to_date::decimal(18, 2) as amount,
        concat_ws(
            '; ',
            case when meets_sei_ipc then '战略性新兴产业 ' || matched_ipc_code || ' ' || sei_industries end,
            case when meets_family_granted_abroad then '海外同族 ' || family_members_abroad end,
            case when meets_maintained_over_10_years then '维持超过10年' end,
            case when meets_high_pledge_amount then '质押融资 ' || pledged_yuan_to_date || ' 元' end,
            case when meets_award then awards_to_date end
        ) as detail,
        source_file,
        source_row
    from fct_high_value_assessments
    where is_high_value
),

grants as (
    select
        grant_year as report_year,
        month(grant_date) as report_month,
        true as is_in_yearly_value,
        unit_code,
        patent_id as record_id,
        title as record_name,
        holder,
        grant_date as record_date,
        null::decimal(18, 2) as amount,
        patent_type as detail,
        source_file,
        source_row
    from fct_patent_grants
    where is_in_jingzhou
),

-- every Jingzhou mark in force at each month end; a well-known mark, recognised in a year,
-- counts as such from that year's end (counting-rules.md §1)
marks_in_force as (
    select
        rights.is_madrid,
        coalesce(months.as_of_date >= make_date(well_known.well_known_since_year, 12, 31), false)
            as is_well_known,
        months.report_year,
        months.report_month,
        months.report_month = 12 as is_in_yearly_value,
        rights.unit_code,
        rights.trademark_id as record_id,
        rights.mark_name as record_name,
        rights.holder,
        rights.registration_date as record_date,
        null::decimal(18, 2) as amount,
        '第' || (rights.term_no + 1)::varchar || '个专用权期限' as detail,
        rights.source_file,
        rights.source_row
    from int_months_spined as months
    inner join fct_trademark_rights as rights
        on
            months.as_of_date >= rights.valid_from
            and months.as_of_date < rights.valid_to
    left join stg_raw__trademarks as well_known
        on rights.trademark_id = well_known.trademark_id
    where rights.is_in_jingzhou
),

pledges as (
    select
        registration_year as report_year,
        month(registration_date) as report_month,
        true as is_in_yearly_value,
        unit_code,
        registration_id as record_id,
        pledgee as record_name,
        pledgor as holder,
        registration_date as record_date,
        amount_yuan as amount,
        case when is_merged then '专利商标合并融资，已去重: ' || merged_registration_ids end as detail,
        source_file,
        source_row
    from fct_pledge_financings
    where is_in_jingzhou
),

gis_in_force as (
    select
        gi.gi_scheme,
        months.report_year,
        months.report_month,
        months.report_month = 12 as is_in_yearly_value,
        gi.unit_code,
        coalesce(gi.registration_number, gi.gi_name) as record_id,
        gi.gi_name as record_name,
        gi.holder,
        gi.valid_from as record_date,
        null::decimal(18, 2) as amount,
        gi.scheme_text as detail,
        gi.source_file,
        gi.source_row
    from int_months_spined as months
    inner join int_geographic_indications_dated as gi
        on
            months.as_of_date >= gi.valid_from
            and months.as_of_date < gi.valid_to
),

gis as (
    select * exclude (gi_scheme) from gis_in_force
    where gi_scheme in ('gi_trademark', 'gi_product')
),

-- the first applicant's (the registrant's) own period: the holder when filed (registered)
filed_in_jingzhou as (
    select
        patents.*,
        holders.unit_code,
        holders.holder
    from stg_raw__patents as patents
    inner join int_patent_holders_dated as holders
        on patents.patent_id = holders.patent_id and holders.is_first_holder
    where holders.is_in_jingzhou
),

invention_applications as (
    select
        year(application_date) as report_year,
        month(application_date) as report_month,
        true as is_in_yearly_value,
        unit_code,
        patent_id as record_id,
        title as record_name,
        holder,
        application_date as record_date,
        null::decimal(18, 2) as amount,
        case when grant_date is not null then '已授权' else '未授权' end as detail,
        source_file,
        source_row
    from filed_in_jingzhou
    where patent_type = 'invention'
),

trademark_registrations as (
    select
        year(marks.registration_date) as report_year,
        month(marks.registration_date) as report_month,
        true as is_in_yearly_value,
        holders.unit_code,
        marks.trademark_id as record_id,
        marks.mark_name as record_name,
        holders.holder,
        marks.registration_date as record_date,
        null::decimal(18, 2) as amount,
        '第' || marks.nice_class::varchar || '类' as detail,
        marks.source_file,
        marks.source_row
    from stg_raw__trademarks as marks
    inner join int_trademark_holders_dated as holders
        on marks.trademark_id = holders.trademark_id and holders.is_first_holder
    where holders.is_in_jingzhou and not marks.is_madrid and marks.registration_date is not null
),

-- once per international application, in the month it was filed (a national phase entry's
-- application date is the international filing date), where its first applicant was then
pct_applications as (
    select
        year(application_date) as report_year,
        month(application_date) as report_month,
        true as is_in_yearly_value,
        unit_code,
        pct_application as record_id,
        title as record_name,
        holder,
        application_date as record_date,
        null::decimal(18, 2) as amount,
        '申请号 ' || patent_id as detail,
        source_file,
        source_row
    from filed_in_jingzhou
    where pct_application is not null
    qualify row_number() over (
        partition by pct_application order by application_date, patent_id
    ) = 1
),

-- a licence recordal (专利实施许可合同备案) counts in the month it took effect, where the
-- licensor, the holder then, is
patent_licences as (
    select
        year(events.event_date) as report_year,
        month(events.event_date) as report_month,
        true as is_in_yearly_value,
        holders.unit_code,
        events.patent_id || ' ' || events.event_date as record_id,
        patents.title as record_name,
        holders.holder,
        events.event_date as record_date,
        null::decimal(18, 2) as amount,
        events.event_text as detail,
        events.source_file,
        events.source_row
    from stg_raw__patent_events as events
    inner join int_patent_holders_dated as holders
        on
            events.patent_id = holders.patent_id
            and events.event_date >= holders.held_from
            and events.event_date < holders.held_to
    inner join stg_raw__patents as patents on events.patent_id = patents.patent_id
    where events.event_code = 'licence' and holders.is_in_jingzhou
),

-- every later holder period begins with a transfer, counted where the transferee is
patent_transfers as (
    select
        year(holders.held_from) as report_year,
        month(holders.held_from) as report_month,
        true as is_in_yearly_value,
        holders.unit_code,
        holders.patent_id as record_id,
        patents.title as record_name,
        holders.holder,
        holders.held_from as record_date,
        null::decimal(18, 2) as amount,
        '受让人 ' || holders.holder as detail,
        patents.source_file,
        patents.source_row
    from int_patent_holders_dated as holders
    inner join stg_raw__patents as patents on holders.patent_id = patents.patent_id
    where not holders.is_first_holder and holders.is_in_jingzhou
),

designations as (
    select
        des.designation_level,
        months.report_year,
        months.report_month,
        months.report_month = 12 as is_in_yearly_value,
        des.unit_code,
        des.designated_unit as record_id,
        des.batch as record_name,
        des.designated_unit as holder,
        des.valid_from as record_date,
        null::decimal(18, 2) as amount,
        des.category as detail,
        des.source_file,
        des.source_row
    from int_months_spined as months
    inner join int_designations_dated as des
        on
            months.as_of_date >= des.valid_from
            and months.as_of_date < des.valid_to
),

final as (
    select
        'valid_invention_patents' as indicator_code,
        *
    from valid_inventions
    union all
    select
        'invention_per_10k' as indicator_code,
        *
    from valid_inventions
    union all
    select
        'high_value_invention_per_10k' as indicator_code,
        *
    from high_value
    union all
    select
        'patent_grants' as indicator_code,
        *
    from grants
    union all
    select
        'invention_grants' as indicator_code,
        *
    from grants
    where detail = 'invention'
    union all
    select
        'valid_trademarks' as indicator_code,
        * exclude (is_madrid, is_well_known)
    from marks_in_force
    where not is_madrid
    union all
    select
        'pledge_financing' as indicator_code,
        *
    from pledges
    union all
    select
        'geographic_indications' as indicator_code,
        *
    from gis
    union all
    select
        'pilot_demo_units' as indicator_code,
        * exclude (designation_level)
    from designations
    where designation_level = 'national'
    union all
    select
        'gi_trademarks' as indicator_code,
        * exclude (gi_scheme)
    from gis_in_force
    where gi_scheme = 'gi_trademark'
    union all
    select
        'gi_products' as indicator_code,
        * exclude (gi_scheme)
    from gis_in_force
    where gi_scheme = 'gi_product'
    union all
    select
        'invention_applications' as indicator_code,
        *
    from invention_applications
    union all
    select
        'trademark_registrations' as indicator_code,
        *
    from trademark_registrations
    union all
    select
        'patent_transfers' as indicator_code,
        *
    from patent_transfers
    union all
    select
        'patent_licences' as indicator_code,
        *
    from patent_licences
    union all
    select
        'patent_transfers_and_licences' as indicator_code,
        *
    from patent_transfers
    union all
    select
        'patent_transfers_and_licences' as indicator_code,
        *
    from patent_licences
    union all
    select
        'pct_applications' as indicator_code,
        *
    from pct_applications
    union all
    select
        'agricultural_gis' as indicator_code,
        * exclude (gi_scheme)
    from gis_in_force
    where gi_scheme = 'agricultural_gi'
    union all
    select
        'well_known_marks' as indicator_code,
        * exclude (is_madrid, is_well_known)
    from marks_in_force
    where is_well_known and not is_madrid
    union all
    select
        'madrid_registrations' as indicator_code,
        * exclude (is_madrid, is_well_known)
    from marks_in_force
    where is_madrid
    union all
    select
        'provincial_designations' as indicator_code,
        * exclude (designation_level)
    from designations
    where designation_level = 'provincial'
)

select * from final
