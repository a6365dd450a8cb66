"""The toolchain, the build cache, the devnet pool (ports, readiness, restarts, no orphans) and the chain
client's error handling, on the real binaries."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ciro_fuzz.build import build
from ciro_fuzz.chain.client import Chain
from ciro_fuzz.chain.pool import Devnet, DevnetOptions, DevnetPool
from ciro_fuzz.errors import BuildError, DevnetError, ToolchainError
from ciro_fuzz.toolchain import COMPILER, DEVNET, _install
from ciro_fuzz.toolchain._doctor import doctor


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_toolchain_versions(toolchain):
    assert _install.tool_version(toolchain.devnet, DEVNET) == "0.8.1"
    assert _install.tool_version(toolchain.compiler, COMPILER) == "2.16.0"
    assert _install.corelib_version(toolchain.corelib) == "2.16.0"


def test_doctor_reports_every_piece_and_a_running_devnet(toolchain):
    lines = []
    assert doctor(out=lines.append) == 0
    text = "\n".join(lines)
    for piece in ("starknet-devnet", "starknet-compile", "corelib", "starknet-py", "devnet RPC"):
        assert piece in text
    assert "spec 0.10.2" in text


def test_a_corelib_of_another_version_is_refused_with_both_versions(tmp_path):
    (tmp_path / "Scarb.toml").write_text('[package]\nname = "core"\nversion = "2.15.0"\n')
    with pytest.raises(ToolchainError, match="2.15.0.*2.16.0"):
        _install.check_corelib(tmp_path)


def test_missing_toolchain_names_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("CIRO_FUZZ_TOOLCHAIN", str(tmp_path))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    with pytest.raises(ToolchainError, match="make setup"):
        _install.locate()


def test_build_is_cached_and_a_compile_error_names_file_and_line(toolchain, tmp_path):
    first = build(toolchain=toolchain)
    again = build(toolchain=toolchain)
    assert first.source_hash == again.source_hash and first["CdcPool"].sierra.exists()
    broken = tmp_path / "contracts"
    import shutil

    shutil.copytree(Path(__file__).resolve().parents[2] / "contracts", broken, ignore=shutil.ignore_patterns("target"))
    lib = broken / "src" / "token.cairo"
    lib.write_text(lib.read_text().replace("fn decimals(self: @ComponentState<TContractState>) -> u8 {\n            18", "fn decimals(self: @ComponentState<TContractState>) -> u8 {\n            nope"))
    with pytest.raises(BuildError, match=r"token.cairo:\d+: "):
        build(contracts=broken, toolchain=toolchain)
    assert not list((broken / "target" / "ciro-fuzz").glob("*/manifest.json"))


def test_pool_starts_devnets_on_distinct_ports_and_stops_them(toolchain, tmp_path):
    with DevnetPool(toolchain.devnet, 2, DevnetOptions(log_dir=tmp_path)) as pool:
        ports = {d.port for d in pool.devnets}
        pids = [d.proc.pid for d in pool.devnets]
        assert len(ports) == 2 and all(d.alive() for d in pool.devnets)
        assert all(d.log_path.exists() for d in pool.devnets)
    time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids)


def test_a_taken_port_makes_devnet_take_another(toolchain, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        with Devnet(toolchain.devnet, DevnetOptions(port=taken, log_dir=tmp_path)) as devnet:
            assert devnet.port != taken and devnet.alive()


def test_a_dead_devnet_is_noticed_and_restarted(toolchain, tmp_path):
    with Devnet(toolchain.devnet, DevnetOptions(log_dir=tmp_path)) as devnet:
        os.killpg(devnet.proc.pid, signal.SIGKILL)
        devnet.proc.wait()
        assert not devnet.alive()
        assert devnet.ensure_alive() is True
        assert devnet.alive() and devnet.restarts == 1


def test_no_orphan_devnet_when_the_owning_process_is_killed(toolchain, tmp_path):
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from ciro_fuzz.chain.pool import Devnet, DevnetOptions
        d = Devnet(Path({str(toolchain.devnet)!r}), DevnetOptions(log_dir=Path({str(tmp_path)!r}))).start()
        print(d.proc.pid, flush=True)
        time.sleep(600)
    """)
    owner = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    pid = int(owner.stdout.readline())
    assert _alive(pid)
    owner.kill()  # SIGKILL: no atexit, no finally; PR_SET_PDEATHSIG must take the devnet down
    owner.wait()
    deadline = time.time() + 10
    while _alive(pid) and time.time() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


def test_no_orphan_devnet_after_ctrl_c(toolchain, tmp_path):
    script = textwrap.dedent(f"""
        import faulthandler, signal, time
        from pathlib import Path
        from ciro_fuzz.chain.pool import Devnet, DevnetOptions
        faulthandler.register(signal.SIGUSR1, all_threads=True)  # the test dumps the stacks if it hangs
        # A background job of a non-interactive shell inherits SIGINT ignored (seen in CI): Ctrl-C as in
        # a terminal is what this test is about.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        with Devnet(Path({str(toolchain.devnet)!r}), DevnetOptions(log_dir=Path({str(tmp_path)!r}))) as d:
            print(d.proc.pid, flush=True)
            time.sleep(600)
    """)
    owner = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pid = int(owner.stdout.readline())
    owner.send_signal(signal.SIGINT)
    try:
        owner.wait(timeout=60)
    except subprocess.TimeoutExpired:
        owner.send_signal(signal.SIGUSR1)
        time.sleep(1)
        owner.kill()
        pytest.fail(f"the owner did not exit on Ctrl-C; its stacks:\n{owner.communicate()[1]}")
    time.sleep(0.2)
    assert not _alive(pid)


def test_an_unreachable_devnet_is_one_line_naming_the_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DevnetError) as err:
        Chain(f"http://127.0.0.1:{port}/rpc")
    assert f"127.0.0.1:{port}" in str(err.value) and "\n" not in str(err.value)


def test_simulation_leaves_state_untouched_and_reports_gas(world):
    from ciro_fuzz.model.roles import Role
    from tests.devnet.helpers import simulate

    before = world.chain.call(world.universes[0].pool, "worker_count")
    outcome = simulate(world, Role.OWNER, "pool", "register_worker", [1, 1, 1, 1, 10**18, 0])
    assert not outcome.reverted and outcome.l2_gas > 0 and outcome.storage_diff
    assert world.chain.call(world.universes[0].pool, "worker_count") == before
