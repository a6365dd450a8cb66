"""Quality: the ci profile finds every planted bug of contracts/mutants/ and names the right oracle; a
found failure's record replays identically twice on a fresh devnet, shrinks, and exports as a plain
pytest test that fails on the mutant and passes on the shipped contracts."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ciro_fuzz.build import build, list_mutants
from ciro_fuzz.engine.campaign import run_worker
from ciro_fuzz.records import load
from ciro_fuzz.records.export import export
from ciro_fuzz.records.replay import replay, shrink
from ciro_fuzz.settings import profile

ROOT = Path(__file__).resolve().parents[2]
# The oracle each planted bug must be caught by (the first oracle to fail names it).
EXPECTED = {
    "atomic_index_off_by_one": {"equivalence"},
    "max_size_off_by_one": {"equivalence"},
    "claim_pays_failed_items": {"equivalence", "invariants"},
    "packed_stake_amount_truncated": {"equivalence"},
    "packed_rep_delta_sign": {"equivalence"},
    "verify_batch_fee_lost": {"equivalence", "invariants"},
    "batch_unstake_skips_owner": {"equivalence", "access"},
    "partial_stops_at_first_failure": {"equivalence"},
    "funds_not_reserved_in_batch": {"equivalence"},
    "register_batch_wrong_ids": {"equivalence"},
}


def test_every_mutant_has_an_expectation():
    assert set(list_mutants()) == set(EXPECTED) and len(EXPECTED) >= 8


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_ci_profile_kills_the_mutant(name, tmp_path, toolchain):
    settings = profile("ci", seed=0, mutant=name, report_dir=tmp_path).with_(shrink=False)
    result = run_worker(settings, build(mutant=name))
    oracles = {f["oracle"] for f in result.failures} | ({"access"} if result.sweep_violations else set())
    assert result.failures or result.sweep_violations, f"{name} survived {result.examples} examples"
    first = min(result.failures, key=lambda f: f["found_at"])["oracle"] if result.failures else "access"
    assert first in EXPECTED[name], f"{name} was caught by {oracles}, expected {EXPECTED[name]}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_record_replays_shrinks_and_exports(name, tmp_path, toolchain):
    settings = profile("ci", seed=0, mutant=name, report_dir=tmp_path / "campaign").with_(shrink=False)
    result = run_worker(settings, build(mutant=name))
    assert result.failures, f"{name} not found"
    record = load(Path(result.failures[0]["record"]))
    assert record.mutant == name and record.steps
    verdict = replay(record, name)
    assert verdict.status == "reproduced" and verdict.runs[0] == verdict.runs[1]
    shrunk, stats = shrink(record, name, budget=60)
    assert stats["status"] == "shrunk" and stats["after"] <= stats["before"]
    test_file = export(shrunk, tmp_path / "regressions")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = lambda extra: subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True)  # noqa: E731
    assert run({"CIRO_FUZZ_MUTANT": name}).returncode == 1
    fixed = run({"CIRO_FUZZ_MUTANT": ""})
    assert fixed.returncode == 0, fixed.stdout[-2000:]
