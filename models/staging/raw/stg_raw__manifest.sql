-- Every landing file ingested, accepted or rejected, with its row counts (for the app).
select * from {{ source('raw', 'raw_manifest') }}
