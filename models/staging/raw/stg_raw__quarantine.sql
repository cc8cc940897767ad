-- Every quarantined row with file, row, field, reason and original values (for the app).
{{ accepted_rows('raw_quarantine', 'load_id') }}
