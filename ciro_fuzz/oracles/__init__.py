"""The four oracles, pure functions of observations: equivalence, access control, DoS bounds, invariants.
Each returns a list of Violations (empty when the property holds)."""

from ciro_fuzz.oracles.access import AccessMatrix, check_access_action, check_access_batch
from ciro_fuzz.oracles.base import Violation
from ciro_fuzz.oracles.dos import GasModel, check_dos
from ciro_fuzz.oracles.equivalence import check_equivalence
from ciro_fuzz.oracles.invariants import check_invariants

__all__ = [
    "AccessMatrix", "GasModel", "Violation", "check_access_action", "check_access_batch", "check_dos",
    "check_equivalence", "check_invariants",
]
