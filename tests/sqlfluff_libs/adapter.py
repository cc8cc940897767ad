"""dbt's `adapter` for sqlfluff's jinja templater (lint only): a relation that exists, so the
delta-build branches of models that look one up are linted too."""


def get_relation(database: str, schema: str, identifier: str) -> str:
    return f"{schema}.{identifier}"
