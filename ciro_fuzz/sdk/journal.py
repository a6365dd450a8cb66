"""The submission journal: one JSON header line, then one JSON event per line, each flushed and fsynced
before the action it announces (a transaction is journalled with its hash before it is sent), so a run
killed at any point resumes without sending anything twice."""

from __future__ import annotations

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
    def __init__(self, path: Path, header: dict, state: RunState):
        self.path, self.header, self.state = path, header, state

    @classmethod
    def open(cls, path: Path, header: dict) -> "Journal":
        """Create the journal, or load it when it exists and belongs to the same submission."""
        path = Path(path)
        header = {"format": FORMAT, "version": VERSION, **header}
        if not path.exists() or path.stat().st_size == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
            journal = cls(path, header, RunState.new(header["n_items"]))
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
        return cls(path, old_header, state)

    def append(self, event: dict) -> None:
        self.state.apply(event)
        self._write(event)

    def _write(self, record: dict) -> None:
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, separators=(",", ":")) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def _read(path: Path) -> tuple[dict, list[tuple[int, dict]]]:
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    # A final line without its newline is a write the kill interrupted: its action never happened (every
    # event is written before its action), so it is dropped. Any other unreadable line is corruption.
    lines.pop()  # "" when the file ends with a newline, else the torn write
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
