-- One row per financing. A combined patent+trademark financing registered in both
-- registers appears twice; rows with the same (pledgor, pledgee, amount, contract date) are
-- one financing, counted once (the patent-register row is kept) and flagged as merged.
with

stg_raw__pledges as (
    select * from {{ ref('stg_raw__pledges') }}
),

int_addresses_attributed as (
    select * from {{ ref('int_addresses_attributed') }}
),

keyed as (
    select
        *,
        count(*) over financing as registrations_in_financing,
        string_agg(registration_id, ';') over financing as merged_registration_ids,
        row_number() over (
            partition by pledgor, pledgee, amount_yuan, contract_date
            order by case when right_kind = 'patent' then 0 else 1 end, registration_id
        ) as rank_in_financing
    from stg_raw__pledges
    window financing as (
        partition by pledgor, pledgee, amount_yuan, contract_date
        order by registration_id
        rows between unbounded preceding and unbounded following
    )
),

final as (
    select
        keyed.registration_id,
        keyed.registration_date,
        year(keyed.registration_date) as registration_year,
        keyed.right_kind,
        keyed.pledgor,
        keyed.pledgor_address,
        keyed.pledgee,
        keyed.amount_yuan,
        keyed.contract_date,
        keyed.objects,
        keyed.registrations_in_financing > 1 as is_merged,
        case
            when keyed.registrations_in_financing > 1 then keyed.merged_registration_ids
        end as merged_registration_ids,
        int_addresses_attributed.unit_code,
        coalesce(int_addresses_attributed.is_in_jingzhou, false) as is_in_jingzhou,
        keyed.source_file,
        keyed.source_row
    from keyed
    left join int_addresses_attributed
        on keyed.pledgor_address = int_addresses_attributed.address
    -- a pledge without contract date cannot be matched across registers: keep each
    where keyed.rank_in_financing = 1 or keyed.contract_date is null
)

select * from final
