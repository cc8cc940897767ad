-- One row per financing (counting-rules.md §2, pledge financing). A combined patent+trademark
-- financing registered in both registers appears twice: rows with the same pledgor and
-- pledgee (names normalised), amount and contract date — the registration date when no
-- contract date is delivered, flagged matched_on = registration_date — are one financing,
-- counted once (the patent-register row is kept). A missing pledgee matches nothing. A
-- pledge is placed by its pledgor's address; without one, by the unit of the pledgor's most
-- recent right in Jingzhou; else in 市本级/未分配.
with

stg_raw__pledges as (
    select * from {{ ref('stg_raw__pledges') }}
),

int_addresses_attributed as (
    select * from {{ ref('int_addresses_attributed') }}
),

int_patent_holders_dated as (
    select * from {{ ref('int_patent_holders_dated') }}
),

int_trademark_holders_dated as (
    select * from {{ ref('int_trademark_holders_dated') }}
),

keyed as (
    select
        *,
        {{ normalised_name('pledgor') }} as pledgor_key,
        case
            when pledgee is not null then {{ normalised_name('pledgee') }}
            else '(missing) ' || registration_id  -- unique: matches no other row
        end as pledgee_key,
        coalesce(contract_date, registration_date) as matched_date,
        case
            when contract_date is not null then 'contract_date' else 'registration_date'
        end as matched_on
    from stg_raw__pledges
),

financings as (
    select
        *,
        count(*) over financing as registrations_in_financing,
        string_agg(registration_id, ';') over financing as merged_registration_ids,
        row_number() over (
            partition by pledgor_key, pledgee_key, amount_yuan, matched_date
            order by case when right_kind = 'patent' then 0 else 1 end, registration_id
        ) as rank_in_financing
    from keyed
    window financing as (
        partition by pledgor_key, pledgee_key, amount_yuan, matched_date
        order by registration_id
        rows between unbounded preceding and unbounded following
    )
),

-- each Jingzhou holder's unit by its most recent right
holder_units as (
    select
        {{ normalised_name('holder') }} as holder_key,
        unit_code
    from (
        select
            holder,
            held_from,
            unit_code
        from int_patent_holders_dated
        where is_in_jingzhou and unit_code is not null
        union all
        select
            holder,
            held_from,
            unit_code
        from int_trademark_holders_dated
        where is_in_jingzhou and unit_code is not null
    ) as held
    qualify row_number() over (
        partition by {{ normalised_name('holder') }} order by held_from desc, unit_code asc
    ) = 1
),

final as (
    select
        financings.registration_id,
        financings.registration_date,
        year(financings.registration_date) as registration_year,
        financings.right_kind,
        financings.pledgor,
        financings.pledgor_address,
        financings.pledgee,
        financings.amount_yuan,
        financings.contract_date,
        financings.objects,
        financings.registrations_in_financing > 1 as is_merged,
        case
            when financings.registrations_in_financing > 1 then financings.merged_registration_ids
        end as merged_registration_ids,
        case when financings.registrations_in_financing > 1 then financings.matched_on end
            as matched_on,
        case
            when financings.pledgor_address is not null then addresses.unit_code
            else coalesce(holder_units.unit_code, '421099')
        end as unit_code,
        case
            when financings.pledgor_address is not null
                then coalesce(addresses.is_in_jingzhou, false)
            else true
        end as is_in_jingzhou,
        case
            when financings.pledgor_address is not null then 'address'
            when holder_units.unit_code is not null then 'holder_name'
            else 'unattributed'
        end as attributed_by,
        financings.source_file,
        financings.source_row
    from financings
    left join int_addresses_attributed as addresses
        on financings.pledgor_address = addresses.address
    left join holder_units on financings.pledgor_key = holder_units.holder_key
    where financings.rank_in_financing = 1
)

select * from final
