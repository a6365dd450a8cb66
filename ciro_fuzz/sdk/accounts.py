"""Where the submitting account comes from: the environment, a keystore file, or a devnet's predeployed
accounts (the default when the tool starts the devnet)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ciro_fuzz.chain.client import Actor
from ciro_fuzz.errors import ConfigError

ADDRESS_VAR, KEY_VAR, PASSWORD_VAR = "CIRO_ACCOUNT_ADDRESS", "CIRO_PRIVATE_KEY", "CIRO_KEYSTORE_PASSWORD"


def _int(text: str, what: str) -> int:
    try:
        return int(text, 0)
    except ValueError:
        raise ConfigError(f"{what} is not a number: {text!r}; give it as 0x... hex") from None


def from_env(env: dict[str, str] | None = None) -> Actor | None:
    """The account in CIRO_ACCOUNT_ADDRESS and CIRO_PRIVATE_KEY, or None when neither is set."""
    env = dict(os.environ if env is None else env)
    address, key = env.get(ADDRESS_VAR), env.get(KEY_VAR)
    if not address and not key:
        return None
    if not (address and key):
        raise ConfigError(f"set both {ADDRESS_VAR} and {KEY_VAR} (only one is set)")
    return Actor(_int(address, ADDRESS_VAR), _int(key, KEY_VAR))


def from_keystore(path: Path, address: str | None, password: str | None = None) -> Actor:
    """An account whose private key is in an encrypted keystore file (the Web3 secret storage format
    starkli uses); the password comes from CIRO_KEYSTORE_PASSWORD."""
    from eth_keyfile import decode_keyfile_json

    if not address:
        raise ConfigError(f"a keystore holds only the key: give the account address with --account-address or {ADDRESS_VAR}")
    password = password if password is not None else os.environ.get(PASSWORD_VAR)
    if password is None:
        raise ConfigError(f"set {PASSWORD_VAR} to the password of keystore {path}")
    try:
        data = json.loads(Path(path).read_text())
        key = int.from_bytes(decode_keyfile_json(data, password.encode()), "big")
    except FileNotFoundError:
        raise ConfigError(f"keystore {path} does not exist") from None
    except (ValueError, KeyError) as exc:
        raise ConfigError(f"cannot open keystore {path}: {exc} (wrong password or not a keystore)") from None
    return Actor(_int(address, "--account-address"), key)
