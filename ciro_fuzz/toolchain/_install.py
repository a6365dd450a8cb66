"""Locate, build and cache the Starknet toolchain (devnet, compiler, Sierra-to-CASM compiler, corelib).

Builds run ``cargo install --locked --version V --root <cache>/.tmp-<tool>-<V>-<pid>`` and are renamed to
``<cache>/<tool>-<V>`` only when complete, under a file lock, so two setups at once never build twice and
an interrupted build never leaves a half-installed tool behind. All installs share one
``CARGO_TARGET_DIR`` so crates common to the compilers and devnet compile once.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ciro_fuzz.errors import ToolchainError
from ciro_fuzz.toolchain import versions
from ciro_fuzz.toolchain.versions import Tool


def cache_root() -> Path:
    """The per-user toolchain cache: ``$CIRO_FUZZ_TOOLCHAIN`` or ``~/.cache/ciro-fuzz/toolchain``."""
    env = os.environ.get("CIRO_FUZZ_TOOLCHAIN")
    return Path(env).expanduser().resolve() if env else Path.home() / ".cache" / "ciro-fuzz" / "toolchain"


@dataclass(frozen=True)
class Toolchain:
    """Where each piece of an installed toolchain lives."""

    compiler: Path
    sierra_compiler: Path
    devnet: Path
    corelib: Path

    def describe(self) -> dict[str, str]:
        return {
            "starknet-compile": f"{versions.COMPILER.version} {self.compiler}",
            "starknet-sierra-compile": f"{versions.SIERRA_COMPILER.version} {self.sierra_compiler}",
            "starknet-devnet": f"{versions.DEVNET.version} {self.devnet}",
            "corelib": f"{versions.CORELIB_VERSION} {self.corelib}",
        }


def tool_version(binary: Path, tool: Tool) -> str | None:
    """The version a binary reports, or None when it does not run."""
    try:
        out = subprocess.run([str(binary), tool.version_flag], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"(\d+\.\d+\.\d+\S*)", out.stdout + out.stderr)
    return match.group(1) if out.returncode == 0 and match else None


def _cached_binary(tool: Tool, root: Path) -> Path:
    return root / f"{tool.name}-{tool.version}" / "bin" / tool.name


def locate_tool(tool: Tool, root: Path | None = None) -> Path | None:
    """The cached binary of ``tool``, else one on PATH whose version fits, else None."""
    cached = _cached_binary(tool, root or cache_root())
    if cached.is_file():
        return cached
    on_path = shutil.which(tool.name)
    if on_path and tool_version(Path(on_path), tool) == tool.version:
        return Path(on_path)
    return None


def corelib_dir(root: Path | None = None) -> Path:
    """Where the compiler finds its corelib: ``corelib/`` beside the ``bin/`` of its install root."""
    return (root or cache_root()) / f"{versions.COMPILER.name}-{versions.COMPILER.version}" / "corelib"


def corelib_version(path: Path) -> str | None:
    manifest = path / "Scarb.toml"
    if not manifest.is_file():
        return None
    match = re.search(r'^version\s*=\s*"([^"]+)"', manifest.read_text(), re.MULTILINE)
    return match.group(1) if match else None


def check_corelib(path: Path) -> None:
    """Refuse a corelib whose version is not the compiler's, naming both."""
    found = corelib_version(path)
    if found is None:
        raise ToolchainError(f"corelib missing at {path}; run `make setup` (or `ciro-fuzz toolchain install`)")
    if found != versions.CORELIB_VERSION:
        raise ToolchainError(
            f"corelib at {path} is version {found} but starknet-compile is {versions.CORELIB_VERSION}; "
            f"delete {path} and run `make setup`"
        )


def locate(need_devnet: bool = True) -> Toolchain:
    """The installed toolchain, or a ToolchainError with the one-line fix (devnet may be left out)."""
    tools = versions.TOOLS if need_devnet else (versions.COMPILER, versions.SIERRA_COMPILER)
    found = {tool.name: locate_tool(tool) for tool in tools}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise ToolchainError(
            f"{', '.join(missing)} not installed in {cache_root()}; run `make setup` (or `ciro-fuzz toolchain install`)"
        )
    corelib = corelib_dir()
    compiler = found[versions.COMPILER.name]
    assert compiler is not None
    if compiler.parent.parent / "corelib" != corelib:
        # A compiler taken from PATH finds its corelib 2-4 levels above itself, not in our cache.
        corelib = compiler.parent.parent / "corelib"
    check_corelib(corelib)
    return Toolchain(
        compiler=compiler,
        sierra_compiler=found[versions.SIERRA_COMPILER.name],  # type: ignore[arg-type]
        devnet=found.get(versions.DEVNET.name) or Path("starknet-devnet-not-installed"),
        corelib=corelib,
    )


