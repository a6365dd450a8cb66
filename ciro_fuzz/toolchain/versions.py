"""The pinned toolchain: which crate gives which binary at which version, and why these fit together."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tool:
    """One binary built with ``cargo install --locked`` from the Rust crate registry."""

    name: str  # the binary
    crate: str
    version: str
    version_flag: str = "--version"


# starknet-devnet 0.8.1 serves JSON-RPC 0.10.2, which starknet-py 0.30.0 expects; it accepts Sierra
# 1.2-1.8 and the 2.16.0 compiler emits Sierra 1.7.0. starknet-sierra-compile is the same version as the
# compiler so the CASM we hash for DECLARE v3 is the CASM devnet recomputes.
COMPILER = Tool("starknet-compile", "starknet-compile", "2.16.0")
SIERRA_COMPILER = Tool("starknet-sierra-compile", "starknet-sierra-compile", "2.16.0")
DEVNET = Tool("starknet-devnet", "starknet-devnet", "0.8.1")
TOOLS = (COMPILER, SIERRA_COMPILER, DEVNET)

# The compiler refuses to run without a corelib of its own version. The registry package of cairo-native
# 0.9.0-rc.2 carries Cairo 2.16.0's corelib at its root (rc.1 carries 2.15.0; from rc.4 it moved).
CORELIB_VERSION = COMPILER.version
CORELIB_CRATE = "cairo-native"
CORELIB_CRATE_VERSION = "0.9.0-rc.2"

RPC_SPEC_VERSION = "0.10.2"
