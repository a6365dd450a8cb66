"""Write summary.json, junit.xml and report.html (each atomically) from a campaign's results."""

from __future__ import annotations

import json
import time
from pathlib import Path
from xml.sax.saxutils import escape

from ciro_fuzz.errors import ConfigError
from ciro_fuzz._files import atomic_write
from ciro_fuzz.report.html import render_html

RESULTS = "results.json"


def write_reports(settings, built, results, began: float) -> dict:
    from dataclasses import asdict

    from ciro_fuzz.engine.campaign import result_to_json
    from ciro_fuzz.records.format import tool_versions

    raw = {
        "settings": json.loads(json.dumps(asdict(settings), default=str)),
        "source_hash": built.source_hash, "mutant": built.mutant, "began": began, "ended": time.time(),
        "versions": tool_versions(), "workers": [result_to_json(r) for r in results],
    }
    atomic_write(settings.report_dir / RESULTS, json.dumps(raw, indent=1))
    return _render(settings.report_dir, raw)


def rebuild(report_dir: Path) -> int:
    source = report_dir / RESULTS
    if not report_dir.is_dir():
        raise ConfigError(f"report folder {report_dir} does not exist; give the --report-dir of a finished campaign")
    if not source.is_file():
        raise ConfigError(f"{report_dir} has no {RESULTS}; it is not a campaign report folder (run `ciro-fuzz run --report-dir {report_dir}`)")
    try:
        raw = json.loads(source.read_text())
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source} is not valid JSON ({exc.msg}); rerun the campaign") from exc
    summary = _render(report_dir, raw)
    print(f"rebuilt summary.json, junit.xml and report.html in {report_dir} ({summary['examples']} examples, {len(summary['failures'])} failures)")
    return 0


def summarize(raw: dict) -> dict:
    workers = raw["workers"]
    matrix: dict[str, dict] = {}
    for w in workers:
        for cell, counts in w["matrix"].items():
            merged = matrix.setdefault(cell, {})
            for outcome, n in counts.items():
                merged[outcome] = merged.get(outcome, 0) + n
    gas: dict[str, list] = {}
    for w in workers:
        for name, data in w["gas"].items():
            gas.setdefault(name, []).extend(data["samples"])
    failures = [f for w in workers for f in w["failures"]]
    failures += [{"record": None, "oracle": "access", "message": m, "steps": 0, "found_at": 0} for w in workers for m in w.get("sweep_violations", []) if not any(f["message"] == m.split("] ", 1)[-1] for f in failures)]
    failures += [{"record": None, "oracle": "dos", "message": m, "steps": 0, "found_at": w["duration"]} for w in workers for m in w["gas_violations"]]
    return {
        "examples": sum(w["examples"] for w in workers), "steps": sum(w["steps"] for w in workers),
        "transactions": sum(w["transactions"] for w in workers), "items_checked": sum(w["items_checked"] for w in workers),
        "duration_seconds": round(raw["ended"] - raw["began"], 2), "workers": len(workers),
        "failures": failures, "matrix": matrix, "matrix_declared": len(matrix),
        "matrix_covered": sum(1 for counts in matrix.values() if counts), "gas_samples": gas,
        "gas_fits": {name: _fit(points) for name, points in gas.items()},
        "versions": raw["versions"], "settings": raw["settings"], "source_hash": raw["source_hash"], "mutant": raw["mutant"],
        "timeline": [t for w in workers for t in w["timeline"]],
        # results.json of campaigns from before devnet restarts lack these fields
        "devnet_restarts": sum(w.get("devnet_restarts", 0) for w in workers), "errors": [w["error"] for w in workers if w.get("error")],
        "per_worker": [{key: w.get(key) for key in ("examples", "steps", "items_checked", "transactions", "devnets", "devnet_restarts")} for w in workers],
    }


def _fit(points: list) -> dict | None:
    from ciro_fuzz.oracles.dos import GasModel

    model = GasModel()
    model.samples["x"] = [tuple(p) for p in points]
    return model.fit("x")


def _render(report_dir: Path, raw: dict) -> dict:
    summary = summarize(raw)
    atomic_write(report_dir / "summary.json", json.dumps({k: v for k, v in summary.items() if k != "timeline"}, indent=2))
    atomic_write(report_dir / "junit.xml", _junit(summary))
    records = {}
    for failure in summary["failures"]:
        if failure.get("record") and Path(failure["record"]).is_file():
            records[failure["record"]] = json.loads(Path(failure["record"]).read_text())
    atomic_write(report_dir / "report.html", render_html(summary, records))
    return summary


def _junit(summary: dict) -> str:
    cases = []
    oracles = ["equivalence", "access", "dos", "invariants"]
    for oracle in oracles:
        found = [f for f in summary["failures"] if f["oracle"] == oracle]
        body = "".join(f'<failure message="{escape(f["message"], {chr(34): "&quot;"})}">{escape(str(f.get("record")))}</failure>' for f in found[:1])
        cases.append(f'<testcase classname="ciro_fuzz.campaign" name="{oracle}" time="{summary["duration_seconds"]}">{body}</testcase>')
    n_fail = sum(1 for o in oracles if any(f["oracle"] == o for f in summary["failures"]))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<testsuites><testsuite name="ciro-fuzz" tests="{len(oracles)}" failures="{n_fail}" errors="0" time="{summary["duration_seconds"]}">'
        + "".join(cases) + "</testsuite></testsuites>\n"
    )
