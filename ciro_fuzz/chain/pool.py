"""Devnet processes: start N side by side on free ports, poll them ready, restart the dead, never orphan one.

Every devnet runs in its own session with ``PR_SET_PDEATHSIG`` set, so it dies with the Python process that
started it even when that process is killed hard; a clean exit, Ctrl-C or a crashed test stop it through
``atexit`` and the context manager.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from ciro_fuzz.errors import DevnetError

_LISTENING = re.compile(r"listening on\s+(?:https?://)?([\w.\[\]:]+):(\d+)")
_LIVE: set["Devnet"] = set()
_LIVE_LOCK = threading.Lock()


@dataclass(frozen=True)
class DevnetOptions:
    """How a devnet is started; each field maps to one starknet-devnet flag."""

    seed: int = 0
    accounts: int = 10
    initial_balance: int = 10**30
    block_generation: str = "transaction"  # "transaction", "demand" or a number of seconds
    state_archive: str = "none"  # "full" is needed for devnet_abortBlocks
    lite_mode: bool = True
    host: str = "127.0.0.1"
    port: int = 0  # 0 picks a free port
    start_timeout: float = 60.0
    log_dir: Path = field(default_factory=lambda: Path("reports") / "logs")
    # Persistence: with a dump path, devnet loads it at start when present and, with dump_on="block",
    # rewrites it after every block, so a restarted devnet comes back with every committed transaction.
    dump_path: Path | None = None
    dump_on: str | None = None  # "exit", "block" or "request"

    def argv(self, binary: Path) -> list[str]:
        args = [
            str(binary), "--host", self.host, "--port", str(self.port), "--seed", str(self.seed),
            "--accounts", str(self.accounts), "--initial-balance", str(self.initial_balance),
            "--block-generation-on", self.block_generation, "--state-archive-capacity", self.state_archive,
        ]
        if self.dump_path is not None:
            args += ["--dump-path", str(self.dump_path)] + (["--dump-on", self.dump_on] if self.dump_on else [])
        return args + (["--lite-mode"] if self.lite_mode else [])


try:
    # Loaded here, never in the child: dlopen between fork and exec can deadlock when another thread of
    # the parent held the loader's lock at the fork (seen: a devnet started from a thread never came up).
    _LIBC: ctypes.CDLL | None = ctypes.CDLL("libc.so.6", use_errno=True)
except OSError:
    _LIBC = None


def _die_with_parent() -> None:  # runs in the child between fork and exec
    os.setsid()
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


_SPAWNER: ThreadPoolExecutor | None = None


def _popen(argv: list[str], **kwargs) -> subprocess.Popen:
    """Start a process from a thread that lives as long as this process: PR_SET_PDEATHSIG fires when the
    *thread* that forked the child ends, so a devnet started from a short-lived thread died with it (seen)."""
    global _SPAWNER
    if threading.current_thread() is threading.main_thread():
        return subprocess.Popen(argv, **kwargs)
    with _LIVE_LOCK:
        if _SPAWNER is None:
            _SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="devnet-spawner")
    return _SPAWNER.submit(subprocess.Popen, argv, **kwargs).result()


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex((host, port)) != 0


def rpc(url: str, method: str, params: object = None, timeout: float = 120.0) -> object:
    """One JSON-RPC request; raises DevnetError naming the URL when it cannot be reached."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            reply = json.loads(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
        raise DevnetError(f"devnet at {url} is unreachable ({exc}); start one with `ciro-fuzz devnet` or check --rpc-url") from exc
    if "error" in reply:
        err = reply["error"]
        raise DevnetError(f"{method} failed at {url}: {err.get('message')} {json.dumps(err.get('data'))[:400]}")
    return reply["result"]


