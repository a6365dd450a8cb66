"""DoS bounds: every batch within the transaction limits of Starknet 0.14.2 (L2 gas, events, event size,
calldata felts: the 5,000-felt gateway limit is asserted here since devnet does not), and gas per item
fitted against batch size with superlinear growth flagged."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ciro_fuzz.engine.executor import BatchObservation
from ciro_fuzz.oracles.base import Violation

MAX_L2_GAS = 1_100_000_000
MAX_EVENTS = 1_000
MAX_EVENT_DATA = 300
MAX_EVENT_KEYS = 50
MAX_CALLDATA = 5_000
# The quadratic term may add at most this share of the linear cost at the largest size seen before the
# growth counts as superlinear (storage allocation makes per-item costs noisy, never quadratic).
SUPERLINEAR_SHARE = 0.25
# ... and the gas per item at the largest size must exceed the cheapest size's by this factor (a linear
# cost with a fixed part makes gas per item fall with size, never rise).
SUPERLINEAR_RATIO = 1.25


def check_dos(obs: BatchObservation) -> list[Violation]:
    b = obs.batched
    name = obs.step.batch_function()
    v = lambda msg: Violation("dos", f"{name} with {len(obs.step.items)} items: {msg}")  # noqa: E731
    out = []
    if b.l2_gas > MAX_L2_GAS:
        out.append(v(f"L2 gas {b.l2_gas:,} exceeds the {MAX_L2_GAS:,} execution limit"))
    if len(b.events) > MAX_EVENTS:
        out.append(v(f"{len(b.events)} events exceed {MAX_EVENTS} per transaction"))
    big = [e for e in b.events if len(e.data) > MAX_EVENT_DATA or len(e.keys) > MAX_EVENT_KEYS]
    if big:
        out.append(v(f"an event has {len(big[0].keys)} keys and {len(big[0].data)} data felts (limits {MAX_EVENT_KEYS}/{MAX_EVENT_DATA})"))
    if obs.calldata_felts > MAX_CALLDATA:
        out.append(v(f"calldata of {obs.calldata_felts} felts exceeds the {MAX_CALLDATA}-felt gateway limit"))
    return out


@dataclass
class GasModel:
    """Samples of (batch size, L2 gas) per batch entrypoint, and a least-squares fit of each."""

    samples: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, obs: BatchObservation) -> None:
        # Only batches whose every item succeeded: a failed item costs a fraction of a successful one, so
        # mixing them would read a change in the success mix as growth with size.
        if not obs.batched.reverted and obs.step.items and not any(s.reverted for s in obs.sequential):
            self.samples[obs.step.batch_function()].append((len(obs.step.items), obs.batched.l2_gas))

    def fit(self, name: str) -> dict | None:
        """gas = a + b*n + c*n^2 over the samples, when at least 4 distinct sizes were seen."""
        points = self.samples.get(name, [])
        sizes = sorted({n for n, _ in points})
        if len(sizes) < 4:
            return None
        import numpy as np

        n = np.array([p[0] for p in points], dtype=float)
        gas = np.array([p[1] for p in points], dtype=float)
        matrix = np.vstack([np.ones_like(n), n, n * n]).T
        (a, b, c), *_ = np.linalg.lstsq(matrix, gas, rcond=None)
        top = max(sizes)
        quadratic_share = (c * top * top) / max(b * top, 1.0)
        per_item = {size: float(np.mean([g for s, g in points if s == size]) / size) for size in sizes}
        return {"fixed": float(a), "per_item": float(b), "quadratic": float(c), "quadratic_share_at_max": float(quadratic_share), "max_size": top, "gas_per_item_by_size": per_item}

    def violations(self) -> list[Violation]:
        out = []
        for name in sorted(self.samples):
            fit = self.fit(name)
            per_item = fit["gas_per_item_by_size"] if fit else {}
            growing = fit and per_item[fit["max_size"]] > SUPERLINEAR_RATIO * min(per_item.values())
            if fit and fit["quadratic_share_at_max"] > SUPERLINEAR_SHARE and growing:
                out.append(Violation("dos", f"{name}: gas grows superlinearly with batch size (quadratic term {fit['quadratic_share_at_max']:.0%} of the linear cost at {fit['max_size']} items)"))
        return out

    def summary(self) -> dict:
        return {name: {"samples": sorted(points), "fit": self.fit(name)} for name, points in self.samples.items()}
