"""The local folder store: one host (a laptop, the SQLite default)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from portal.files.models import CHUNK_SIZE


class FolderStore:
    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        path = (self.folder / key).resolve()
        if not path.is_relative_to(self.folder.resolve()):
            raise ValueError(f"a file key outside the store: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def chunks(self, key: str) -> Iterator[bytes]:
        handle = self._path(key).open("rb")  # FileNotFoundError at once, not when iterated

        def pieces():
            with handle:
                while piece := handle.read(CHUNK_SIZE):
                    yield piece

        return pieces()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def delete_older(self, prefix: str, before: datetime) -> int:
        removed = 0
        for path in self._path(prefix).glob("*"):
            if path.is_file() and path.stat().st_mtime < before.timestamp():
                path.unlink(missing_ok=True)
                removed += 1
        return removed
