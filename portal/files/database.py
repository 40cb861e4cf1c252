"""The database store: the files in the database every host shares (``models``). Writes go
through the caller's session (and commit with its work); reads fetch one chunk per query, so
a large file never sits whole in an app process, on a connection of their own that goes
back to the pool with the download's end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from portal.db import db, reading
from portal.files.models import CHUNK_SIZE, FileChunk, StoredFile


class DatabaseStore:
    def put(self, key: str, data: bytes) -> None:
        pieces = [data[i : i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE)] or [b""]
        try:
            with db.session.begin_nested():
                row = StoredFile(key=key, size=len(data), chunks=len(pieces))
                db.session.add(row)
                db.session.flush()
                db.session.execute(
                    insert(FileChunk),
                    [{"file_id": row.id, "n": n, "data": piece} for n, piece in enumerate(pieces)],
                )
        except IntegrityError:
            pass  # stored already under this key (another worker made the same file)

    def exists(self, key: str) -> bool:
        return bool(db.session.scalar(select(exists().where(StoredFile.key == key))))

    def chunks(self, key: str) -> Iterator[bytes]:
        found = db.session.execute(
            select(StoredFile.id, StoredFile.chunks).where(StoredFile.key == key)
        ).first()
        if found is None:
            raise FileNotFoundError(key)
        file_id, count = found
        # A connection of its own (a test's own one as it is): the response streams after
        # the request's session is gone, and gives the connection back at the end.
        bind = db.session.get_bind()

        def read(connection: Connection) -> Iterator[bytes]:
            for n in range(count):
                # a reading transaction: on SQLite it waits for no writer (the caller's own
                # session may hold the write lock in this very thread)
                with reading():
                    piece = connection.scalar(
                        select(FileChunk.data).where(FileChunk.file_id == file_id, FileChunk.n == n)
                    )
                yield piece

        def pieces():
            if isinstance(bind, Connection):
                yield from read(bind)
                return
            with bind.connect() as connection:
                yield from read(connection)

        return pieces()

    def delete(self, key: str) -> None:
        ids = select(StoredFile.id).where(StoredFile.key == key).scalar_subquery()
        db.session.execute(delete(FileChunk).where(FileChunk.file_id == ids))
        db.session.execute(delete(StoredFile).where(StoredFile.key == key))

    def delete_older(self, prefix: str, before: datetime) -> int:
        old = select(StoredFile.id).where(
            StoredFile.key.startswith(prefix, autoescape=True), StoredFile.created_at < before
        )
        ids = list(db.session.scalars(old))
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            db.session.execute(delete(FileChunk).where(FileChunk.file_id.in_(batch)))
            db.session.execute(delete(StoredFile).where(StoredFile.id.in_(batch)))
        return len(ids)
