"""The submission journal: one JSON header line, then one JSON event per line, each flushed and fsynced
before the action it announces (a transaction is journalled with its hash before it is sent), so a run
killed at any point resumes without sending anything twice."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from pathlib import Path

from ciro_fuzz.errors import JournalError
from ciro_fuzz.sdk.status import RunState

FORMAT, VERSION = "ciro-fuzz-submit-journal", 1
# The header fields a resumed run must match: another contract, account, chain or item list is refused.
IDENTITY = ("chain_id", "contracts", "account", "digest", "mode", "n_items")


def digest(items_json: list[dict]) -> str:
    return hashlib.sha256(json.dumps(items_json, sort_keys=True).encode()).hexdigest()


class Journal:
    """An open journal; it holds an exclusive lock on its file until :meth:`close`, so two processes never
    resume the same submission at once."""

    def __init__(self, path: Path, header: dict, state: RunState, lock: int):
        self.path, self.header, self.state, self._lock = path, header, state, lock
        self.resumed = False

    @classmethod
    def open(cls, path: Path, header: dict) -> "Journal":
        """Create the journal, or load it when it exists and belongs to the same submission."""
        path = Path(path)
        header = {"format": FORMAT, "version": VERSION, **header}
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            raise JournalError(f"journal {path} is in use by another running submission; wait for it or give another --journal") from None
        try:
            return cls._load(path, header, lock)
        except BaseException:
            os.close(lock)
            raise

    @classmethod
    def _load(cls, path: Path, header: dict, lock: int) -> "Journal":
        _drop_torn_tail(path)
        if path.stat().st_size == 0:
            journal = cls(path, header, RunState.new(header["n_items"]), lock)
            journal._write(header)
            return journal
        old_header, events = _read(path)
        for key in IDENTITY:
            if old_header.get(key) != header.get(key):
                raise JournalError(
                    f"journal {path} belongs to another submission ({key}: {old_header.get(key)!r} there, "
                    f"{header.get(key)!r} here); give another --journal path or the same operations and account"
                )
        state = RunState.new(header["n_items"])
        for number, event in events:
            try:
                state.apply(event)
            except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
                raise JournalError(f"journal {path} line {number} is not a valid event ({exc.__class__.__name__}: {exc}); it is corrupted, move it away to start over") from exc
        journal = cls(path, old_header, state, lock)
        journal.resumed = True
        return journal

    def close(self) -> None:
        if self._lock >= 0:
            os.close(self._lock)  # releases the lock
            self._lock = -1

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def append(self, event: dict) -> None:
        self.state.apply(event)
        self._write(event)

    def _write(self, record: dict) -> None:
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, separators=(",", ":")) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def _drop_torn_tail(path: Path) -> None:
    """Cut a final line without its newline: a write the kill interrupted, whose action never happened
    (every event is written before its action). Left in place, the next append would continue it."""
    data = path.read_bytes()
    if not data or data.endswith(b"\n") or f'"format":"{FORMAT}"'.encode() not in data.split(b"\n", 1)[0]:
        return  # complete, or not a journal (which _read refuses without touching it)
    with open(path, "r+b") as handle:
        handle.truncate(data.rfind(b"\n") + 1)  # a torn header alone leaves an empty, new journal
        handle.flush()
        os.fsync(handle.fileno())


def _read(path: Path) -> tuple[dict, list[tuple[int, dict]]]:
    """Header and events; any unreadable line is corruption (the torn tail was cut before)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    lines.pop()  # "" after the final newline
    records = []
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            raise JournalError(f"journal {path} line {number} is not JSON ({exc}); it is corrupted, move it away to start over") from exc
        records.append((number, record))
    if not records or records[0][1].get("format") != FORMAT:
        raise JournalError(f"{path} is not a ciro-fuzz submission journal (no header line); give another --journal path")
    if records[0][1].get("version") != VERSION:
        raise JournalError(f"journal {path} has version {records[0][1].get('version')!r}, this ciro-fuzz reads version {VERSION}")
    for number, record in records[1:]:
        if "e" not in record:
            raise JournalError(f"journal {path} line {number} has no event type; it is corrupted, move it away to start over")
    return records[0][1], records[1:]
