"""`ciro-fuzz submit FILE`: operations from a file through the SDK, with a progress bar, a summary file next
to the journal and, on request, Prometheus metrics."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from ciro_fuzz.chain.client import Actor, Chain
from ciro_fuzz.errors import ConfigError, InvalidItems
from ciro_fuzz.sdk import accounts, metrics, opsfile
from ciro_fuzz.sdk.client import DEFAULT_JOURNALS, Client
from ciro_fuzz.sdk.status import RunState
from ciro_fuzz.sdk.submitter import SubmitOptions

BAR = 30


def _address(text: str | None, flag: str) -> int:
    if not text:
        raise ConfigError(f"{flag} is required with --rpc-url (the deployed contract's address)")
    try:
        return int(text, 0)
    except ValueError:
        raise ConfigError(f"{flag} is not an address: {text!r}") from None


def _options(args: argparse.Namespace) -> SubmitOptions:
    if args.window < 1:
        raise ConfigError(f"--window must be at least 1, got {args.window}")
    if args.gas_margin is not None and not 0 <= args.gas_margin <= 10:
        raise ConfigError(f"--gas-margin must be within 0..10, got {args.gas_margin}")
    if args.max_l2_gas is not None and args.max_l2_gas < 1:
        raise ConfigError(f"--max-l2-gas must be positive, got {args.max_l2_gas}")
    changes = {"window": args.window, "max_l2_gas": args.max_l2_gas, "gas_margin": args.gas_margin}
    return SubmitOptions(**{k: v for k, v in changes.items() if v is not None})


def _account(args: argparse.Namespace, chain: Chain, default: Actor | None) -> Actor:
    if args.keystore:
        return accounts.from_keystore(args.keystore, args.account_address or os.environ.get(accounts.ADDRESS_VAR))
    found = accounts.from_env()
    if found:
        return found
    if args.account_index is not None:
        predeployed = chain.predeployed_accounts()
        if not 0 <= args.account_index < len(predeployed):
            raise ConfigError(f"--account-index {args.account_index}: the node has {len(predeployed)} predeployed accounts")
        return predeployed[args.account_index]
    if default is None:
        raise ConfigError(f"no account: set {accounts.ADDRESS_VAR} and {accounts.KEY_VAR}, or give --keystore, or --account-index on a devnet")
    return default


def _progress(total: int):
    tty = sys.stdout.isatty()
    last = [0.0]

    def show(state: RunState) -> None:
        now = time.monotonic()
        if not tty and now - last[0] < 5:
            return
        last[0] = now
        counts = state.counts()["items"]
        settled = counts["accepted"] + counts["reverted"]
        filled = BAR * settled // max(total, 1)
        line = f"[{'#' * filled}{'.' * (BAR - filled)}] {settled}/{total} items, {counts['accepted']} accepted, {counts['reverted']} reverted, {state.transactions} tx"
        print(f"\r{line}" if tty else line, end="" if tty else "\n", flush=True)

    return show


def submit_file(args: argparse.Namespace) -> int:
    builder = opsfile.load(args.file, args.mode, args.packed)
    options = _options(args)
    if problems := builder.problems():  # the state-free rules first: no devnet for a file that cannot go
        raise InvalidItems(problems)
    with ExitStack() as stack:
        if args.rpc_url:
            chain = Chain(args.rpc_url, timeout=30.0)
            contracts = {"jobs": _address(args.jobs, "--jobs"), "pool": _address(args.pool, "--pool")}
            account, journal = _account(args, chain, None), args.journal
        else:
            chain, contracts, default = _devnet_universe(stack, builder.contract)
            account = _account(args, chain, default)
            # A fresh devnet each run: a journal from an earlier run describes another chain's history.
            journal = args.journal or DEFAULT_JOURNALS / f"devnet-{time.strftime('%Y%m%d-%H%M%S')}.jsonl"
        client = Client(chain, account, contracts, options)
        result = client.submit(builder, journal=journal, on_progress=_progress(len(builder)))
    print()
    summary_path = Path(str(result.journal) + ".summary.json")
    summary_path.write_text(json.dumps({"metrics": result.metrics, "items": [i.to_json() for i in result.items]}, indent=1))
    if args.metrics:
        args.metrics.write_text(metrics.prometheus(result.metrics, {"journal": result.journal.name}))
    m = result.metrics
    print(f"{m['items']['accepted']} accepted, {m['items']['reverted']} reverted of {len(result.items)} items in {m['transactions']} transaction(s); journal {result.journal}; summary {summary_path}")
    for index, reason in result.failed()[:20]:
        print(f"  item {index}: {reason}")
    return 0 if not result.failed() else 1


def _devnet_universe(stack: ExitStack, contract: str):
    """A devnet started for this run with the contracts deployed; the default account fits the contract
    (a client submits jobs, a worker owner manages workers)."""
    from ciro_fuzz.build import build
    from ciro_fuzz.chain.pool import Devnet, DevnetOptions
    from ciro_fuzz.chain.universe import deploy_universe
    from ciro_fuzz.model.roles import ACCOUNTS_NEEDED, Role
    from ciro_fuzz.settings import UniverseConfig
    from ciro_fuzz.toolchain import locate

    devnet = stack.enter_context(Devnet(locate().devnet, DevnetOptions(accounts=max(10, ACCOUNTS_NEEDED), log_dir=DEFAULT_JOURNALS / "logs"), name="submit"))
    chain = Chain(devnet.rpc_url)
    universe = deploy_universe(chain, build(), UniverseConfig())
    print(f"devnet {devnet.rpc_url}: jobs {universe.jobs:#x}, pool {universe.pool:#x}", flush=True)
    role = Role.CLIENT if contract == "jobs" else Role.OWNER
    return chain, {"jobs": universe.jobs, "pool": universe.pool}, universe.actors[role]
