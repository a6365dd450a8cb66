"""`ciro-fuzz doctor`: one line per piece with version and path, then a devnet started and timed."""

from __future__ import annotations

import importlib.metadata
import sys
import tempfile
from pathlib import Path

from ciro_fuzz.errors import CiroFuzzError, ToolchainError
from ciro_fuzz.toolchain import _install, versions

PYTHON_PACKAGES = {"starknet-py": "0.30.0", "cairo-lang": "0.14.0.1", "hypothesis": None, "pytest": None, "pytest-xdist": None}


def _line(ok: bool, name: str, detail: str) -> str:
    return f"{'ok ' if ok else 'ERR'} {name:<24} {detail}"


def doctor(out=print) -> int:
    """Print the report; 0 when everything is usable, 1 (with a one-line fix) otherwise."""
    problems: list[str] = []
    out(_line(sys.version_info[:2] == (3, 11), "python", f"{sys.version.split()[0]} {sys.executable}"))
    if sys.version_info[:2] != (3, 11):
        problems.append("Python 3.11 is required: recreate .venv with python3.11 (`make clean setup`)")
    for package, pinned in PYTHON_PACKAGES.items():
        try:
            found = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            out(_line(False, package, "not installed"))
            problems.append(f"{package} missing: run `make setup`")
            continue
        ok = pinned is None or found == pinned
        out(_line(ok, package, found + ("" if ok else f" (expected {pinned})")))
        if not ok:
            problems.append(f"{package} is {found}, expected {pinned}: run `make setup`")
    root = _install.cache_root()
    for tool in versions.TOOLS:
        path = _install.locate_tool(tool, root)
        version = _install.tool_version(path, tool) if path else None
        ok = version == tool.version
        out(_line(ok, tool.name, f"{version or 'missing'} {path or root}"))
        if not ok:
            problems.append(f"{tool.name} {tool.version} missing in {root}: run `make setup`")
    corelib = _install.corelib_dir(root)
    corelib_version = _install.corelib_version(corelib)
    ok = corelib_version == versions.CORELIB_VERSION
    out(_line(ok, "corelib", f"{corelib_version or 'missing'} {corelib}"))
    if not ok:
        problems.append(f"corelib {versions.CORELIB_VERSION} missing or wrong at {corelib}: run `make setup`")
    if problems:
        out(f"doctor: {problems[0]}")
        return 1
    return _check_devnet(out)


def _check_devnet(out) -> int:
    from ciro_fuzz.chain.pool import Devnet, DevnetOptions, rpc

    toolchain = _install.locate()
    try:
        with tempfile.TemporaryDirectory() as logs:
            with Devnet(toolchain.devnet, DevnetOptions(log_dir=Path(logs)), name="doctor") as devnet:
                spec = rpc(devnet.rpc_url, "starknet_specVersion")
                ok = spec == versions.RPC_SPEC_VERSION
                out(_line(ok, "devnet RPC", f"spec {spec} (starknet-py 0.30.0 expects {versions.RPC_SPEC_VERSION}), ready in {devnet.started_in:.2f}s at {devnet.url}"))
                if not ok:
                    out(f"doctor: devnet speaks RPC {spec}, expected {versions.RPC_SPEC_VERSION}: reinstall with `make setup`")
                    return 1
    except CiroFuzzError as exc:
        out(_line(False, "devnet", str(exc)))
        out(f"doctor: devnet did not start: {exc}")
        return 1
    out("doctor: all pieces present and working")
    return 0


__all__ = ["doctor", "ToolchainError"]
