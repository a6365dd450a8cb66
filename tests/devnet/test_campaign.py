"""The campaign end to end on the shipped contracts: no failure, the complete access matrix, the reports;
the shared Redis example database against a real redis-server."""

import json
import shutil
import socket
import subprocess
import time

import pytest

from ciro_fuzz.engine.campaign import example_database, run_campaign
from ciro_fuzz.errors import ConfigError
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
