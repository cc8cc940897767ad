-- Grain: valid invention patent in Jingzhou × month end (report year and month), with each
-- high-value criterion (counting-rules.md §2) as its own column, so analysts can see why a
-- patent counts (drill-through: "why does this one count?"). Criteria apply from the years
-- seeds/high_value_criteria.csv gives them.
with

int_months_spined as (
    select * from {{ ref('int_months_spined') }}
),

fct_patent_rights as (
    select * from {{ ref('fct_patent_rights') }}
),

int_patent_sei_matched as (
    select * from {{ ref('int_patent_sei_matched') }}
),

stg_raw__patent_families as (
    select * from {{ ref('stg_raw__patent_families') }}
),

int_patent_pledges_summed as (
    select * from {{ ref('int_patent_pledges_summed') }}
),

stg_raw__awards as (
    select * from {{ ref('stg_raw__awards') }}
),

high_value_criteria as (
    select * from {{ ref('high_value_criteria') }}
),

valid_at_month_end as (
    select distinct
        months.report_year,
        months.report_month,
        months.as_of_date,
        rights.patent_id,
        rights.title,
        rights.application_date,
        rights.unit_code,
        rights.holder,
        rights.source_file,
        rights.source_row
    from int_months_spined as months
    inner join fct_patent_rights as rights
        on
            months.as_of_date >= rights.valid_from
            and months.as_of_date < rights.valid_to
    where rights.is_in_jingzhou and rights.patent_type = 'invention'
),

families_abroad as (
    select
        patent_id,
        string_agg(member, '; ' order by member) filter (where is_granted) as family_members_abroad,
        -- members abroad whose grant is unknown, none known granted: not assessable
        bool_or(is_granted) is null as is_family_grant_unknown
    from stg_raw__patent_families
    where country != 'CN'
    group by patent_id
),

pledged as (
    select
        valid.patent_id,
        valid.as_of_date,
        sum(pledges.amount_yuan) as pledged_yuan_to_date
    from valid_at_month_end as valid
    inner join int_patent_pledges_summed as pledges
        on
            valid.patent_id = pledges.patent_id
            and valid.as_of_date >= pledges.registration_date
    group by all
),

awarded as (
    select
        valid.patent_id,
        valid.as_of_date,
        string_agg(
            awards.award || ' ' || awards.award_year, '; '
            order by awards.award || ' ' || awards.award_year
        ) as awards_to_date,
        bool_or(awards.award_level = 'national') as has_national_award
    from valid_at_month_end as valid
    inner join stg_raw__awards as awards
        on
            valid.patent_id = {{ canonical_application_number('awards.patent_id') }}
            -- an award known by its year only counts from that year's end (counting-rules.md §2)
            and valid.as_of_date >= make_date(awards.award_year, 12, 31)
    group by all
),

active as (
    select
        years.report_year,
        bool_or(criteria.criterion_code = 'sei_ipc') as sei_active,
        bool_or(criteria.criterion_code = 'family_granted_abroad') as family_active,
        bool_or(criteria.criterion_code = 'maintained_over_10_years') as maintained_active,
        bool_or(criteria.criterion_code = 'high_pledge_amount') as pledge_active,
        bool_or(criteria.criterion_code = 'award') as award_active
    from (select distinct report_year from int_months_spined) as years
    inner join high_value_criteria as criteria
        on years.report_year between criteria.effective_from_year and criteria.effective_to_year
    group by years.report_year
),

flagged as (
    select
        valid.*,
        sei.matched_ipc_code,
        sei.sei_industries,
        families_abroad.family_members_abroad,
        pledged.pledged_yuan_to_date,
        awarded.awards_to_date,
        coalesce(active.sei_active and sei.patent_id is not null, false) as meets_sei_ipc,
        coalesce(active.family_active and families_abroad.family_members_abroad is not null, false)
            as meets_family_granted_abroad,
        coalesce(families_abroad.is_family_grant_unknown, false) as is_family_grant_unknown,
        coalesce(
            active.maintained_active
            and valid.as_of_date > valid.application_date + to_years(10), false
        ) as meets_maintained_over_10_years,
        coalesce(
            active.pledge_active
            and pledged.pledged_yuan_to_date >= {{ var('high_value_pledge_threshold_yuan') }},
            false
        ) as meets_high_pledge_amount,
        coalesce(active.award_active and awarded.has_national_award, false) as meets_award
    from valid_at_month_end as valid
    left join active on valid.report_year = active.report_year
    left join int_patent_sei_matched as sei on valid.patent_id = sei.patent_id
    left join families_abroad on valid.patent_id = families_abroad.patent_id
    left join pledged
        on valid.patent_id = pledged.patent_id and valid.as_of_date = pledged.as_of_date
    left join awarded
        on valid.patent_id = awarded.patent_id and valid.as_of_date = awarded.as_of_date
),

final as (
    select
        *,
        (
            meets_sei_ipc or meets_family_granted_abroad or meets_maintained_over_10_years
            or meets_high_pledge_amount or meets_award
        ) as is_high_value
    from flagged
)

select * from final
