"""The build cache's database file: its tables, its connections, each entry's checksum, its writes.

A table per kind of entry (`MAIN`): a key, the entry's fields as JSON, its main text as UTF-8
bytes and the CRC-32 of the three (`checksum`). `BuildCache` (buildcache.py) decides what is
kept and read; this module is how it lies on the disk.
"""

from __future__ import annotations

import logging
import sqlite3
import zlib
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.tracksite")

#: The tables, each with the text field every entry has: converted pages, and whole rendered
#: pages (pagecache.py). That text (most of an entry's bytes) has a column of its own, apart from
#: the entry's other fields as JSON: decoding it from JSON was most of a warm build's reading.
MAIN = {"pages": "content", "outputs": "output"}
TABLES = tuple(MAIN)
COLUMNS = ["key", "value", "text", "crc"]


def create(db: sqlite3.Connection) -> None:
    """The tables, made again where an older cache has them with other columns."""
    for table in TABLES:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        if columns and columns != COLUMNS:
            db.execute(f"DROP TABLE {table}")
        db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value TEXT, text BLOB, crc INTEGER)")


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the cache (the build's, or a helper's): autocommit, and usable by the
    thread that writes it at the end of a build (`BuildCache.close`). Its writes are not synced
    to the disk: a build killed midway still leaves a whole database (SQLite's journal is kept),
    and one that a system crash left damaged fails its checks and is discarded as any other
    (`get`); syncing was most of the processor time of writing a page's entries. A new database
    gets pages of 16 KB, not 4: a page's entries (60 KB of HTML) then take a quarter of the
    overflow pages, and a cold build wrote them in three quarters of the time."""
    db = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA page_size=16384")  # (a database already made keeps its own)
    return db


def checksum(key: str, value: str, text: bytes) -> int:
    """An entry's checksum: CRC-32 of its key, its fields and its text (as UTF-8), each ended.
    It finds an entry a crash or the disk damaged (the database is written unsynced: `connect`);
    the folder is the user's own (core/localstate.py), so it guards against accidents, not
    forgers, and a CRC does that at a fifth of SHA-256's time over a page's 60 KB."""
    head = key.encode("utf-8", "surrogatepass") + b"\0" + value.encode("utf-8", "surrogatepass") + b"\0"
    return zlib.crc32(text, zlib.crc32(head))


def insert(db: sqlite3.Connection, new: dict[tuple[str, str], tuple[str, str]]) -> None:
    """The entries, each text as UTF-8 bytes encoded once here, for its checksum and the database
    alike (bound as text, SQLite's module encoded a page's HTML a second time)."""
    for table in TABLES:
        rows = []
        for (t, k), (v, text) in new.items():
            if t == table:
                data = text.encode("utf-8", "surrogatepass")
                rows.append((k, v, data, checksum(k, v, data)))
        db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?)", rows)


def write(db: sqlite3.Connection, new: dict[tuple[str, str], tuple[str, str]], used: set, prune: bool) -> None:
    try:
        with db:
            db.execute("BEGIN")
            insert(db, new)
            if prune:
                db.execute("CREATE TEMP TABLE used (tab TEXT, key TEXT, PRIMARY KEY (tab, key))")
                db.executemany("INSERT OR IGNORE INTO used VALUES (?, ?)", list(used))
                for table in TABLES:
                    db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM used WHERE tab = ?)", (table,))
    except sqlite3.Error as e:
        log.info("tracksite: the build cache was not updated: %s", e)
    finally:
        db.close()
