-- Every quarantined row with file, row, field, reason and original values (for the app).
select * from {{ source('raw', 'raw_quarantine') }}