@contextmanager
def _cache_lock(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another toolchain setup holding {root / '.lock'} ...", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Progress:
    """Prints what cargo is compiling and the elapsed time, in place on a terminal, every 30 s otherwise."""

    def __init__(self, label: str, log: Path):
        self.label, self.log, self.start = label, log, time.monotonic()
        self.tty = sys.stdout.isatty()
        self.last_print = 0.0

    def tick(self) -> None:
        now = time.monotonic()
        if now - self.last_print < (1.0 if self.tty else 30.0):
            return
        self.last_print = now
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        compiled = re.findall(r"Compiling (\S+ v\S+)", text)
        latest = compiled[-1] if compiled else "resolving"
        line = f"building {self.label}: {len(compiled)} crates compiled, now {latest}, {now - self.start:.0f}s"
        print(f"\r{line[:110]:<110}" if self.tty else line, end="" if self.tty else "\n", flush=True)

    def done(self) -> None:
        end = "\n" if self.tty else ""
        print(f"{end}built {self.label} in {time.monotonic() - self.start:.0f}s", flush=True)


def _cargo() -> str:
    cargo = shutil.which("cargo") or str(Path.home() / ".cargo" / "bin" / "cargo")
    if not Path(cargo).is_file():
        raise ToolchainError("cargo not found on PATH or in ~/.cargo/bin; install Rust with rustup, then run `make setup`")
    return cargo


def _run_logged(argv: list[str], log: Path, label: str, cwd: Path | None = None) -> None:
    env = dict(os.environ, CARGO_TARGET_DIR=str(cache_root() / ".cargo-target"), CARGO_TERM_COLOR="never")
    progress = _Progress(label, log)
    with open(log, "w") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        try:
            while proc.poll() is None:
                progress.tick()
                time.sleep(0.5)
        except BaseException:
            proc.kill()
            raise
    if proc.returncode != 0:
        raise ToolchainError(f"{label} failed to build (exit {proc.returncode}); see {log}")
    progress.done()


def _build_tool(tool: Tool, root: Path) -> Path:
    final = root / f"{tool.name}-{tool.version}"
    tmp = root / f".tmp-{tool.name}-{tool.version}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    log = root / "logs" / f"{tool.name}-{tool.version}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    argv = [_cargo(), "install", "--locked", "--version", tool.version, "--root", str(tmp), tool.crate]
    began = time.monotonic()
    _run_logged(argv, log, f"{tool.crate} {tool.version}")
    _record_build_time(root, f"{tool.name}-{tool.version}", time.monotonic() - began)
    keep_corelib = final / "corelib"
    if keep_corelib.is_dir():  # a corelib placed before a rebuild of the compiler stays
        shutil.move(str(keep_corelib), str(tmp / "corelib"))
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    return final / "bin" / tool.name


def _record_build_time(root: Path, name: str, seconds: float) -> None:
    """Cold build figures for `ciro-fuzz bench devnet` (cache/build-times.json)."""
    import json

    path = root / "build-times.json"
    data = json.loads(path.read_text()) if path.is_file() else {}
    data[name] = {"seconds": round(seconds, 1), "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "cpus": os.cpu_count()}
    path.write_text(json.dumps(data, indent=2))


def _install_corelib(root: Path) -> None:
    """Fetch the cairo-native crate's source (never built) and copy its 2.16.0 corelib beside the compiler."""
    target = corelib_dir(root)
    work = Path(tempfile.mkdtemp(prefix=".tmp-corelib-", dir=root))
    try:
        (work / "src").mkdir()
        (work / "src" / "lib.rs").write_text("")
        (work / "Cargo.toml").write_text(
            '[package]\nname = "corelib-fetch"\nversion = "0.0.0"\nedition = "2021"\n'
            f'[dependencies]\n{versions.CORELIB_CRATE} = "={versions.CORELIB_CRATE_VERSION}"\n'
        )
        log = root / "logs" / "corelib.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        _run_logged([_cargo(), "fetch", "--manifest-path", str(work / "Cargo.toml")], log, "corelib source fetch")
        cargo_home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
        name = f"{versions.CORELIB_CRATE}-{versions.CORELIB_CRATE_VERSION}"
        sources = sorted(cargo_home.glob(f"registry/src/*/{name}/corelib"))
        if not sources:
            raise ToolchainError(f"{name} source has no corelib/ under {cargo_home}/registry/src; see {log}")
        staged = work / "corelib"
        shutil.copytree(sources[0], staged)
        check_corelib(staged)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        staged.rename(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def install() -> Toolchain:
    """Build whatever is missing (idempotent); returns the located toolchain."""
    root = cache_root()
    if all(locate_tool(t, root) for t in versions.TOOLS) and corelib_version(corelib_dir(root)) == versions.CORELIB_VERSION:
        return locate()
    with _cache_lock(root):
        for tool in versions.TOOLS:
            if locate_tool(tool, root) is None:
                _build_tool(tool, root)
        compiler = locate_tool(versions.COMPILER, root)
        assert compiler is not None
        if compiler == _cached_binary(versions.COMPILER, root) and corelib_version(corelib_dir(root)) != versions.CORELIB_VERSION:
            _install_corelib(root)
    return locate()
