"""A submission's metrics from its run state (pure): items and chunks by state, transactions, L2 gas per
item, latency per chunk size, fee estimate against actual fee; and the Prometheus text format."""

from __future__ import annotations

import statistics

from ciro_fuzz.sdk.status import RunState


def summary(state: RunState, elapsed: float | None = None) -> dict:
    counts = state.counts()
    settled = [c for c in state.chunks.values() if c.state in ("accepted", "reverted", "split") and c.tx_hash is not None and c.fee]
    gas = sum(c.l2_gas for c in settled)
    accepted = counts["items"]["accepted"]
    by_size: dict[int, list[float]] = {}
    for c in settled:
        by_size.setdefault(len(c.chunk.indexes), []).append(c.latency)
    errors_ = [(c.fee - c.estimated_fee) / c.fee for c in settled if c.estimated_fee]
    out = {
        "items": counts["items"], "chunks": counts["chunks"], "transactions": state.transactions,
        "l2_gas": gas, "l2_gas_per_accepted_item": round(gas / accepted) if accepted else None,
        "fee_paid": sum(c.fee for c in settled),
        "latency_by_chunk_size": {str(k): round(statistics.mean(v), 4) for k, v in sorted(by_size.items())},
        "latency_mean": round(statistics.mean([c.latency for c in settled]), 4) if settled else None,
        "fee_estimate_error_mean": round(statistics.mean(errors_), 4) if errors_ else None,
        "fee_estimate_error_max_abs": round(max(abs(e) for e in errors_), 4) if errors_ else None,
        "retries": sum(max(c.attempts - 1, 0) for c in state.chunks.values()) + counts["chunks"]["dropped"],
        "done": state.done,
    }
    if elapsed is not None:
        out["elapsed_s"] = round(elapsed, 3)
        out["accepted_items_per_s"] = round(accepted / elapsed, 2) if elapsed > 0 else None
    return out


def prometheus(metrics: dict, labels: dict[str, str] | None = None) -> str:
    """The metrics as Prometheus text exposition (one gauge family per figure)."""
    base = ",".join(f'{k}="{v}"' for k, v in sorted((labels or {}).items()))

    def line(name: str, value: object, extra: str = "") -> str:
        tags = ",".join(t for t in (base, extra) if t)
        return f"ciro_sdk_{name}{{{tags}}} {value}" if tags else f"ciro_sdk_{name} {value}"

    rows = []
    for family in ("items", "chunks"):
        rows.append(f"# TYPE ciro_sdk_{family} gauge")
        rows += [line(family, n, f'state="{s}"') for s, n in metrics[family].items()]
    for name in ("transactions", "l2_gas", "fee_paid", "retries", "l2_gas_per_accepted_item", "latency_mean", "fee_estimate_error_mean", "elapsed_s"):
        if metrics.get(name) is not None:
            rows += [f"# TYPE ciro_sdk_{name} gauge", line(name, metrics[name])]
    rows.append("# TYPE ciro_sdk_chunk_latency_seconds gauge")
    rows += [line("chunk_latency_seconds", v, f'size="{k}"') for k, v in metrics["latency_by_chunk_size"].items()]
    return "\n".join(rows) + "\n"
