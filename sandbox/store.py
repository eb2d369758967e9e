"""SQLite-backed document store shared by the three API emulators.

Each API keeps its records as JSON documents grouped by ``kind`` (for example
``"opsgenie.schedule"``), plus binary blobs for uploaded files. Every read or
write happens inside :meth:`Store.tx`, which holds one process-wide lock and one
SQLite transaction, so a read-check-write sequence (such as "is this name
taken? then insert") is atomic even with many concurrent requests.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    kind TEXT NOT NULL,
    id   TEXT NOT NULL,
    seq  INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS docs_kind_seq ON docs (kind, seq);
CREATE TABLE IF NOT EXISTS blobs (
    id           TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    data         BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

Doc = dict[str, Any]


class Tx:
    """One open transaction on the store; obtained from :meth:`Store.tx`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, kind: str, doc_id: str) -> Doc | None:
        """Return the document ``doc_id`` of ``kind``, or None."""
        row = self._conn.execute("SELECT data FROM docs WHERE kind=? AND id=?", (kind, doc_id)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put(self, kind: str, doc_id: str, doc: Doc) -> None:
        """Insert or replace a document; a replaced document keeps its list position."""
        data = json.dumps(doc, separators=(",", ":"))
        updated = self._conn.execute(
            "UPDATE docs SET data=? WHERE kind=? AND id=?", (data, kind, doc_id)
        ).rowcount
        if not updated:
            seq = self._conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM docs").fetchone()[0]
            self._conn.execute(
                "INSERT INTO docs (kind, id, seq, data) VALUES (?, ?, ?, ?)", (kind, doc_id, seq, data)
            )

    def delete(self, kind: str, doc_id: str) -> bool:
        """Delete a document; True when it existed."""
        return self._conn.execute("DELETE FROM docs WHERE kind=? AND id=?", (kind, doc_id)).rowcount > 0

    def list(self, kind: str) -> list[Doc]:
        """All documents of ``kind`` in insertion order."""
        rows = self._conn.execute("SELECT data FROM docs WHERE kind=? ORDER BY seq", (kind,)).fetchall()
        return [dict(json.loads(r[0])) for r in rows]

    def count(self, kind: str) -> int:
        """Number of documents of ``kind``."""
        return int(self._conn.execute("SELECT COUNT(*) FROM docs WHERE kind=?", (kind,)).fetchone()[0])

    def put_blob(self, blob_id: str, data: bytes, content_type: str) -> None:
        """Store (or replace) the bytes of an uploaded file."""
        self._conn.execute(
            "INSERT OR REPLACE INTO blobs (id, content_type, data) VALUES (?, ?, ?)",
            (blob_id, content_type, data),
        )

    def get_blob(self, blob_id: str) -> tuple[bytes, str] | None:
        """Return ``(bytes, content_type)`` of a stored file, or None."""
        row = self._conn.execute("SELECT data, content_type FROM blobs WHERE id=?", (blob_id,)).fetchone()
        return None if row is None else (bytes(row[0]), str(row[1]))

    def delete_blob(self, blob_id: str) -> None:
        """Forget a stored file (no error when it is absent)."""
        self._conn.execute("DELETE FROM blobs WHERE id=?", (blob_id,))

    def get_meta(self, key: str) -> str | None:
        """Read a store-level setting (e.g. whether seeding has run)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Write a store-level setting."""
        self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def clear(self) -> None:
        """Remove every document, blob and setting (used by ``POST /_sandbox/reset``)."""
        # One statement at a time: executescript() would COMMIT the open transaction first.
        for table in ("docs", "blobs", "meta"):
            self._conn.execute(f"DELETE FROM {table}")


class Store:
    """A thread-safe SQLite database of documents and blobs.

    ``path`` is a file path (created with its parent folder) or ``":memory:"``.
    One connection is shared behind a lock: the sandbox's requests are short, and
    serialising them is what makes concurrent writers lose nothing.
    """

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    @contextmanager
    def tx(self) -> Iterator[Tx]:
        """Open a transaction: committed on success, rolled back on any exception."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def snapshot(self) -> Store:
        """An in-memory copy of the whole database, as it is now (a dry run's scratch store)."""
        copy = Store(":memory:")
        with self._lock:
            self._conn.backup(copy._conn)
        return copy

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()
