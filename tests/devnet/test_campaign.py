"""The campaign end to end on the shipped contracts: no failure, the complete access matrix, the reports;
a devnet killed mid-campaign (restarted, or a one-line error); the shared Redis example database against a
real redis-server."""

import json
import os
import signal
import shutil
import socket
import subprocess
import time

import pytest

from ciro_fuzz.engine.campaign import example_database, run_campaign
from ciro_fuzz.errors import ConfigError, DevnetError
from ciro_fuzz.settings import profile


def test_ci_campaign_passes_on_the_shipped_contracts_and_reports(tmp_path, toolchain, capsys):
    settings = profile("ci", seed=1, examples=6, steps=4, report_dir=tmp_path / "campaign")
    assert run_campaign(settings) == 0, capsys.readouterr().out[-3000:]
    summary = json.loads((tmp_path / "campaign" / "summary.json").read_text())
    assert summary["failures"] == []
    assert summary["examples"] >= 6 and summary["items_checked"] > 0
    assert summary["matrix_covered"] == summary["matrix_declared"] > 100
    junit = (tmp_path / "campaign" / "junit.xml").read_text()
    assert 'tests="4" failures="0"' in junit
    html = (tmp_path / "campaign" / "report.html").read_text()
    assert "<svg" in html and "Access matrix" in html and "<script" not in html


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed: run `make setup` (it installs redis-server from Debian)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


def test_redis_database_is_hypothesis_own_backend_and_shares_examples(redis_url, tmp_path):
    from hypothesis.extra.redis import RedisExampleDatabase

    first = example_database(redis_url, tmp_path / "a")
    second = example_database(redis_url, tmp_path / "b")  # another machine, same server
    assert isinstance(first, RedisExampleDatabase)
    first.save(b"target", b"example")
    assert list(second.fetch(b"target")) == [b"example"]


def test_a_campaign_writes_its_examples_to_the_shared_redis(redis_url, tmp_path, toolchain):
    import redis

    client = redis.Redis.from_url(redis_url)
    assert not client.keys(b"ciro-fuzz*")
    settings = profile("ci", seed=2, examples=4, steps=3, report_dir=tmp_path / "a", database=redis_url)
    assert run_campaign(settings) == 0
    # Hypothesis keeps its corpus (here the target-phase examples) under ciro-fuzz keys: what a second
    # machine pointed at the same server reuses first.
    assert client.keys(b"ciro-fuzz*")


def test_an_unreachable_redis_is_a_one_line_error(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConfigError, match=f"127.0.0.1:{port}.*unreachable"):
        example_database(f"redis://127.0.0.1:{port}/0", tmp_path)


def _kill_devnets(monkeypatch, at: int, name: str = "worker0", every: bool = False) -> list[dict]:
    """SIGKILL the named devnet as example ``at`` starts (its first step's RPC then fails), or as every
    example from ``at`` on; returns what was killed."""
    from ciro_fuzz.chain.pool import live_devnets
    from ciro_fuzz.engine import campaign

    killed: list[dict] = []
    original = campaign.Progress.example

    def example(progress):
        original(progress)
        if progress.result.examples == at or (every and progress.result.examples > at):
            victim = next(d for d in live_devnets() if d.name == name)
            killed.append({"url": victim.rpc_url, "examples": progress.result.examples})
            os.kill(victim.pid(), signal.SIGKILL)
            victim.proc.wait(timeout=10)

    monkeypatch.setattr(campaign.Progress, "example", example)
    return killed


def test_a_devnet_killed_mid_campaign_is_restarted_and_the_campaign_goes_on(tmp_path, toolchain, monkeypatch, capsys):
    killed = _kill_devnets(monkeypatch, at=3)
    settings = profile("ci", seed=4, examples=8, steps=4, report_dir=tmp_path / "campaign")
    assert run_campaign(settings) == 0, capsys.readouterr().out[-3000:]
    out = capsys.readouterr().out
    assert len(killed) == 1 and "devnet worker0 died mid-campaign; restarting it (1/3)" in out
    summary = json.loads((tmp_path / "campaign" / "summary.json").read_text())
    assert summary["devnet_restarts"] == 1 and summary["errors"] == []
    assert summary["failures"] == []  # the interrupted example is no finding
    devnets = summary["per_worker"][0]["devnets"]
    assert len(devnets) == 2 and devnets[0] == killed[0]["url"]
    assert summary["examples"] > killed[0]["examples"]  # examples ran on the restarted devnet
    assert summary["matrix_covered"] == summary["matrix_declared"]


