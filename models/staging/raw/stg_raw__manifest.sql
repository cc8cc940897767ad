-- Every landing file ingested, accepted or rejected, with its row counts (for the app).
-- A load still being written ('loading') is not yet a delivery.
select * from {{ source('raw', 'raw_manifest') }}
where status in ('accepted', 'rejected')
