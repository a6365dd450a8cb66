"""Benchmarks behind `ciro-fuzz bench ...`; each writes reports/bench/<what>.json."""

from __future__ import annotations

import json
import platform
import statistics
from pathlib import Path

from ciro_fuzz.errors import ConfigError


def machine() -> dict:
    import os

    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}


def median(values: list[float]) -> float:
    return round(statistics.median(values), 4)


def write(out_dir: Path, name: str, data: dict) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    path.write_text(json.dumps(data, indent=2))
    return path


def run_bench(what: str, runs: int, out_dir: Path) -> int:
    if runs < 1:
        raise ConfigError(f"--runs must be at least 1, got {runs}")
    if what == "devnet":
        from ciro_fuzz.bench.devnet import bench_devnet

        data = bench_devnet(runs)
    elif what == "gas":
        from ciro_fuzz.bench.gas import bench_gas

        data = bench_gas()
    elif what == "throughput":
        from ciro_fuzz.bench.throughput import bench_throughput

        data = bench_throughput(runs)
    elif what == "sdk":
        from ciro_fuzz.bench.sdk import bench_sdk

        data = bench_sdk(runs)
    else:
        raise ConfigError(f"unknown benchmark {what!r}")
    path = write(out_dir, what, data)
    print(json.dumps(data.get("table", data), indent=2)[:4000])
    print(f"wrote {path}")
    return 0
