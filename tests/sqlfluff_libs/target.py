"""dbt's `target` for sqlfluff's jinja templater (lint only): the build database's name."""

database = "building"
