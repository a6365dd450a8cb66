"""ciro-fuzz's client SDK for CIRO's batch entrypoints: builders, chunking to the chain's limits,
journalled sends with retries, parallel submitters, per-item status and metrics.

    client = Client.connect(rpc_url, account, jobs=JOBS, pool=POOL)
    result = client.jobs.batch().submit(1, 0xABC, 10**16).submit(2, 0xDEF, 10**16).send()
    result.ids()  # the new job ids, in the order the items were added
"""

from ciro_fuzz.sdk.builders import JobsBatch, PoolBatch
from ciro_fuzz.sdk.client import Client, Submission, submit_parallel
from ciro_fuzz.sdk.metrics import prometheus
from ciro_fuzz.sdk.submitter import SubmitOptions

__all__ = ["Client", "JobsBatch", "PoolBatch", "Submission", "SubmitOptions", "prometheus", "submit_parallel"]
