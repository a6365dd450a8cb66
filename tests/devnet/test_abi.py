"""Every entrypoint the issue names is in the compiled ABIs (read from the Sierra the build wrote)."""

import json

NAMED = {
    "JobManager": ["submit_job", "submit_result", "verify_result", "batch_submit_jobs", "batch_submit_results", "batch_verify_results", "assign_job", "cancel_job", "get_jobs_page"],
    "CdcPool": ["register_worker", "update_worker", "stake", "unstake", "claim_rewards", "batch_register_workers", "batch_update_workers",
                "batch_stake", "batch_stake_packed", "batch_unstake", "batch_claim_rewards", "complete_unstake", "distribute_rewards", "slash",
                "update_reputation", "batch_update_reputation", "batch_update_reputation_packed", "adjust_network_reputation", "get_workers_page"],
}


def _functions(abi):
    for entry in abi:
        if entry["type"] == "interface":
            yield from (item["name"] for item in entry["items"] if item["type"] == "function")
        elif entry["type"] == "function":
            yield entry["name"]


def test_named_entrypoints_are_in_the_abis(built):
    for contract, names in NAMED.items():
        abi = json.loads(built[contract].sierra_text())["abi"]
        abi = json.loads(abi) if isinstance(abi, str) else abi
        assert set(names) <= set(_functions(abi)), set(names) - set(_functions(abi))
