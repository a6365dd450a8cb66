"""Actors as roles relative to a universe, never raw addresses: records replay after a redeploy."""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    SLASHER = "slasher"
    OWNER = "owner"  # owns workers registered by it
    OTHER_OWNER = "other_owner"  # a second worker owner
    CLIENT = "client"  # submits jobs
    STRANGER = "stranger"  # holds tokens, no role, owns nothing


# Which predeployed account plays which role (index into devnet's account list); the treasury is an
# account too so its balance is part of the observed state.
ACCOUNT_INDEX = {
    Role.ADMIN: 0, Role.COORDINATOR: 1, Role.SLASHER: 2, Role.OWNER: 3, Role.OTHER_OWNER: 4,
    Role.CLIENT: 5, Role.STRANGER: 6,
}
TREASURY_INDEX = 7
ACCOUNTS_NEEDED = 8
