"""CDC Pool items: worker registrations and updates, stakes, unstakes and claims."""

from __future__ import annotations

from hypothesis import strategies as st

from ciro_fuzz.model.ops import ClaimItem, RegisterItem, Spec, StakeItem, UnstakeItem, UpdateItem
from strategies.boundaries import amounts, ids


def specs() -> st.SearchStrategy[Spec]:
    """Worker specs: field maxima (u8/u16/u32) and the invalid zero cores or RAM; shrinks toward zeros
    (which is the invalid spec: a minimal failing spec is then obvious)."""
    return st.builds(
        Spec,
        capabilities=st.sampled_from([0, 1, 3, 255]) | st.integers(0, 255),
        gpu_memory_gb=st.sampled_from([0, 1, 80, 65535]),
        cpu_cores=st.sampled_from([1, 8, 0, 65535]),
        ram_gb=st.sampled_from([1, 64, 0, 2**32 - 1]),
    )


def register_items(min_stake: int, balance: int | None = None) -> st.SearchStrategy[RegisterItem]:
    """Registrations whose stakes straddle the minimum, the owner's ``balance`` and the 2^88 bound."""
    return st.builds(RegisterItem, spec=specs(), stake=amounts(minimum=min_stake, balance=balance))


def update_items(worker_count: int, owned: tuple[int, ...] = ()) -> st.SearchStrategy[UpdateItem]:
    """Updates of existing (mostly ``owned``) and missing workers."""
    return st.builds(UpdateItem, worker_id=ids(worker_count, preferred=owned), spec=specs(), active=st.booleans())


def stake_items(worker_count: int, owned: tuple[int, ...] = (), balance: int | None = None) -> st.SearchStrategy[StakeItem]:
    """Stakes on (mostly ``owned``) workers with amounts at every boundary (and around ``balance``)."""
    return st.builds(StakeItem, worker_id=ids(worker_count, preferred=owned), amount=amounts(balance=balance))


def unstake_items(worker_count: int, min_stake: int, owned: tuple[int, ...] = ()) -> st.SearchStrategy[UnstakeItem]:
    return st.builds(UnstakeItem, worker_id=ids(worker_count, preferred=owned), amount=amounts(minimum=min_stake))


def claim_items(worker_count: int, owned: tuple[int, ...] = ()) -> st.SearchStrategy[ClaimItem]:
    return st.builds(ClaimItem, worker_id=ids(worker_count, preferred=owned))
