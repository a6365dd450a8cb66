"""Cairo sources -> Sierra and CASM artifacts, cached by a hash of the sources; mutant variants.

A compile error raises BuildError with ``file:line: message``; the cache entry of a failed build is never
written, so nothing stale is used after an error.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ciro_fuzz._files import atomic_write
from ciro_fuzz.errors import BuildError
from ciro_fuzz.toolchain import Toolchain, locate

CONTRACTS_DIR = Path(__file__).resolve().parent.parent / "contracts"
# Contract name -> path inside the crate. The names are what the rest of ciro-fuzz uses.
CONTRACTS = {
    "Token": "ciro::token::Token",
    "HostileToken": "ciro::hostile_token::HostileToken",
    "CdcPool": "ciro::cdc_pool::CdcPool",
    "JobManager": "ciro::job_manager::JobManager",
}
_ERROR = re.compile(r"^error(?:\[\w+\])?: (.+?)\n\s*--> (.+?):(\d+):(\d+)", re.MULTILINE)


@dataclass(frozen=True)
class Artifact:
    """One compiled contract: its Sierra (contract class JSON) and CASM files."""

    name: str
    sierra: Path
    casm: Path

    def sierra_text(self) -> str:
        return self.sierra.read_text()

    def casm_text(self) -> str:
        return self.casm.read_text()

    def class_hashes(self) -> tuple[int, int]:
        """(Sierra class hash, compiled CASM class hash), computed once and kept beside the artifact:
        hashing a large class in Python takes seconds (measured: 6.7 of the 7.9 s a world's deployment
        took went to parsing and hashing the classes, mostly for classes already declared)."""
        return _class_hashes(self.sierra, self.casm)


@functools.lru_cache(maxsize=64)
def _class_hashes(sierra: Path, casm: Path) -> tuple[int, int]:
    from starknet_py.common import create_casm_class, create_sierra_compiled_contract
    from starknet_py.hash.casm_class_hash import compute_casm_class_hash
    from starknet_py.hash.sierra_class_hash import compute_sierra_class_hash

    sierra_text, casm_text = sierra.read_text(), casm.read_text()
    digest = hashlib.sha256(sierra_text.encode() + b"\0" + casm_text.encode()).hexdigest()
    cache = sierra.with_name(sierra.name + ".hashes.json")
    try:
        data = json.loads(cache.read_text())
        if data["digest"] == digest:
            return int(data["class_hash"], 16), int(data["compiled_class_hash"], 16)
    except (OSError, ValueError, KeyError):
        pass
    hashes = (compute_sierra_class_hash(create_sierra_compiled_contract(sierra_text)), compute_casm_class_hash(create_casm_class(casm_text)))
    atomic_write(cache, json.dumps({"digest": digest, "class_hash": hex(hashes[0]), "compiled_class_hash": hex(hashes[1])}))
    return hashes


@dataclass(frozen=True)
class Build:
    """The artifacts of one build of the contracts (shipped or a mutant)."""

    source_hash: str
    mutant: str | None
    artifacts: dict[str, Artifact]

    def __getitem__(self, name: str) -> Artifact:
        return self.artifacts[name]


def mutants_dir(contracts: Path = CONTRACTS_DIR) -> Path:
    return contracts / "mutants"


def list_mutants(contracts: Path = CONTRACTS_DIR) -> list[str]:
    return sorted(p.stem for p in mutants_dir(contracts).glob("*.patch"))


def _source_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "src").rglob("*.cairo")) + [root / "cairo_project.toml"]


def source_hash(root: Path, toolchain_id: str) -> str:
    digest = hashlib.sha256(toolchain_id.encode())
    for path in _source_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _first_error(output: str, root: Path) -> str:
    match = _ERROR.search(output)
    if not match:
        lines = [line for line in output.splitlines() if line.strip() and not line.startswith(" ")]
        return lines[0] if lines else "unknown compiler failure"
    message, path, line = match.group(1), match.group(2), match.group(3)
    return f"{Path(path) if Path(path).is_absolute() else root / path}:{line}: {message}"


def _compile_one(toolchain: Toolchain, root: Path, name: str, out_dir: Path) -> Artifact:
    sierra, casm = out_dir / f"{name}.contract_class.json", out_dir / f"{name}.compiled_contract_class.json"
    proc = subprocess.run(
        [str(toolchain.compiler), str(root), "--contract-path", CONTRACTS[name], str(sierra)],
        capture_output=True, text=True, cwd=root,
    )
    if proc.returncode != 0 or not sierra.exists():
        raise BuildError(f"{name} does not compile: {_first_error(proc.stdout + proc.stderr, root)}")
    proc = subprocess.run([str(toolchain.sierra_compiler), str(sierra), str(casm)], capture_output=True, text=True)
    if proc.returncode != 0 or not casm.exists():
        raise BuildError(f"{name}: Sierra to CASM failed: {(proc.stderr or proc.stdout).strip().splitlines()[-1:]}")
    return Artifact(name, sierra, casm)


def _apply_mutant(name: str, contracts: Path, work: Path) -> Path:
    patch = mutants_dir(contracts) / f"{name}.patch"
    if not patch.is_file():
        known = ", ".join(list_mutants(contracts)) or "none"
        raise BuildError(f"unknown mutant {name!r}; known mutants: {known}")
    copy = work / "contracts"
    shutil.copytree(contracts, copy, ignore=shutil.ignore_patterns("target", "mutants"))
    proc = subprocess.run(["patch", "-p1", "--batch", "--silent", "-d", str(copy), "-i", str(patch)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(f"mutant {name} does not apply to the current sources: {(proc.stdout + proc.stderr).strip()[:200]}")
    return copy


def build(mutant: str | None = None, contracts: Path = CONTRACTS_DIR, toolchain: Toolchain | None = None) -> Build:
    """Compile every contract (or reuse the cached build of identical sources)."""
    toolchain = toolchain or locate(need_devnet=False)
    toolchain_id = f"{toolchain.compiler}:{toolchain.sierra_compiler}"
    with tempfile.TemporaryDirectory(prefix="ciro-build-") as tmp:
        root = _apply_mutant(mutant, contracts, Path(tmp)) if mutant else contracts
        digest = source_hash(root, toolchain_id)
        target = contracts / "target" / "ciro-fuzz" / digest
        manifest = target / "manifest.json"
        if manifest.is_file():
            return _load(manifest, mutant)
        staging = Path(tempfile.mkdtemp(prefix=f".{digest}-", dir=_ensure(target.parent)))
        try:
            artifacts = {name: _compile_one(toolchain, root, name, staging) for name in CONTRACTS}
            (staging / "manifest.json").write_text(
                json.dumps({"source_hash": digest, "mutant": mutant, "contracts": sorted(artifacts)}, indent=2)
            )
            shutil.rmtree(target, ignore_errors=True)
            os.replace(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return _load(manifest, mutant)


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _load(manifest: Path, mutant: str | None) -> Build:
    data = json.loads(manifest.read_text())
    folder = manifest.parent
    artifacts = {
        name: Artifact(name, folder / f"{name}.contract_class.json", folder / f"{name}.compiled_contract_class.json")
        for name in data["contracts"]
    }
    return Build(source_hash=data["source_hash"], mutant=mutant, artifacts=artifacts)
