"""ciro-fuzz: property-based testing and fuzzing of the CIRO Network's Starknet batch operations.

The public API is this list; everything else is internal and may change.
"""

from ciro_fuzz.errors import (
    BuildError, ChainError, CiroFuzzError, ConfigError, DevnetError, RecordError, RevertError, ToolchainError,
)
from ciro_fuzz.settings import PROFILES, Settings, UniverseConfig, profile

__all__ = [
    "BuildError", "ChainError", "CiroFuzzError", "ConfigError", "DevnetError", "PROFILES", "RecordError",
    "RevertError", "Settings", "ToolchainError", "UniverseConfig", "profile",
]
