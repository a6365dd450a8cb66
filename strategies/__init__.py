"""Hypothesis strategies for CIRO batch operations: pure, one module per contract area, plus actors and
boundary values. Every strategy validates its arguments at once and raises InvalidArgument naming the
bad value."""

from strategies.actors import actors, roles
from strategies.boundaries import amounts, felts, ids, u256s
from strategies.jobs import job_items, result_items, verify_items
from strategies.pool import claim_items, register_items, specs, stake_items, unstake_items, update_items
from strategies.reputation import network_deltas, reputation_items
from strategies.batches import batches

__all__ = [
    "actors", "amounts", "batches", "claim_items", "felts", "ids", "job_items", "network_deltas", "register_items",
    "reputation_items", "result_items", "roles", "specs", "stake_items", "u256s", "unstake_items", "update_items",
    "verify_items",
]
