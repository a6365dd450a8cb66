"""The Starknet toolchain: locate, build and cache devnet, compiler and corelib; report on them."""

from ciro_fuzz.toolchain._install import Toolchain, cache_root, install, locate
from ciro_fuzz.toolchain.versions import COMPILER, DEVNET, RPC_SPEC_VERSION, SIERRA_COMPILER

__all__ = ["COMPILER", "DEVNET", "RPC_SPEC_VERSION", "SIERRA_COMPILER", "Toolchain", "cache_root", "install", "locate"]
