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
