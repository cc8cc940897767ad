-- One row per pledge registration (质押登记), amounts exact in 元 whatever the source unit
-- (a raw layer written before amounts were decimal holds doubles: rounded to the fen here).
with

raw_pledges as (
    select * from {{ source('raw', 'raw_pledges') }}
),

latest as (
    select *
    from raw_pledges
    {{ latest_delivery('registration_id') }}
),

final as (
    select
        registration_id,
        registration_date,
        case when right_kind like '%商标%' then 'trademark' else 'patent' end as right_kind,
        pledgor,
        pledgor_address,
        pledgee,
        round(amount_yuan, 2)::decimal(18, 2) as amount_yuan,
        contract_date,
        cancel_date,
        objects,
        _load_id as load_id,
        _file as source_file,
        _row as source_row
    from latest
)

select * from final
