"""The access-control table of contracts/SPEC.md: who may call each entrypoint, and the error the others
get. Mirrored once here; the access oracle and the coverage matrix read it."""

from __future__ import annotations

from ciro_fuzz.model import errors

# entrypoint -> (contract, rule)
ENTRYPOINTS: dict[str, tuple[str, str]] = {
    "register_worker": ("pool", "anyone"), "batch_register_workers": ("pool", "anyone"),
    "update_worker": ("pool", "worker_owner"), "batch_update_workers": ("pool", "worker_owner"),
    "stake": ("pool", "worker_owner"), "batch_stake": ("pool", "worker_owner"), "batch_stake_packed": ("pool", "worker_owner"),
    "unstake": ("pool", "worker_owner"), "batch_unstake": ("pool", "worker_owner"),
    "complete_unstake": ("pool", "worker_owner"),
    "claim_rewards": ("pool", "worker_owner"), "batch_claim_rewards": ("pool", "worker_owner"),
    "distribute_rewards": ("pool", "coordinator"), "slash": ("pool", "slasher"),
    "update_reputation": ("pool", "coordinator"), "batch_update_reputation": ("pool", "coordinator"),
    "batch_update_reputation_packed": ("pool", "coordinator"),
    "adjust_network_reputation": ("pool", "admin"),
    "submit_job": ("jobs", "anyone"), "batch_submit_jobs": ("jobs", "anyone"),
    "assign_job": ("jobs", "coordinator"),
    "submit_result": ("jobs", "assigned_owner"), "batch_submit_results": ("jobs", "assigned_owner"),
    "verify_result": ("jobs", "client_or_admin"), "batch_verify_results": ("jobs", "client_or_admin"),
    "cancel_job": ("jobs", "client"),
    "grant_role": ("pool", "admin"), "revoke_role": ("pool", "admin"),
}

# rule -> the error an unauthorised caller gets
REFUSAL: dict[str, str] = {
    "worker_owner": errors.NOT_WORKER_OWNER, "coordinator": errors.MISSING_ROLE, "slasher": errors.MISSING_ROLE,
    "admin": errors.ONLY_ADMIN, "assigned_owner": errors.NOT_ASSIGNED_WORKER, "client_or_admin": errors.NOT_VERIFIER,
    "client": errors.NOT_CLIENT,
}
# Rules checked once per call (the whole batch is refused); the others are checked per item.
WHOLE_CALL_RULES = frozenset({"coordinator", "slasher", "admin"})
ACCESS_ERRORS = frozenset(REFUSAL.values())
