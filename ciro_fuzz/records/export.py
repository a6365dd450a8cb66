"""Export a failure record as a plain pytest test (no Hypothesis needed to run it) in tests/regressions/."""

from __future__ import annotations

import pprint
import textwrap
from pathlib import Path

from ciro_fuzz.model.ops import step_to_json
from ciro_fuzz.records.format import FailureRecord


def export(record: FailureRecord, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    steps = pprint.pformat([step_to_json(s) for s in record.steps], indent=1, width=110, sort_dicts=False)
    name = f"test_regression_{record.id}"
    body = textwrap.dedent(
        f'''\
        """Regression exported by `ciro-fuzz export` from record {record.id}.

        Found by the {record.failure.oracle} oracle{f" on mutant {record.mutant}" if record.mutant else ""} (seed {record.seed}, profile {record.profile}):
            {record.failure.message}
        It replays the steps below on the session's devnet and asserts every oracle holds: it fails on the
        buggy build (CIRO_FUZZ_MUTANT={record.mutant or "<name>"} pytest {out_dir}/{name}.py) and passes on
        the fixed contracts.
        """

        from ciro_fuzz.records.regression import assert_steps_hold

        HOSTILE_TOKEN = {record.universe.hostile_token!r}
        STEPS = {textwrap.indent(steps, "        ").strip()}


        def {name}(world):
            assert_steps_hold(world, STEPS, hostile_token=HOSTILE_TOKEN)
        '''
    )
    path = out_dir / f"{name}.py"
    path.write_text(body)
    return path