class Devnet:
    """One starknet-devnet process."""

    def __init__(self, binary: Path, options: DevnetOptions, name: str = "devnet"):
        self.binary, self.options, self.name = binary, options, name
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.started_in: float | None = None
        self.restarts = 0

    @property
    def url(self) -> str:
        if self.port is None:
            raise DevnetError(f"{self.name} is not running; call start() first")
        return f"http://{self.options.host}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.options.log_dir / f"{self.name}-{os.getpid()}.log"

    def start(self) -> "Devnet":
        options = self.options
        if options.port and not _port_free(options.host, options.port):
            options = replace(options, port=0)  # a taken port: let devnet pick another
        self.options.log_dir.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")
        env = dict(os.environ, RUST_LOG=os.environ.get("CIRO_FUZZ_DEVNET_LOG", "info,rpc=warn"))
        try:
            self.proc = _popen(options.argv(self.binary), stdout=log, stderr=subprocess.STDOUT, env=env, preexec_fn=_die_with_parent)
        except OSError as exc:
            raise DevnetError(f"cannot start {self.binary} ({exc}); run `make setup`") from exc
        finally:
            log.close()
        with _LIVE_LOCK:
            _LIVE.add(self)
        self.port = self._wait_for_port(began)
        self._wait_ready(began)
        self.started_in = time.monotonic() - began
        return self

    def _wait_for_port(self, began: float) -> int:
        offset = self._log_offset  # only this start's lines: a restart appends to the same log
        while time.monotonic() - began < self.options.start_timeout:
            if self.proc is None or self.proc.poll() is not None:
                self.stop()
                raise DevnetError(f"{self.name} exited during start-up; see {self.log_path}")
            with open(self.log_path, "rb") as handle:
                handle.seek(offset)
                matches = _LISTENING.findall(handle.read().decode(errors="replace"))
            if matches:
                return int(matches[-1][1])
            time.sleep(0.05)
        self.stop()
        raise DevnetError(f"{self.name} did not report its port within {self.options.start_timeout}s; see {self.log_path}")

    def _wait_ready(self, began: float) -> None:
        while time.monotonic() - began < self.options.start_timeout:
            try:
                rpc(self.url + "/rpc", "starknet_specVersion", timeout=2)
                return
            except DevnetError:
                time.sleep(0.05)
        self.stop()
        raise DevnetError(f"{self.name} on port {self.port} never answered RPC; see {self.log_path}")

    def alive(self) -> bool:
        if self.proc is None or self.proc.poll() is not None:
            return False
        try:
            rpc(self.url + "/rpc", "starknet_specVersion", timeout=5)
            return True
        except DevnetError:
            return False

    def ensure_alive(self) -> bool:
        """Restart a dead devnet (its state is lost: callers redeploy). True when a restart happened."""
        if self.alive():
            return False
        self.restart()
        return True

    def restart(self) -> "Devnet":
        """Stop this devnet if it still runs and start a fresh one (new port, empty state: callers redeploy)."""
        self.stop()
        self.restarts += 1
        return self.start()

    def pid(self) -> int | None:
        """The devnet process id while it runs (tests kill it to check that campaigns recover)."""
        return None if self.proc is None else self.proc.pid

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        with _LIVE_LOCK:
            _LIVE.discard(self)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=5)

    @property
    def rpc_url(self) -> str:
        return self.url + "/rpc"

    def __enter__(self) -> "Devnet":
        return self.start() if self.proc is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class DevnetPool:
    """N devnets side by side; a context manager that stops them all."""

    def __init__(self, binary: Path, size: int, options: DevnetOptions):
        if size < 1:
            raise DevnetError(f"a devnet pool needs at least 1 devnet, got {size}")
        self.devnets = [Devnet(binary, replace(options, port=0), name=f"devnet{i}") for i in range(size)]

    def start(self) -> "DevnetPool":
        for devnet in self.devnets:
            devnet.start()
        return self

    def stop(self) -> None:
        for devnet in self.devnets:
            devnet.stop()

    def __enter__(self) -> "DevnetPool":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __getitem__(self, index: int) -> Devnet:
        return self.devnets[index]

    def __len__(self) -> int:
        return len(self.devnets)


def live_devnets() -> list[Devnet]:
    """The devnets this process runs now, by port."""
    with _LIVE_LOCK:
        return sorted(_LIVE, key=lambda d: d.port or 0)


def stop_all() -> None:
    """Stop every devnet this process started (atexit and signal handlers call this)."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for devnet in live:
        devnet.stop()


def _on_signal(signum: int, frame: object) -> None:
    stop_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


atexit.register(stop_all)
if threading.current_thread() is threading.main_thread():
    for _sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(_sig) in (signal.SIG_DFL, None):
            signal.signal(_sig, _on_signal)
