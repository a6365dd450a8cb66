"""A universe: one deployment of token, CDC Pool and JobMgr with roles granted, tokens minted and
allowances set, addressed by role. Deployed in 1 + 7 transactions (one multicall, one approval each)."""

from __future__ import annotations

from dataclasses import dataclass

from starknet_py.net.client_models import Call

from ciro_fuzz.build import Build
from ciro_fuzz.chain.client import Actor, Chain, encode_short_string, selector
from ciro_fuzz.errors import ChainError
from ciro_fuzz.model.ops import u256
from ciro_fuzz.model.roles import ACCOUNT_INDEX, ACCOUNTS_NEEDED, TREASURY_INDEX, Role
from ciro_fuzz.settings import UniverseConfig

MAX_U256 = [2**128 - 1, 2**128 - 1]


@dataclass(frozen=True)
class Universe:
    token: int
    pool: int
    jobs: int
    treasury: int
    actors: dict[Role, Actor]
    class_hashes: dict[str, int]
    config: UniverseConfig

    def contract(self, name: str) -> int:
        return {"token": self.token, "pool": self.pool, "jobs": self.jobs}[name]

    def role_of(self, address: int) -> str:
        for role, actor in self.actors.items():
            if actor.address == address:
                return role.value
        names = {self.token: "token", self.pool: "pool", self.jobs: "jobs", self.treasury: "treasury"}
        return names.get(address, hex(address))

    def labels(self) -> dict[int, str]:
        """Address -> role-relative name, used to make observations address-independent."""
        out = {actor.address: role.value for role, actor in self.actors.items()}
        out.update({self.token: "token", self.pool: "pool", self.jobs: "jobs", self.treasury: "treasury"})
        return out


def deploy_universe(chain: Chain, build: Build, config: UniverseConfig, salt: int = 1) -> Universe:
    accounts = chain.predeployed_accounts()
    if len(accounts) < ACCOUNTS_NEEDED:
        raise ChainError(f"devnet has {len(accounts)} predeployed accounts, ciro-fuzz needs {ACCOUNTS_NEEDED}; start it with --accounts {ACCOUNTS_NEEDED} or more")
    actors = {role: accounts[i] for role, i in ACCOUNT_INDEX.items()}
    treasury = accounts[TREASURY_INDEX].address
    admin = actors[Role.ADMIN]
    token_name = "HostileToken" if config.hostile_token else "Token"
    hashes = {name: chain.declare(admin, build[name]) for name in (token_name, "CdcPool", "JobManager")}

    token_call, token = chain.deploy_call(hashes[token_name], [encode_short_string("CIRO"), encode_short_string("CIRO"), admin.address], salt)
    pool_args = [admin.address, token, treasury, *u256(config.min_stake), config.unstake_delay]
    pool_call, pool = chain.deploy_call(hashes["CdcPool"], pool_args, salt)
    jobs_args = [admin.address, token, pool, treasury, config.fee_bps, *u256(config.min_payment)]
    jobs_call, jobs = chain.deploy_call(hashes["JobManager"], jobs_args, salt)
    coordinator, slasher = actors[Role.COORDINATOR].address, actors[Role.SLASHER].address
    calls = [
        token_call, pool_call, jobs_call,
        Call(pool, selector("grant_role"), [encode_short_string("COORDINATOR"), coordinator]),
        Call(jobs, selector("grant_role"), [encode_short_string("COORDINATOR"), coordinator]),
        Call(pool, selector("grant_role"), [encode_short_string("SLASHER"), slasher]),
    ]
    calls += [Call(token, selector("mint"), [actor.address, *u256(config.initial_tokens)]) for actor in actors.values()]
    pending = [chain.send(chain.invoke_tx(admin, calls))]
    for actor in actors.values():
        approvals = [Call(token, selector("approve"), [spender, *MAX_U256]) for spender in (pool, jobs)]
        pending.append(chain.send(chain.invoke_tx(actor, approvals)))
    for tx_hash in pending:
        outcome = chain.receipt(tx_hash)
        if outcome.reverted:
            raise ChainError(f"deploying the universe failed: {outcome.revert_reason}")
    return Universe(token, pool, jobs, treasury, actors, hashes, config)
