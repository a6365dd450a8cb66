"""Reading a file of operations (JSON or CSV) into a builder, for `ciro-fuzz submit FILE`.

JSON: ``{"contract": "jobs", "mode": "atomic", "operations": [{"op": "submit", "model_id": 1, ...}]}``.
CSV: a header row ``op,field,...`` and one operation per row (empty cells are left out). The op names are
the builders' methods: jobs submit/result/verify; pool register/update/stake/unstake/claim/reputation.
"""

from __future__ import annotations

import csv
import inspect
import json
from pathlib import Path

from ciro_fuzz.errors import ConfigError
from ciro_fuzz.sdk.builders import BUILDERS, Builder

OPS = {name: contract for contract, cls in BUILDERS.items() for name, _ in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_") and name not in dir(Builder)}


def _value(text: object, where: str) -> object:
    if isinstance(text, (bool, int)):
        return text
    if isinstance(text, str):
        lowered = text.strip().lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        try:
            return int(lowered, 0)
        except ValueError:
            pass
    raise ConfigError(f"{where}: {text!r} is not an integer or true/false")


def load(path: Path, mode: str | None = None, packed: bool = False) -> Builder:
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"operations file {path} does not exist")
    if path.suffix.lower() == ".csv":
        with open(path, newline="", encoding="utf-8") as handle:
            rows = [(n, {k: v for k, v in row.items() if k and v not in (None, "")}) for n, row in enumerate(csv.DictReader(handle), 2)]
        header: dict = {}
    else:
        try:
            header = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ConfigError(f"{path} is not JSON ({exc}); give a .json or .csv file of operations") from None
        if not isinstance(header, dict) or not isinstance(header.get("operations"), list):
            raise ConfigError(f"{path}: expected an object with an \"operations\" list")
        rows = [(n, op) for n, op in enumerate(header["operations"])]
    return _builder(path, rows, header, mode, packed)


def _builder(path: Path, rows: list[tuple[int, dict]], header: dict, mode: str | None, packed: bool) -> Builder:
    if not rows:
        raise ConfigError(f"{path} has no operations")
    contracts = {OPS.get(str(row.get("op"))) for _, row in rows}
    if None in contracts:
        bad = next((n, row.get("op")) for n, row in rows if str(row.get("op")) not in OPS)
        raise ConfigError(f"{path} operation {bad[0]}: unknown op {bad[1]!r}; known: {', '.join(sorted(OPS))}")
    contract = header.get("contract") or (contracts.pop() if len(contracts) == 1 else None)
    if contract not in BUILDERS or len(contracts) > 1 or contracts - {contract}:
        raise ConfigError(f"{path}: operations of one contract per file (jobs or pool), found {sorted(c for c in contracts if c)}")
    try:
        builder = BUILDERS[contract](mode or header.get("mode", "atomic"), packed or bool(header.get("packed", False)))
    except ValueError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    for number, row in rows:
        fields = {k: _value(v, f"{path} operation {number} field {k}") for k, v in row.items() if k != "op"}
        try:
            getattr(builder, row["op"])(**fields)
        except TypeError as exc:
            raise ConfigError(f"{path} operation {number} ({row['op']}): {exc}") from None
    return builder
