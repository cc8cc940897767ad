"""dbt's `exceptions` namespace for sqlfluff's jinja templater (lint only: renders nothing)."""


def raise_compiler_error(message: str) -> str:
    return ""
