"""`ciro-fuzz mutants`: the ci campaign against every planted bug of contracts/mutants/; prints the kill
table (killed or not, by which oracle, time to first failure) and writes it to <report-dir>/kills.json."""

from __future__ import annotations

import json
import time
from pathlib import Path

from ciro_fuzz.build import build, list_mutants
from ciro_fuzz.engine.campaign import run_worker
from ciro_fuzz.errors import ConfigError
from ciro_fuzz.settings import profile


# The smallest failing case we know for each planted bug, as (steps, batch items), written by hand from
# the bug: what a perfect shrinker would reach.
KNOWN_MINIMAL = {
    "atomic_index_off_by_one": (1, 1),  # one atomic batch whose only item fails
    "max_size_off_by_one": (1, 51),  # one batch of MAX_BATCH_SIZE + 1 items
    "claim_pays_failed_items": (3, 2),  # register, distribute rewards, claim batch (the payout doubles)
    "packed_stake_amount_truncated": (2, 2),  # register, packed stake above 2^64
    "packed_rep_delta_sign": (2, 2),  # register, packed reputation update with a non-zero delta
    "verify_batch_fee_lost": (5, 4),  # register, submit, assign (an action), result, batch verify (approved)
    "batch_unstake_skips_owner": (2, 2),  # register (owner), the other owner unstakes it by batch
    "partial_stops_at_first_failure": (1, 2),  # one partial stake batch [invalid, invalid]: the second is never recorded
    "funds_not_reserved_in_batch": (1, 2),  # one partial batch of two jobs each under the funds, together over
    "register_batch_wrong_ids": (1, 2),  # one partial registration batch [valid, invalid]
}


def run_mutants(only: list[str] | None, report_dir: Path, seed: int = 0, shrink_budget: float = 0.0) -> int:
    names = list_mutants()
    unknown = sorted(set(only or []) - set(names))
    if unknown:
        raise ConfigError(f"unknown mutant(s) {', '.join(unknown)}; known: {', '.join(names)}")
    rows = []
    for name in only or names:
        settings = profile("ci", seed=seed, mutant=name, report_dir=report_dir / name).with_(shrink=False)
        settings.report_dir.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        result = run_worker(settings, build(mutant=name))
        first = min(result.failures, key=lambda f: f["found_at"]) if result.failures else None
        oracle = first["oracle"] if first else (("access" if result.sweep_violations else None) or ("dos" if result.gas_violations else None))
        rows.append({
            "mutant": name, "killed": bool(first or result.sweep_violations or result.gas_violations), "oracle": oracle,
            "time_to_first_failure": first["found_at"] if first else None, "examples": result.examples,
            "seconds": round(time.monotonic() - began, 1), "message": first["message"] if first else (result.sweep_violations or result.gas_violations or [None])[0],
            "record": first["record"] if first else None,
        })
        if shrink_budget > 0 and rows[-1]["record"]:
            rows[-1]["shrink"] = _shrink_row(name, Path(rows[-1]["record"]), shrink_budget)
        print(f"{name:<34} {'KILLED' if rows[-1]['killed'] else 'survived':<9} {oracle or '-':<12} first failure {rows[-1]['time_to_first_failure']}s"
              + (f", shrunk {rows[-1]['shrink']['before']} -> {rows[-1]['shrink']['after']} (known minimal {rows[-1]['shrink']['known_minimal']}) in {rows[-1]['shrink']['seconds']}s" if rows[-1].get("shrink") else ""), flush=True)
    killed = sum(r["killed"] for r in rows)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "kills.json").write_text(json.dumps({"kill_rate": killed / max(len(rows), 1), "mutants": rows}, indent=2))
    print(f"kill rate {killed}/{len(rows)}; table in {report_dir / 'kills.json'}")
    return 0 if killed == len(rows) else 1


def _shrink_row(name: str, record_path: Path, budget: float) -> dict:
    from ciro_fuzz.records import load, save
    from ciro_fuzz.records.replay import shrink

    record = load(record_path)
    shrunk, stats = shrink(record, name, budget, out=lambda line: None)
    save(shrunk, record_path.parent, name=f"{record_path.stem}.shrunk")
    return {**stats, "known_minimal": KNOWN_MINIMAL.get(name)}
