"""The stateful campaign: a Hypothesis state machine whose rules are batches of every kind, single
lifecycle calls, time advances past the unstake delay and role changes, with every oracle checked after
each step. A failure is saved as a record before it is raised."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from hypothesis import strategies as st, target
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

import strategies as S
from ciro_fuzz.engine.runner import Tally, run_step
from ciro_fuzz.engine.snapshot import read_snapshot
from ciro_fuzz.engine.world import World
from ciro_fuzz.errors import DevnetError
from ciro_fuzz.model.ops import Action, AdvanceTime, Batch, JobItem, RegisterItem, Spec, Step
from ciro_fuzz.model.roles import Role
from ciro_fuzz.oracles import Violation

OWNERS = [Role.OWNER, Role.OTHER_OWNER]


class StepFailed(AssertionError):
    """An oracle found a violation; the message names the oracle."""

    def __init__(self, violation: Violation):
        self.violation = violation
        super().__init__(str(violation))


class StopCampaign(BaseException):
    """Ends the Hypothesis run at once without a failing example for Hypothesis to replay or shrink (a
    BaseException, so Hypothesis does not take it for a test failure): a spent time budget, or a
    kill-measuring run (`ciro-fuzz mutants`) that has found and saved its failure."""


class DevnetLost(BaseException):
    """The devnet stopped answering mid-example: like StopCampaign it ends the Hypothesis run without a
    failure (a dead devnet is no contract bug), and the campaign restarts the devnet and goes on."""

    def __init__(self, cause: DevnetError):
        self.cause = cause
        super().__init__(str(cause))


@contextmanager
def devnet_lost() -> Iterator[None]:
    """Turn a DevnetError (the node is unreachable) into DevnetLost, which Hypothesis does not record as a failure."""
    try:
        yield
    except DevnetError as exc:
        raise DevnetLost(exc) from exc


def build_machine(world: World, tally: Tally, max_batch: int, on_failure: Callable[[int, list[Step], Violation], None], on_example: Callable[[], None], stop_at_first_failure: bool = False):
    """A RuleBasedStateMachine class bound to one world (one devnet) and a campaign's tally."""
    config = world.universes[0].config

    class CiroMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.universe = 0
            self.steps: list[Step] = []
            self.gas_per_item: dict[str, float] = {}
            with devnet_lost():
                world.reset()
                self.snapshot = read_snapshot(world.chain, world.universes[0])
            on_example()

        @initialize(hostile=st.booleans() if len(world.universes) > 1 else st.just(False), workers=st.integers(0, 3), jobs=st.integers(0, 3))
        def populate(self, hostile, workers, jobs):
            """Start from a populated universe so every batch rule has ids to work on: workers of both
            owners (ids alternate owner, other owner) and pending jobs of the client; shrinks to none."""
            self.universe = 1 if hostile else 0
            if hostile:
                with devnet_lost():
                    self.snapshot = read_snapshot(world.chain, world.universes[1])
            for owner in OWNERS:
                if workers:
                    self._run(Batch(owner, "RegisterItem", tuple(RegisterItem(Spec(), 3 * config.min_stake) for _ in range(workers))))
            if jobs:
                self._run(Batch(Role.CLIENT, "JobItem", tuple(JobItem(1, i + 1, 10 * config.min_payment) for i in range(jobs))))

        def _run(self, step: Step) -> None:
            self.steps.append(step)
            try:
                result = run_step(world, self.universe, step, self.snapshot, tally)
            except StepFailed:
                raise
            except DevnetError as exc:
                raise DevnetLost(exc) from exc
            except Exception as exc:  # a harness or chain error is a finding too: keep it before raising
                violation = Violation("error", f"{exc.__class__.__name__}: {exc}")
                on_failure(self.universe, list(self.steps), violation)
                if stop_at_first_failure:
                    raise StopCampaign() from exc
                raise StepFailed(violation) from exc
            if result.observation is not None and step.items and not result.observation.batched.reverted:
                label = f"gas per item {step.batch_function()}"
                per_item = result.observation.batched.l2_gas / len(step.items)
                self.gas_per_item[label] = max(per_item, self.gas_per_item.get(label, 0.0))
            if result.violations:
                on_failure(self.universe, list(self.steps), result.violations[0])
                if stop_at_first_failure:
                    raise StopCampaign()
                raise StepFailed(result.violations[0])
            self.snapshot = result.snapshot

        def _owned(self, actor: Role) -> tuple[int, ...]:
            return tuple(w.worker_id for w in self.snapshot.workers if w.owner == actor.value)

        def teardown(self):
            # target() takes one value per label and example: the most expensive item seen for each
            # entrypoint steers the search toward costlier items.
            for label, value in self.gas_per_item.items():
                target(value, label=label)

        def _batch(self, data, kind, items, usual):
            self._run(data.draw(S.batches(kind, items, usual, max_size=max_batch), label=kind))

        # batches -------------------------------------------------------------------------------
        @rule(data=st.data())
        def submit_jobs(self, data):
            self._batch(data, "JobItem", S.job_items(config.min_payment, config.initial_tokens), Role.CLIENT)

        @rule(data=st.data())
        def register_workers(self, data):
            self._batch(data, "RegisterItem", S.register_items(config.min_stake, config.initial_tokens), data.draw(st.sampled_from(OWNERS)))

        @precondition(lambda self: self.snapshot.worker_count > 0)
        @rule(data=st.data())
        def update_workers(self, data):
            actor = data.draw(st.sampled_from(OWNERS), label="owner")
            self._batch(data, "UpdateItem", S.update_items(self.snapshot.worker_count, self._owned(actor)), actor)

        @precondition(lambda self: self.snapshot.worker_count > 0)
        @rule(data=st.data())
        def stake(self, data):
            actor = data.draw(st.sampled_from(OWNERS), label="owner")
            self._batch(data, "StakeItem", S.stake_items(self.snapshot.worker_count, self._owned(actor), config.initial_tokens), actor)

        @precondition(lambda self: self.snapshot.worker_count > 0)
        @rule(data=st.data())
        def unstake(self, data):
            actor = data.draw(st.sampled_from(OWNERS), label="owner")
            self._batch(data, "UnstakeItem", S.unstake_items(self.snapshot.worker_count, config.min_stake, self._owned(actor)), actor)

        @precondition(lambda self: self.snapshot.worker_count > 0)
        @rule(data=st.data())
        def claim_rewards(self, data):
            actor = data.draw(st.sampled_from(OWNERS), label="owner")
            self._batch(data, "ClaimItem", S.claim_items(self.snapshot.worker_count, self._owned(actor)), actor)

        @precondition(lambda self: self.snapshot.worker_count > 0)
        @rule(data=st.data())
        def update_reputation(self, data):
            self._batch(data, "ReputationItem", S.reputation_items(self.snapshot.worker_count), Role.COORDINATOR)

        @precondition(lambda self: self.snapshot.job_count > 0)
        @rule(data=st.data())
        def submit_results(self, data):
            self._batch(data, "ResultItem", S.result_items(self.snapshot.job_count), data.draw(st.sampled_from(OWNERS)))

        @precondition(lambda self: self.snapshot.job_count > 0)
        @rule(data=st.data())
        def verify_results(self, data):
            self._batch(data, "VerifyItem", S.verify_items(self.snapshot.job_count), Role.CLIENT)

        # lifecycle calls ------------------------------------------------------------------------
        @precondition(lambda self: self.snapshot.job_count > 0 and self.snapshot.worker_count > 0)
        @rule(data=st.data())
        def assign_job(self, data):
            job = data.draw(S.ids(self.snapshot.job_count), label="job")
            worker = data.draw(S.ids(self.snapshot.worker_count), label="worker")
            self._run(Action(data.draw(S.actors(Role.COORDINATOR)), "assign_job", (job, worker)))

        @precondition(lambda self: self.snapshot.worker_count > 0)
        @rule(data=st.data())
        def distribute_rewards(self, data):
            worker = data.draw(S.ids(self.snapshot.worker_count), label="worker")
            amount = data.draw(S.amounts(), label="amount")
            self._run(Action(data.draw(S.actors(Role.COORDINATOR)), "distribute_rewards", (worker, amount)))

        @precondition(lambda self: self.snapshot.worker_count > 0)
        @rule(data=st.data())
        def slash(self, data):
            worker = data.draw(S.ids(self.snapshot.worker_count), label="worker")
            bps = data.draw(st.sampled_from([1, 5000, 10000, 0, 10001]), label="bps")
            self._run(Action(data.draw(S.actors(Role.SLASHER)), "slash", (worker, bps)))

        @precondition(lambda self: self.snapshot.worker_count > 0)
        @rule(data=st.data())
        def complete_unstake(self, data):
            worker = data.draw(S.ids(self.snapshot.worker_count), label="worker")
            self._run(Action(data.draw(S.actors(data.draw(st.sampled_from(OWNERS)))), "complete_unstake", (worker,)))

        @precondition(lambda self: self.snapshot.job_count > 0)
        @rule(data=st.data())
        def cancel_job(self, data):
            job = data.draw(S.ids(self.snapshot.job_count), label="job")
            self._run(Action(data.draw(S.actors(Role.CLIENT)), "cancel_job", (job,)))

        @rule(data=st.data())
        def adjust_network(self, data):
            self._run(Action(data.draw(S.actors(Role.ADMIN)), "adjust_network_reputation", (data.draw(S.network_deltas()),)))

        @rule(data=st.data())
        def change_role(self, data):
            grant = data.draw(st.booleans(), label="grant")
            contract = data.draw(st.sampled_from([0, 1]), label="contract")
            role = data.draw(st.sampled_from([0, 1]), label="role")
            holder = data.draw(S.roles(), label="holder")
            actor = data.draw(S.actors(Role.ADMIN))
            name = "grant_role" if grant else "revoke_role"
            self._run(Action(actor, name, (contract, role, list(Role).index(holder))))

        @rule(seconds=st.sampled_from([1, config.unstake_delay - 1, config.unstake_delay, config.unstake_delay + 1]))
        def advance_time(self, seconds):
            self._run(AdvanceTime(seconds))

        @precondition(lambda self: self.universe == 1)
        @rule(data=st.data())
        def arm_reentry(self, data):
            entry = data.draw(st.sampled_from(range(len(REENTRY_TARGETS))), label="reentry target")
            self._run(Action(Role.STRANGER, "arm_reentry", (entry,)))

    return CiroMachine


# Batch entrypoints the hostile token calls back into: (contract, entrypoint, calldata of an empty batch).
REENTRY_TARGETS = [
    ("pool", "batch_stake", [0, 1]), ("pool", "batch_claim_rewards", [0, 1]), ("pool", "batch_register_workers", [0, 1]),
    ("jobs", "batch_submit_jobs", [0, 1]), ("jobs", "batch_verify_results", [0, 1]),
]
