"""One frozen Settings object and the named profiles; it flows by keyword from the CLI or pytest down."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from ciro_fuzz.errors import ConfigError


@dataclass(frozen=True)
class UniverseConfig:
    """The constructor arguments of one deployment of the contracts."""

    min_stake: int = 10**18  # 1 token: low enough that boundary values around it are cheap to draw
    unstake_delay: int = 7 * 24 * 3600  # upstream's 7-day delay
    fee_bps: int = 250  # 2.5 % platform fee
    min_payment: int = 10**15
    initial_tokens: int = 10**26  # per actor: below the 2^88 packing bound, so "insufficient funds" is reachable by one item
    hostile_token: bool = False


@dataclass(frozen=True)
class Settings:
    """Everything a campaign, a replay or a benchmark needs to know."""

    profile: str = "ci"
    seed: int = 0
    examples: int = 25  # Hypothesis examples per campaign target
    steps: int = 6  # stateful steps per example
    workers: int = 1
    duration: float | None = None  # seconds; None = until `examples` are done
    report_dir: Path = Path("reports") / "campaign"
    database: str | None = None  # a directory, or redis://host:port/db
    rpc_url: str | None = None  # use this node instead of starting devnets
    mutant: str | None = None
    max_batch: int = 50
    hostile_share: float = 0.2  # > 0: a second universe with the hostile token is deployed and drawn
    shrink: bool = True  # `ciro-fuzz mutants` measures time to the first failure and skips shrinking
    universe: UniverseConfig = field(default_factory=UniverseConfig)

    def with_(self, **changes) -> "Settings":
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ConfigError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return replace(self, **{k: v for k, v in changes.items() if v is not None or k in ("duration",)})


PROFILES: dict[str, Settings] = {
    # CI: small, deterministic, finishes in a few minutes on one devnet.
    "ci": Settings(profile="ci", examples=60, steps=6),
    # A developer's run: more examples, still interactive.
    "dev": Settings(profile="dev", examples=60, steps=8),
    # A reviewer's long campaign: bounded by --duration rather than examples.
    "long": Settings(profile="long", examples=100_000, steps=12, duration=3600.0),
}


def profile(name: str, **overrides) -> Settings:
    if name not in PROFILES:
        raise ConfigError(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}")
    settings = PROFILES[name].with_(**overrides)
    if settings.examples < 1 or settings.steps < 1:
        raise ConfigError(f"examples and steps must be at least 1 (got {settings.examples}, {settings.steps})")
    if settings.workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {settings.workers}")
    if settings.duration is not None and settings.duration <= 0:
        raise ConfigError(f"--duration must be positive seconds, got {settings.duration}")
    return settings
