"""dbt's arguments for the build of a home, and the parse the refresh service keeps for its
children (ipwh/service.py). Given that parse, a refresh skips dbt's own: reading the saved
parse and checksumming every project file, about 0.5 s of each build. This module imports
neither polars nor the refresh, so the service may import it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from ipwh.paths import PROJECT_DIR, Home

_parsed: tuple[str, Any] | None = None  # (what it was parsed for, dbt's Manifest)


def build_path(home: Home) -> Path:
    """Where a refresh builds. One fixed path keeps dbt's profile, hence its parse, the same
    from one build to the next: the file's name is the database name of every node."""
    return home.build_dir / "building.duckdb"


def set_profile_env(home: Home, build: Path) -> None:
    """What profiles.yml reads from the environment."""
    os.environ.update(
        {
            "IPWH_BUILD_PATH": str(build),
            "IPWH_RAW_PATH": str(home.raw_db),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        }
    )


def target_path(home: Home) -> Path:
    return home.build_dir / "dbt-target"


def common_args(home: Home) -> list[str]:
    return ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(target_path(home)), "--log-path", str(home.logs)]  # fmt: skip


def keep_parse_of_this_tree(target: Path) -> None:
    """dbt's saved parse (partial_parse.msgpack) holds the absolute paths of the project
    that made it, and dbt reuses it for the same files at another path: a home refreshed
    by a moved or reinstalled code tree read its seeds from the old tree (and failed once
    that was gone). The parse is kept only for the tree that made it."""
    marker, here = target / "project_dir.txt", str(PROJECT_DIR)
    if marker.exists() and marker.read_text(encoding="utf-8") == here:
        return
    (target / "partial_parse.msgpack").unlink(missing_ok=True)
    target.mkdir(parents=True, exist_ok=True)
    marker.write_text(here, encoding="utf-8")


def _parsed_for(home: Home, build: Path) -> str:
    return f"{PROJECT_DIR}\n{target_path(home)}\n{build}\n{home.raw_db}"


def parse_for_children(home: Home) -> None:
    """Parse the project once (the service, before it forks): every child's build reuses
    the result. The service stops when a project file changes (its code stamp)."""
    global _parsed
    from dbt.cli.main import dbtRunner

    cheap_behavior_flag_source()
    # the profile as the builds will have it (the parse records the database of each node)
    set_profile_env(home, build_path(home))
    keep_parse_of_this_tree(target_path(home))
    # dbt's static parser (dbt_extractor) starts native threads, which a process that forks
    # must not have: in a full parse every model is rendered by Jinja instead
    args = ["parse", *common_args(home), "--quiet", "--no-write-json", "--no-static-parser"]
    result = dbtRunner().invoke(args)
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    _parsed = (_parsed_for(home, build_path(home)), result.result)
    _compile_macros(result.result)


def _compile_macros(manifest: Any) -> None:
    """Compile every macro's Jinja template into dbt's process-wide cache, which the
    children inherit: a build otherwise compiles each macro it calls (materializations,
    adapter macros, ours) anew in every refresh. 0.6 s once, for 523 macros."""
    from dbt_common.clients.jinja import template_cache

    for macro in manifest.macros.values():
        template_cache.get_node_template(macro)


def cheap_behavior_flag_source() -> None:
    """dbt names the module that defines each adapter behavior flag by walking
    `inspect.stack()`, which reads the source of every frame and maps every loaded module
    to its file: 19 ms of each build in a refresh child, paid anew per invocation (the
    adapter is rebuilt each time); 1 ms with the module name from the frames' globals."""
    from dbt_common import behavior_flags

    flag = behavior_flags.BehaviorFlagRendered
    if getattr(flag._default_source, "_ipwh_cheap", False):
        return

    def default_source() -> str:
        frame = sys._getframe(1)
        while frame is not None:
            name = frame.f_globals.get("__name__")
            if name and name != behavior_flags.__name__:
                return name
            frame = frame.f_back
        return "Unknown"

    default_source._ipwh_cheap = True  # type: ignore[attr-defined]
    default_source._ipwh_dbt = flag._default_source  # type: ignore[attr-defined]
    flag._default_source = staticmethod(default_source)


def parsed_manifest(home: Home, build: Path) -> Any:
    """The service's parse, if this process is its child and builds what it parsed for."""
    return _parsed[1] if _parsed and _parsed[0] == _parsed_for(home, build) else None
