-- Each pledge covering a patent, with its registered amount: criterion 4 of high value sums
-- these up to the as-of date. (decision: a registration covering several patents counts in
-- full for each of them; no official apportioning rule is published.)
with

int_pledges_deduplicated as (
    select * from {{ ref('int_pledges_deduplicated') }}
),

pledged_objects as (
    select
        registration_id,
        registration_date,
        amount_yuan,
        unnest(objects) as object_number
    from int_pledges_deduplicated
    where right_kind = 'patent'
),

final as (
    select
        {{ canonical_application_number('object_number') }} as patent_id,
        registration_id,
        registration_date,
        amount_yuan
    from pledged_objects
)

select * from final
