-- Patents whose IPC symbols fall in a strategic emerging industry (CNIPA concordance 2021,
-- seeds/reference, plus the office's addendum of links the copy lacks, each with its source:
-- counting-rules.md §2). A reference entry for a class (C08), subclass (H03L) or main group
-- (G06N3/00) covers its subdivisions; other entries match exactly.
with

stg_raw__patents as (
    select * from {{ ref('stg_raw__patents') }}
),

sei_ipc_links_reference as (
    select * from {{ ref('sei_ipc_links') }}
),

sei_ipc_links_addendum as (
    select * from {{ ref('sei_ipc_links_addendum') }}
),

sei_ipc_links as (
    select
        ipc_code,
        sei_rule_id,
        'reference' as link_source
    from sei_ipc_links_reference
    union all
    select
        ipc_code,
        sei_rule_id,
        'addendum: ' || source as link_source
    from sei_ipc_links_addendum
),

sei_rules as (
    select * from {{ ref('sei_rules') }}
),

patent_code_lists as (
    select
        patent_id,
        unnest(list_append(coalesce(ipc_codes, []), ipc_main)) as code
    from stg_raw__patents
    where patent_type = 'invention'
),

patent_codes as (
    select distinct
        patent_id,
        replace(upper(code), ' ', '') as ipc_code
    from patent_code_lists
    where code is not null
),

-- each symbol is looked up as itself, its class, its subclass and its main group
candidates as (
    select
        patent_id,
        ipc_code,
        ipc_code as reference_code
    from patent_codes
    union all
    select
        patent_id,
        ipc_code,
        left(ipc_code, 4) as reference_code
    from patent_codes
    union all
    select
        patent_id,
        ipc_code,
        left(ipc_code, 3) as reference_code
    from patent_codes
    union all
    select
        patent_id,
        ipc_code,
        split_part(ipc_code, '/', 1) || '/00' as reference_code
    from patent_codes
    where contains(ipc_code, '/')
),

final as (
    select
        candidates.patent_id,
        min(candidates.ipc_code) as matched_ipc_code,
        min(sei_ipc_links.ipc_code) as reference_ipc_code,
        string_agg(
            distinct sei_rules.sei_code || ' ' || sei_rules.sei_name, '; '
            order by sei_rules.sei_code || ' ' || sei_rules.sei_name
        ) as sei_industries,
        bool_or(sei_ipc_links.link_source != 'reference') as is_matched_by_addendum
    from candidates
    inner join sei_ipc_links on candidates.reference_code = sei_ipc_links.ipc_code
    inner join sei_rules on sei_ipc_links.sei_rule_id = sei_rules.sei_rule_id
    group by candidates.patent_id
)

select * from final
