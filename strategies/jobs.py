"""JobMgr items: job submissions, results and verifications."""

from __future__ import annotations

from hypothesis import strategies as st

from ciro_fuzz.model.ops import JobItem, ResultItem, VerifyItem
from strategies.boundaries import amounts, felts, ids


def job_items(min_payment: int, balance: int | None = None) -> st.SearchStrategy[JobItem]:
    """Submissions with payments around the minimum, the client's ``balance`` and the packing bound;
    model ids at u32 edges."""
    return st.builds(
        JobItem,
        model_id=st.sampled_from([0, 1, 2**32 - 1]) | st.integers(0, 1000),
        input_hash=felts(),
        payment=amounts(minimum=min_payment, typical=10**16, balance=balance),
    )


def result_items(job_count: int) -> st.SearchStrategy[ResultItem]:
    """Results for existing and missing jobs; result hash 0 is the declared invalid value."""
    return st.builds(ResultItem, job_id=ids(job_count), result_hash=st.sampled_from([1, 0]) | felts())


def verify_items(job_count: int) -> st.SearchStrategy[VerifyItem]:
    return st.builds(VerifyItem, job_id=ids(job_count), approved=st.booleans())
