"""Where the warehouse keeps its files: everything under $IPWH_HOME (default ./data)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def from_env(cls) -> Home:
        return cls(Path(os.environ.get("IPWH_HOME", "data")).resolve())

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def raw_db(self) -> Path:
        return self.root / "raw.duckdb"

    @property
    def published(self) -> Path:
        """The file the app and exports read; replaced in one step by each publish."""
        return self.root / "warehouse.duckdb"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def lock(self) -> Path:
        return self.root / "refresh.lock"

    @property
    def status_file(self) -> Path:
        return self.root / "status.json"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def data_docs(self) -> Path:
        """great-expectations' Data Docs site of the validations (its index page)."""
        return self.root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
