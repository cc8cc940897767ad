"""The demo generator: identifiers stay unique when a province holds many cities."""

import numpy as np

from ipwh import demo


def keys(chunk: int) -> set[tuple[int, int, int]]:
    ps = demo._build_patents(np.random.default_rng(chunk), jingzhou=chunk == 0, chunk=chunk)
    return set(
        zip(demo._years_of(ps.app).tolist(), ps.ptype.tolist(), ps.serial.tolist(), strict=True)
    )


def test_application_numbers_are_unique_within_and_across_chunks():
    first, second = keys(0), keys(1)
    assert not first & second
    ps = demo._build_patents(np.random.default_rng(3), jingzhou=False, chunk=3)
    assert len(keys(3)) == len(ps.app)  # no two patents of a chunk share a number
