"""The raw layer's manifest: one row per file read (loading → accepted, or rejected) and the
files known to hold an accepted load's content, so an unchanged file is not read again."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ingest.kinds import KINDS, Kind

MANIFEST_DDL = """
create sequence if not exists load_id_seq start 1;
create table if not exists raw_manifest (
    load_id integer primary key,
    file_path varchar,
    file_name varchar,
    content_hash varchar,
    kind varchar,
    encoding varchar,
    rows_read bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    status varchar,
    message varchar,
    loaded_at timestamp,
    duration_s double
);
-- the file's size and modification time when it was read: an unchanged file is recognised
-- without reading it again (raw layers written before these columns get them here)
alter table raw_manifest add column if not exists file_size bigint;
alter table raw_manifest add column if not exists file_mtime_ns bigint;
-- why a file was rejected, as a code (FileRejected.cause) the app says in words
alter table raw_manifest add column if not exists rejection_cause varchar;
-- files whose hash showed them to hold an accepted load's content (copied or moved since,
-- or touched): their path, size and mtime, so later runs do not read them again
create table if not exists raw_seen_files (
    file_path varchar,
    kind varchar,
    file_size bigint,
    file_mtime_ns bigint,
    load_id integer
);
create table if not exists raw_quarantine (
    load_id integer,
    file_name varchar,
    source_row bigint,
    kind varchar,
    field varchar,
    reason varchar,
    bad_value varchar,
    original_json varchar
);
"""


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def unchanged_files(con) -> dict[tuple, tuple]:
    """(path, kind, size, mtime_ns) -> (load id, content hash) of the accepted load each
    file held when it had that size and modification time: such a file is not read again
    (a national inbox holds gigabytes). A file written since, or copied in under another
    name, is hashed."""
    rows = con.execute(
        "select file_path, kind, file_size, file_mtime_ns, load_id, content_hash "
        "from raw_manifest where status = 'accepted' and file_mtime_ns is not null "
        "union all "
        "select s.file_path, s.kind, s.file_size, s.file_mtime_ns, m.load_id, m.content_hash "
        "from raw_seen_files as s join raw_manifest as m on s.load_id = m.load_id "
        "where m.status = 'accepted' "
        "order by load_id"
    ).fetchall()
    return {tuple(r[:4]): tuple(r[4:]) for r in rows}  # the latest load wins


def remember_seen(con, path: Path, k: Kind, stat: os.stat_result, load_id: int) -> None:
    """This file, as it is now, holds load `load_id`'s content (its hash said so). No
    transaction: a run stopped between the two statements only hashes the file once more."""
    con.execute("delete from raw_seen_files where file_path = ? and kind = ?", [str(path), k.name])
    con.execute(
        "insert into raw_seen_files values (?, ?, ?, ?, ?)",
        [str(path), k.name, stat.st_size, stat.st_mtime_ns, load_id],
    )


def begin_load(
    con, path: Path, k: Kind, content_hash: str, encoding: str, stat: os.stat_result
) -> int:
    """A manifest row in state `loading`: the file's rows and quarantined rows are written
    under it in their own transactions, and the load becomes visible only when this row
    turns `accepted`. Readers use accepted loads only; a load left `loading` by a killed
    process is discarded by the next connect_raw."""
    load_id = next_load_id(con)
    con.execute(
        "insert into raw_manifest (load_id, file_path, file_name, content_hash, kind, encoding, "
        "rows_read, rows_loaded, rows_quarantined, status, loaded_at, file_size, file_mtime_ns) "
        "values (?, ?, ?, ?, ?, ?, 0, 0, 0, 'loading', now()::timestamp, ?, ?)",
        [load_id, str(path), path.name, content_hash, k.name, encoding, stat.st_size,
         stat.st_mtime_ns],
    )  # fmt: skip
    return load_id


def discard_load(con, load_id: int) -> None:
    con.begin()
    for kind in KINDS:
        con.execute(f"delete from raw_{kind} where _load_id = ?", [load_id])
    con.execute("delete from raw_quarantine where load_id = ?", [load_id])
    con.execute("delete from raw_manifest where load_id = ?", [load_id])
    con.commit()


def discard_incomplete_loads(con) -> list[int]:
    """Loads a killed ingest left in state `loading`: their rows are removed."""
    stale = [
        r[0]
        for r in con.execute("select load_id from raw_manifest where status = 'loading'").fetchall()
    ]
    for load_id in stale:
        discard_load(con, load_id)
    return stale


def next_load_id(con) -> int:
    # duckdb 2.0: a result must be drained before the connection does other work
    return con.execute("select nextval('load_id_seq')").fetchall()[0][0]


def record_rejection(
    con, path: Path, kind: str | None, content_hash: str, message: str, cause: str
) -> int:
    """A rejected file's manifest row (nothing of it loaded); returns its load id."""
    load_id = next_load_id(con)
    con.execute(
        "insert into raw_manifest (load_id, file_path, file_name, content_hash, kind, "
        "rows_read, rows_loaded, rows_quarantined, status, rejection_cause, message, "
        "loaded_at, duration_s) "
        "values (?, ?, ?, ?, ?, 0, 0, 0, 'rejected', ?, ?, now()::timestamp, 0)",
        [load_id, str(path), path.name, content_hash, kind, cause, message],
    )
    return load_id
