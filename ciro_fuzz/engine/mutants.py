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


def run_mutants(only: list[str] | None, report_dir: Path, seed: int = 0) -> int:
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
        print(f"{name:<34} {'KILLED' if rows[-1]['killed'] else 'survived':<9} {oracle or '-':<12} first failure {rows[-1]['time_to_first_failure']}s", flush=True)
    killed = sum(r["killed"] for r in rows)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "kills.json").write_text(json.dumps({"kill_rate": killed / max(len(rows), 1), "mutants": rows}, indent=2))
    print(f"kill rate {killed}/{len(rows)}; table in {report_dir / 'kills.json'}")
    return 0 if killed == len(rows) else 1
