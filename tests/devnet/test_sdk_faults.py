"""The SDK under faults: a proxy refusing connections, delaying replies and dropping replies after devnet ran
the transaction; a devnet restarted from its dump; the submitting process killed and rerun. Each time every
item lands exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from ciro_fuzz.chain.client import Chain
from ciro_fuzz.chain.pool import Devnet, DevnetOptions
from ciro_fuzz.chain.universe import deploy_universe
from ciro_fuzz.model.roles import Role
from ciro_fuzz.sdk import Client, SubmitOptions
from ciro_fuzz.settings import UniverseConfig
from tests.devnet.faultproxy import FaultProxy
from tests.devnet.helpers import job_count, journal_events

N = 400  # 8 chunks of 50 jobs


def jobs_builder(client: Client, n: int, seed: int):
    builder = client.jobs.batch()
    for i in range(n):
        builder.submit(3, seed + i, 10**16)
    return builder


def assert_exactly_once(client: Client, result, before: int, n: int) -> None:
    assert [i.state for i in result.items] == ["accepted"] * n
    assert result.ids() == list(range(before + 1, before + n + 1))  # none lost, none twice, caller's order
    assert job_count(client) == before + n


def test_refused_delayed_and_dropped_replies_lose_and_duplicate_nothing(sdk_universe, tmp_path):
    proxy = FaultProxy(sdk_universe.url)
    try:
        options = SubmitOptions(window=2, backoff=0.05, retries=10, resend_after=0.5)
        client = Client(Chain(proxy.url, timeout=1.0), sdk_universe.actors[Role.CLIENT], sdk_universe.contracts, options)
        before = job_count(client)
        nonce = client.chain.nonce(client.account.address, refresh=True)
        # devnet runs these two transactions but their replies never arrive: a naive retry sends them again
        proxy.drop_replies("starknet_addInvokeTransaction", 2)
        # replies slower than the client's 1 s timeout: the requests time out and are retried
        proxy.delay_replies("starknet_getTransactionReceipt", 2, 1.5)
        proxy.delay_replies("starknet_addInvokeTransaction", 1, 1.5)
        rounds = []

        def refuse_once(state) -> None:
            rounds.append(1)
            if len(rounds) == 1:
                proxy.refuse_for(1.5)  # connections refused for a while in the middle of the run

        result = client.submit(jobs_builder(client, N, 50_000), journal=tmp_path / "j.jsonl", on_progress=refuse_once)
        assert proxy.dropped == 2 and proxy.delayed == 3
        assert_exactly_once(client, result, before, N)
        sent = [e for e in journal_events(result.journal) if e["e"] == "sent"]
        # one transaction per chunk reached the chain, whatever was resent
        assert client.chain.nonce(client.account.address, refresh=True) - nonce == len({e["tx_hash"] for e in sent}) == N // 50
    finally:
        proxy.close()


def test_a_devnet_restarted_from_its_dump_loses_and_duplicates_nothing(toolchain, built, tmp_path):
    dump = tmp_path / "devnet.dump"
    options = DevnetOptions(accounts=10, seed=7, dump_path=dump, dump_on="block", log_dir=tmp_path)
    first = Devnet(toolchain.devnet, options, name="dumped").start()
    proxy = FaultProxy(first.rpc_url)
    second: list[Devnet] = []
    try:
        universe = deploy_universe(Chain(first.rpc_url), built, UniverseConfig())
        contracts = {"jobs": universe.jobs, "pool": universe.pool}
        client = Client(Chain(proxy.url, timeout=5.0), universe.actors[Role.CLIENT], contracts, SubmitOptions(window=1, retries=12, backoff=0.2))
        before = job_count(client)

        def restart() -> None:
            first.stop()  # devnet dies; the SDK sees the proxy's gateway errors meanwhile
            second.append(Devnet(toolchain.devnet, options, name="reloaded").start())  # loads the dump
            proxy.set_upstream(second[0].rpc_url)

        rounds = []

        def kill_after_two_chunks(state) -> None:
            rounds.append(1)
            if len(rounds) == 2:
                threading.Thread(target=restart).start()

        result = client.submit(jobs_builder(client, 300, 70_000), journal=tmp_path / "j.jsonl", on_progress=kill_after_two_chunks)
        assert second, "the devnet was never restarted"
        assert_exactly_once(client, result, before, 300)
    finally:
        proxy.close()
        first.stop()
        for node in second:
            node.stop()


def test_a_killed_submit_resumes_from_its_journal_without_sending_twice(sdk_universe, tmp_path):
    ops = [{"op": "submit", "model_id": 4, "input_hash": 90_000 + i, "payment": 10**16} for i in range(1000)]
    file = tmp_path / "ops.json"
    file.write_text(json.dumps({"contract": "jobs", "operations": ops}))
    journal = tmp_path / "journal.jsonl"
    actor = sdk_universe.actors[Role.CLIENT]
    env = dict(os.environ, CIRO_ACCOUNT_ADDRESS=hex(actor.address), CIRO_PRIVATE_KEY=hex(actor.private_key))
    argv = [sys.executable, "-m", "ciro_fuzz.cli", "submit", str(file), "--rpc-url", sdk_universe.url,
            "--jobs", hex(sdk_universe.jobs), "--pool", hex(sdk_universe.pool), "--journal", str(journal), "--window", "1"]
    client = Client(Chain(sdk_universe.url), actor, sdk_universe.contracts)
    before = job_count(client)
    nonce = client.chain.nonce(actor.address, refresh=True)
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    began = time.monotonic()
    while _receipts(journal) < 3:
        assert proc.poll() is None, proc.stdout.read().decode()  # type: ignore[union-attr]
        assert time.monotonic() - began < 120, "the submission made no progress"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < job_count(client) - before < 1000  # killed half way
    rerun = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "1000 accepted, 0 reverted" in rerun.stdout
    summary = json.loads(Path(str(journal) + ".summary.json").read_text())
    assert [i["id"] for i in summary["items"]] == list(range(before + 1, before + 1001))
    assert job_count(client) == before + 1000
    sent = {e["tx_hash"] for e in journal_events(journal) if e["e"] == "sent"}
    assert client.chain.nonce(actor.address, refresh=True) - nonce == len(sent) == 20


def _receipts(journal: Path) -> int:
    if not journal.exists():
        return 0
    return journal.read_text().count('"e":"receipt"')
