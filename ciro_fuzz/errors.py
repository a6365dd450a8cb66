"""The project's exception types: every one carries a one-line message naming what is wrong and what to do."""

from __future__ import annotations


class CiroFuzzError(Exception):
    """Base class; ``str(err)`` is a single line fit for a terminal."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(" ".join(message.split()))


class ConfigError(CiroFuzzError):
    """Bad settings, CLI arguments or input files."""

    exit_code = 2


class ToolchainError(CiroFuzzError):
    """A toolchain piece (cargo, devnet, compiler, corelib) is missing, wrong or failed to build."""


class BuildError(CiroFuzzError):
    """The Cairo contracts did not compile."""


class DevnetError(CiroFuzzError):
    """A devnet could not be started or reached."""


class ChainError(CiroFuzzError):
    """An RPC call to the chain failed for a reason other than a contract revert."""


class RevertError(ChainError):
    """A transaction or call reverted; ``reason`` is the decoded Cairo revert reason."""

    def __init__(self, reason: str, raw: str = ""):
        self.reason = reason
        self.raw = raw
        super().__init__(f"transaction reverted: {reason}")


class RecordError(CiroFuzzError):
    """A failure record is malformed, truncated or of an unknown version."""

    exit_code = 2


class InvalidItems(ConfigError):
    """Items the contracts would refuse whatever the state, named by index and reason before any send."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        shown = "; ".join(f"item {i}: {reason}" for i, reason in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} invalid item(s), nothing sent: {shown}{more}")


class JournalError(ConfigError):
    """A submission journal is corrupted or belongs to another submission."""


class SubmitError(ChainError):
    """A submission cannot go on (a node refusing every retry, a transaction the node rejects); the
    journal keeps where every item stands, so rerunning the same submission resumes it."""
