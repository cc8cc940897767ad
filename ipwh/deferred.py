"""Defer modules that great-expectations imports but our suites never use.

`import great_expectations` registers every core expectation, and one of them
(expect_column_kl_divergence_to_be_less_than) imports scipy.stats and altair at module
level: about 1.3 s of a 3 s import that sits on the critical path of every refresh that
has new data. None of our suites uses that expectation. A stand-in module in sys.modules
satisfies the import; the first attribute anyone reads from it imports the real module
and answers from it, so code that does use them still works, only later.

importlib.util.LazyLoader cannot do this on Python 3.11: the import statement itself reads
the module's __spec__ and so triggers the load.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import types

DEFERRED_BY_GX = ("scipy.stats", "altair")
_lock = threading.RLock()  # loading one deferred module may touch another


class DeferredModule(types.ModuleType):
    """Stands in for a module until an attribute of it is first read."""

    def __getattr__(self, attr: str):  # called only for attributes the stand-in lacks
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)  # import machinery probing: stay deferred
        return getattr(load(self.__name__), attr)


def defer(*names: str) -> None:
    """Put a stand-in in sys.modules for each module not imported yet."""
    with _lock:
        for name in names:
            if name not in sys.modules:
                sys.modules[name] = DeferredModule(name)


def load(name: str) -> types.ModuleType:
    """The real module behind a stand-in (imported now if need be)."""
    with _lock:
        if isinstance(sys.modules.get(name), DeferredModule):
            del sys.modules[name]
        module = importlib.import_module(name)
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, module)
        return module


def import_great_expectations() -> types.ModuleType:
    """The one way this project imports great-expectations: unused modules deferred, and
    no usage analytics (no part of a refresh may need the network)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    defer(*DEFERRED_BY_GX)
    import great_expectations

    return great_expectations
