"""Failure records: the versioned format, replay on a fresh devnet, shrinking, export as a pytest test."""

from __future__ import annotations

from ciro_fuzz.records.format import Failure, FailureRecord, load, save

__all__ = ["Failure", "FailureRecord", "cli_export", "cli_replay", "cli_shrink", "load", "save"]


def cli_replay(args) -> int:
    from ciro_fuzz.records.replay import replay

    record = load(args.record)
    verdict = replay(record, record.mutant)
    if verdict.changed_contracts:
        print(f"warning: contracts changed since the record was made ({', '.join(verdict.changed_contracts)}): class hashes differ")
    for i, (at, message) in enumerate(verdict.runs, 1):
        print(f"run {i}: " + (f"fails at step {at}: {message}" if at >= 0 else "every oracle holds"))
    print(f"{verdict.status}: {record.failure.oracle} failure of record {record.id}")
    return 0 if verdict.status == "reproduced" else 1


def cli_shrink(args) -> int:
    from ciro_fuzz.records.replay import shrink

    record = load(args.record)
    shrunk, stats = shrink(record, record.mutant, args.budget)
    if stats["status"] != "shrunk":
        print(f"not shrunk: the record does not fail on a fresh devnet ({stats['status']})")
        return 1
    path = save(shrunk, args.record.parent, name=f"{record.id}.shrunk")
    print(f"shrunk {stats['before'][0]} steps / {stats['before'][1]} items -> {stats['after'][0]} / {stats['after'][1]} in {stats['seconds']}s ({stats['attempts']} attempts); saved {path}")
    return 0


def cli_export(args) -> int:
    from ciro_fuzz.records.export import export

    path = export(load(args.record), args.out_dir)
    print(f"wrote {path}")
    return 0