def test_a_devnet_that_keeps_dying_ends_the_campaign_with_one_line_after_three_restarts(tmp_path, toolchain, monkeypatch):
    killed = _kill_devnets(monkeypatch, at=2, every=True)
    settings = profile("ci", seed=5, examples=20, steps=3, report_dir=tmp_path / "campaign")
    with pytest.raises(DevnetError, match="worker0 kept dying: 3 restarts spent") as error:
        run_campaign(settings)
    assert "\n" not in str(error.value) and str(tmp_path / "campaign" / "failures") in str(error.value)
    assert len(killed) == 4
    summary = json.loads((tmp_path / "campaign" / "summary.json").read_text())  # the reports are still written
    assert summary["devnet_restarts"] == 3 and summary["errors"] == [str(error.value)] and summary["failures"] == []


def test_an_external_devnet_that_dies_is_a_one_line_error_naming_its_url(tmp_path, toolchain, monkeypatch):
    from ciro_fuzz.chain.pool import Devnet
    from ciro_fuzz.engine.campaign import devnet_options

    settings = profile("ci", seed=6, examples=6, steps=3, report_dir=tmp_path / "campaign")
    with Devnet(toolchain.devnet, devnet_options(settings), name="external") as node:
        killed = _kill_devnets(monkeypatch, at=2, name="external")
        with pytest.raises(DevnetError, match=f"the devnet at {node.rpc_url} stopped answering mid-campaign") as error:
            run_campaign(settings.with_(rpc_url=node.rpc_url))
    assert "\n" not in str(error.value) and len(killed) == 1
    summary = json.loads((tmp_path / "campaign" / "summary.json").read_text())
    assert summary["devnet_restarts"] == 0 and summary["examples"] == 2


def test_two_workers_run_side_by_side_on_their_own_devnets_and_merge_their_results(tmp_path, toolchain):
    settings = profile("ci", seed=7, examples=3, steps=2, workers=2, report_dir=tmp_path / "campaign")
    assert run_campaign(settings) == 0
    summary = json.loads((tmp_path / "campaign" / "summary.json").read_text())
    workers = summary["per_worker"]
    assert summary["workers"] == 2 and summary["failures"] == [] and summary["errors"] == []
    assert all(w["examples"] >= 3 for w in workers) and summary["examples"] == sum(w["examples"] for w in workers)
    devnets = [url for w in workers for url in w["devnets"]]
    assert len(devnets) == len(set(devnets)) == 2  # one devnet each, on distinct ports
    raw = json.loads((tmp_path / "campaign" / "results.json").read_text())["workers"]
    cell = next(iter(summary["matrix"]))
    merged = {outcome: sum(w["matrix"][cell].get(outcome, 0) for w in raw) for outcome in summary["matrix"][cell]}
    assert summary["matrix"][cell] == merged and summary["matrix_covered"] == summary["matrix_declared"]


def test_a_worker_process_that_dies_ends_the_campaign_with_one_line_instead_of_hanging(tmp_path, toolchain):
    import multiprocessing
    import threading

    from ciro_fuzz.errors import CiroFuzzError

    def kill_a_worker():
        while not multiprocessing.active_children():
            time.sleep(0.1)
        time.sleep(3)
        os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)

    threading.Thread(target=kill_a_worker, daemon=True).start()
    settings = profile("ci", seed=8, examples=50, steps=3, workers=2, report_dir=tmp_path / "campaign")
    with pytest.raises(CiroFuzzError, match="a campaign worker process died") as error:
        run_campaign(settings)
    assert "\n" not in str(error.value)


def test_a_duration_stops_a_large_campaign_soon_after_its_deadline_and_reports_its_examples(tmp_path, toolchain, capsys):
    duration = 20.0
    settings = profile("ci", seed=9, examples=100_000, steps=2, duration=duration, report_dir=tmp_path / "campaign")
    began = time.monotonic()
    assert run_campaign(settings) == 0
    elapsed = time.monotonic() - began
    # The budget is checked between Hypothesis runs of CHUNK examples: the bound allows one run past it.
    assert duration <= elapsed < duration + 60
    summary = json.loads((tmp_path / "campaign" / "summary.json").read_text())
    assert 0 < summary["examples"] < 100_000 and summary["items_checked"] > 0
    assert f"campaign done: {summary['examples']} examples" in capsys.readouterr().out
