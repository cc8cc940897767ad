"""The demo generator: identifiers stay unique when a province holds many cities."""

import numpy as np

from ipwh import demo
from ipwh.demo.common import _years_of
from ipwh.demo.patents import _build_patents


def keys(chunk: int) -> set[tuple[int, int, int]]:
    ps = _build_patents(np.random.default_rng(chunk), jingzhou=chunk == 0, chunk=chunk)
    return set(zip(_years_of(ps.app).tolist(), ps.ptype.tolist(), ps.serial.tolist(), strict=True))


def test_application_numbers_are_unique_within_and_across_chunks():
    first, second = keys(0), keys(1)
    assert not first & second
    ps = _build_patents(np.random.default_rng(3), jingzhou=False, chunk=3)
    assert len(keys(3)) == len(ps.app)  # no two patents of a chunk share a number


def test_outside_chunks_made_in_worker_processes_append_in_chunk_order(tmp_path, monkeypatch):
    """Province and national scales build their outside-Jingzhou chunks in a process pool;
    the landing files must hold exactly what building the chunk here gives, after Jingzhou's
    rows. (A 4-chunk run was checked byte-identical to the sequential generator.)"""
    monkeypatch.setitem(demo.SCALES, "one_chunk", 2)
    demo.generate(tmp_path / "home", "one_chunk", 5)
    inbox = tmp_path / "home" / "inbox"
    patents = (inbox / "patents" / "incopat_patents_2020-2025.csv").read_bytes()
    marks = (inbox / "trademarks" / "trademarks_jingzhou.csv").read_bytes()
    parts = demo._outside_chunk(5, 1, tmp_path)
    assert parts["patents"].read_bytes().count(b"\n") > 10_000
    assert patents.endswith(parts["patents"].read_bytes())  # after Jingzhou's rows
    assert marks.endswith(parts["trademarks"].read_bytes())
    assert not list((tmp_path / "home").glob("demo-chunks-*"))  # part files cleaned up
