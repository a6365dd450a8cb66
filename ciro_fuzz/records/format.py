"""The failure record: a versioned JSON of role-relative steps plus everything that reproduces them
(seed, profile, universe configuration, class hashes, tool versions). Frozen, validated on load, and
older versions are upgraded on load."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ciro_fuzz.errors import RecordError
from ciro_fuzz._files import atomic_write
from ciro_fuzz.model.ops import Step, step_from_json, step_to_json
from ciro_fuzz.settings import UniverseConfig
from ciro_fuzz.toolchain import versions

FORMAT = "ciro-fuzz-record"
VERSION = 2  # v1 had no "mutant" field and kept the failure flat (oracle, message at top level)


def tool_versions() -> dict[str, str]:
    def pkg(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "missing"

    return {
        "ciro-fuzz": pkg("ciro-fuzz"), "hypothesis": pkg("hypothesis"), "starknet-py": pkg("starknet-py"),
        "starknet-devnet": versions.DEVNET.version, "starknet-compile": versions.COMPILER.version,
    }


@dataclass(frozen=True)
class Failure:
    oracle: str
    message: str
    step_index: int


@dataclass(frozen=True)
class FailureRecord:
    steps: tuple[Step, ...]
    failure: Failure
    seed: int = 0
    profile: str = "ci"
    mutant: str | None = None
    universe: UniverseConfig = field(default_factory=UniverseConfig)
    class_hashes: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=tool_versions)
    shrunk: bool = False
    created: float = field(default_factory=time.time)

    @property
    def id(self) -> str:
        body = json.dumps([step_to_json(s) for s in self.steps], sort_keys=True) + self.failure.oracle + str(self.universe.hostile_token) + str(self.mutant)
        return hashlib.sha256(body.encode()).hexdigest()[:12]

    def to_json(self) -> dict:
        return {
            "format": FORMAT, "version": VERSION, "id": self.id, "seed": self.seed, "profile": self.profile,
            "mutant": self.mutant, "universe": asdict(self.universe), "steps": [step_to_json(s) for s in self.steps],
            "failure": asdict(self.failure), "class_hashes": self.class_hashes, "versions": self.versions,
            "shrunk": self.shrunk, "created": self.created,
        }

    @classmethod
    def from_json(cls, data: object, source: str = "record") -> "FailureRecord":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise RecordError(f"{source} is not a ciro-fuzz failure record (no \"format\": \"{FORMAT}\")")
        version = data.get("version")
        if version == 1:
            data = _upgrade_v1(data)
        elif version != VERSION:
            raise RecordError(f"{source} has record version {version!r}; this ciro-fuzz reads versions 1 and {VERSION}: upgrade ciro-fuzz")
        try:
            steps = tuple(step_from_json(s) for s in data["steps"])
            failure = Failure(**data["failure"])
            known = {f.name for f in fields(UniverseConfig)}
            universe = UniverseConfig(**{k: v for k, v in data.get("universe", {}).items() if k in known})
            return cls(
                steps=steps, failure=failure, seed=int(data.get("seed", 0)), profile=str(data.get("profile", "ci")),
                mutant=data.get("mutant"), universe=universe, class_hashes=dict(data.get("class_hashes", {})),
                versions=dict(data.get("versions", {})), shrunk=bool(data.get("shrunk", False)),
                created=float(data.get("created", 0.0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RecordError(f"{source} is malformed: {exc.__class__.__name__}: {exc}; regenerate it or fix the field") from exc


def _upgrade_v1(data: dict) -> dict:
    upgraded = dict(data)
    upgraded["failure"] = {"oracle": data.get("oracle", "unknown"), "message": data.get("message", ""), "step_index": int(data.get("step_index", len(data.get("steps", [])) - 1))}
    upgraded.setdefault("mutant", None)
    upgraded["version"] = VERSION
    return upgraded


def save(record: FailureRecord, folder: Path, name: str | None = None) -> Path:
    """Write atomically (temp file + rename): a crash mid-write never leaves a truncated record."""
    return atomic_write(folder / f"{name or record.id}.json", json.dumps(record.to_json(), indent=2))


def load(path: Path) -> FailureRecord:
    if not path.is_file():
        raise RecordError(f"record {path} does not exist; give the path of a .json record from a campaign's failures/ folder")
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise RecordError(f"record {path} is not valid JSON (truncated or edited?): {exc.msg} at line {exc.lineno}") from exc
    return FailureRecord.from_json(data, source=f"record {path}")
