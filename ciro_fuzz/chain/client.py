"""The chain client: predeployed accounts, declare, deploy, invoke, call, receipts, state updates and
``starknet_simulateTransactions``, over starknet-py's transaction models and signer.

Transactions are built and signed synchronously with explicit nonces and resource bounds, so a step
costs exactly the RPC requests it needs: no fee estimate, no nonce query per transaction.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from starknet_py.common import create_sierra_compiled_contract
from starknet_py.hash.address import compute_address
from starknet_py.hash.selector import get_selector_from_name
from starknet_py.hash.transaction import TransactionHashPrefix, compute_declare_v3_transaction_hash
from starknet_py.net.account.account import _parse_calls
from starknet_py.net.client_models import Call, ResourceBounds, ResourceBoundsMapping
from starknet_py.net.client_utils import _create_broadcasted_txn
from starknet_py.net.models.transaction import DeclareV3, InvokeV3
from starkware.crypto.signature.signature import sign as stark_sign

from ciro_fuzz.build import Artifact
from ciro_fuzz.chain.rpc import Rpc, RpcError
from ciro_fuzz.errors import ChainError, RevertError

UDC_ADDRESS = 0x041A78E741E5AF2FEC34B695679BC6891742439F7AFB8484ECD7766661AD02BF
_CONTEXT = re.compile(r"\((?:contract address|class hash|selector)[^)]*\)")
_FELT_WITH_TEXT = re.compile(r"0x([0-9a-fA-F]+)(?: \('((?:[^'\\]|\\.)*)'\))?")
# The highest L2 gas a transaction may use here: the execution limit of Starknet 0.14.2 is 1.1e9, and
# __validate__ takes its share from the same bound.
MAX_L2_GAS = 1_000_000_000


def selector(name: str) -> int:
    return get_selector_from_name(name)


@dataclass(frozen=True)
class Actor:
    """A predeployed account that signs transactions."""

    address: int
    private_key: int

    def __repr__(self) -> str:
        return f"Actor({self.address:#x})"


@dataclass(frozen=True)
class Event:
    from_address: int
    keys: tuple[int, ...]
    data: tuple[int, ...]


@dataclass(frozen=True)
class Outcome:
    """What one transaction did, committed (from its receipt) or simulated (from its trace)."""

    tx_hash: int | None
    reverted: bool
    revert_reason: str  # decoded, "" when it succeeded
    revert_felts: tuple[int, ...]
    events: tuple[Event, ...]
    l2_gas: int
    l1_data_gas: int
    calldata_len: int
    results: tuple[tuple[int, ...], ...] = ()  # return data of each call of the multicall
    storage_diff: dict[int, dict[int, int]] = field(default_factory=dict)
    nonce_diff: dict[int, int] = field(default_factory=dict)
    fee: int = 0  # actual fee (receipt) or estimated overall fee (simulation), in FRI
    # A simulation's fee estimate of L2 and L1 data gas: what the resource bounds must cover. Its L1 data
    # gas is larger than the trace's (measured 14,976 against 10,176 for 50 job submissions).
    bound_l2_gas: int = 0
    bound_l1_data_gas: int = 0


def _sign(tx_hash: int, private_key: int) -> list[int]:
    """ECDSA over the Stark curve with cairo-lang's signer: measured 28 ms a signature here against 139 ms
    for starknet-py's crypto-cpp binding, and every committed transaction needs one."""
    r, s = stark_sign(tx_hash, private_key)
    return [r, s]


def decode_revert(text: str) -> tuple[str, tuple[int, ...]]:
    """The innermost failure of a Starknet revert reason: its short strings joined, and its felts."""
    if not text:
        return "", ()
    tail = _CONTEXT.sub("", text)  # drop "(contract address: 0x.., class hash: 0x.., selector: 0x..)"
    marker = tail.rfind("Failure reason:")
    if marker >= 0:
        tail = tail[marker + len("Failure reason:") :]
    felts: list[int] = []
    words: list[str] = []
    for match in _FELT_WITH_TEXT.finditer(tail):
        value = int(match.group(1), 16)
        if match.group(2) == "ENTRYPOINT_FAILED":
            continue
        felts.append(value)
        words.append(match.group(2) if match.group(2) is not None else str(value))
    if not felts:
        return " ".join(text.split())[:300], ()
    return ", ".join(words), tuple(felts)


def short_string(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return raw.decode("ascii", errors="replace").lstrip("\x00")


def encode_short_string(text: str) -> int:
    if len(text) > 31:
        raise ValueError(f"short string longer than 31 characters: {text!r}")
    return int.from_bytes(text.encode("ascii"), "big")


def _events_from_invocation(invocation: dict) -> list[tuple[int, Event]]:
    found = [
        (e.get("order", 0), Event(int(invocation["contract_address"], 16), tuple(int(k, 16) for k in e["keys"]), tuple(int(d, 16) for d in e["data"])))
        for e in invocation.get("events", [])
    ]
    for inner in invocation.get("calls", []):
        found.extend(_events_from_invocation(inner))
    return found


def _storage_diff(state_diff: dict) -> tuple[dict[int, dict[int, int]], dict[int, int]]:
    storage: dict[int, dict[int, int]] = {}
    for entry in state_diff.get("storage_diffs", []):
        slots = storage.setdefault(int(entry["address"], 16), {})
        for item in entry["storage_entries"]:
            slots[int(item["key"], 16)] = int(item["value"], 16)
    nonces = {int(n["contract_address"], 16): int(n["nonce"], 16) for n in state_diff.get("nonces", [])}
    return storage, nonces


class Chain:
    """One devnet (or any RPC 0.10 node) seen through its RPC endpoint."""

    def __init__(self, rpc_url: str, timeout: float = 300.0):
        self.rpc = Rpc(rpc_url, timeout=timeout)
        self.url, self.timeout = rpc_url, timeout
        self.chain_id = int(str(self.request("starknet_chainId")), 16)
        self._nonces: dict[int, int] = {}
        self._bounds: ResourceBoundsMapping | None = None

    def request(self, method: str, params: object = None) -> object:
        return self.rpc.request(method, params)

    # accounts and nonces ---------------------------------------------------------------------------
    def predeployed_accounts(self) -> list[Actor]:
        accounts = self.request("devnet_getPredeployedAccounts")
        return [Actor(int(a["address"], 16), int(a["private_key"], 16)) for a in accounts]  # type: ignore[union-attr]

    def nonce(self, address: int, refresh: bool = False) -> int:
        if refresh or address not in self._nonces:
            self._nonces[address] = int(str(self.request("starknet_getNonce", {"block_id": "pre_confirmed", "contract_address": hex(address)})), 16)
        return self._nonces[address]

    def forget_nonces(self) -> None:
        """After a roll-back or restart the chain's nonces are the truth again."""
        self._nonces.clear()

    def resource_bounds(self, refresh: bool = False) -> ResourceBoundsMapping:
        """The largest bounds at twice the latest block's prices (read once, or again with ``refresh``)."""
        if self._bounds is None or refresh:
            block = self.request("starknet_getBlockWithTxHashes", {"block_id": "latest"})
            price = lambda key: int(block[key]["price_in_fri"], 16) * 2 + 1  # type: ignore[index]  # noqa: E731
            self._bounds = ResourceBoundsMapping(
                l1_gas=ResourceBounds(max_amount=0, max_price_per_unit=price("l1_gas_price")),
                l1_data_gas=ResourceBounds(max_amount=100_000, max_price_per_unit=price("l1_data_gas_price")),
                l2_gas=ResourceBounds(max_amount=MAX_L2_GAS, max_price_per_unit=price("l2_gas_price")),
            )
        return self._bounds

    # building transactions -------------------------------------------------------------------------
    def invoke_tx(self, actor: Actor, calls: Sequence[Call], nonce: int | None = None, sign: bool = True, bounds: ResourceBoundsMapping | None = None) -> dict:
        """A signed (or, for SKIP_VALIDATE simulation, unsigned) INVOKE v3 as RPC JSON; bumps the local nonce.
        ``bounds`` defaults to the chain's largest L2 gas at twice the current prices."""
        return self.signed_invoke(actor, calls, nonce, sign, bounds)[0]

    def signed_invoke(self, actor: Actor, calls: Sequence[Call], nonce: int | None = None, sign: bool = True, bounds: ResourceBoundsMapping | None = None) -> tuple[dict, int]:
        """Like invoke_tx, with the transaction hash: the hash names the transaction before it is sent."""
        if nonce is None:
            nonce = self.nonce(actor.address)
            self._nonces[actor.address] = nonce + 1
        tx = InvokeV3(
            calldata=_parse_calls(1, list(calls)), resource_bounds=bounds or self.resource_bounds(), signature=[],
            nonce=nonce, sender_address=actor.address, version=3, tip=0,
        )
        tx_hash = tx.calculate_hash(self.chain_id)
        if sign:
            tx = dataclasses.replace(tx, signature=_sign(tx_hash, actor.private_key))
        return _create_broadcasted_txn(tx), tx_hash

    # committing ------------------------------------------------------------------------------------
    def send(self, tx: dict) -> int:
        try:
            reply = self.request("starknet_addInvokeTransaction", {"invoke_transaction": tx})
        except RpcError as exc:
            self.forget_nonces()
            raise _as_revert(exc) from exc
        return int(reply["transaction_hash"], 16)  # type: ignore[index]

    def receipt(self, tx_hash: int, timeout: float = 120.0) -> Outcome:
        began = time.monotonic()
        while True:
            try:
                raw = self.request("starknet_getTransactionReceipt", {"transaction_hash": hex(tx_hash)})
                break
            except RpcError as exc:
                if exc.code != 29 or time.monotonic() - began > timeout:  # 29: transaction hash not found
                    raise
                time.sleep(0.02)
        return self._outcome_from_receipt(raw)  # type: ignore[arg-type]

    def find_receipt(self, tx_hash: int) -> Outcome | None:
        """The receipt of a transaction, or None while the node does not know it."""
        try:
            raw = self.request("starknet_getTransactionReceipt", {"transaction_hash": hex(tx_hash)})
        except RpcError as exc:
            if exc.code == 29:  # transaction hash not found
                return None
            raise
        return self._outcome_from_receipt(raw)  # type: ignore[arg-type]

    def tx_known(self, tx_hash: int) -> bool:
        """Whether the node has the transaction in any state (received, pre-confirmed, accepted)."""
        try:
            self.request("starknet_getTransactionStatus", {"transaction_hash": hex(tx_hash)})
            return True
        except RpcError as exc:
            if exc.code == 29:
                return False
            raise

    def invoke(self, actor: Actor, calls: Sequence[Call] | Call) -> Outcome:
        """Send one transaction and wait for its receipt; a revert is returned, not raised."""
        call_list = [calls] if isinstance(calls, Call) else list(calls)
        tx = self.invoke_tx(actor, call_list)
        return self.receipt(self.send(tx))

    def invoke_ok(self, actor: Actor, calls: Sequence[Call] | Call) -> Outcome:
        """Like invoke, but a revert raises RevertError with the decoded reason."""
        outcome = self.invoke(actor, calls)
        if outcome.reverted:
            raise RevertError(outcome.revert_reason, raw=str(outcome.revert_felts))
        return outcome

    def _outcome_from_receipt(self, raw: dict) -> Outcome:
        reverted = raw.get("execution_status") == "REVERTED"
        reason, felts = decode_revert(raw.get("revert_reason", "")) if reverted else ("", ())
        resources = raw.get("execution_resources", {})
        events = tuple(
            Event(int(e["from_address"], 16), tuple(int(k, 16) for k in e["keys"]), tuple(int(d, 16) for d in e["data"]))
            for e in raw.get("events", [])
        )
        return Outcome(
            tx_hash=int(raw["transaction_hash"], 16), reverted=reverted, revert_reason=reason, revert_felts=felts,
            events=events, l2_gas=int(resources.get("l2_gas", 0)), l1_data_gas=int(resources.get("l1_data_gas", 0)),
            calldata_len=0, fee=int(raw.get("actual_fee", {}).get("amount", "0x0"), 16),
        )

    # simulation ------------------------------------------------------------------------------------
    def simulate(self, txs: Sequence[dict], skip_validate: bool = True, skip_fee: bool = True, block_id: object = "pre_confirmed") -> list[Outcome]:
        """Run the transactions in sequence on the current state without committing anything."""
        flags = (["SKIP_VALIDATE"] if skip_validate else []) + (["SKIP_FEE_CHARGE"] if skip_fee else [])
        try:
            raw = self.request("starknet_simulateTransactions", {"block_id": block_id, "transactions": list(txs), "simulation_flags": flags})
        except RpcError as exc:
            raise _as_revert(exc) from exc
        return [self._outcome_from_trace(item["transaction_trace"], tx, item.get("fee_estimation", {})) for item, tx in zip(raw, txs)]  # type: ignore[arg-type]

    def _outcome_from_trace(self, trace: dict, tx: dict, fee: dict) -> Outcome:
        execute = trace.get("execute_invocation", {})
        reverted = "revert_reason" in execute
        reason, felts = decode_revert(execute.get("revert_reason", "")) if reverted else ("", ())
        ordered = [] if reverted else _events_from_invocation(execute)
        # The account's __execute__ is the root: its inner calls are the multicall's calls.
        results = () if reverted else tuple(tuple(int(v, 16) for v in call.get("result", [])) for call in execute.get("calls", []))
        events = tuple(event for _, event in sorted(ordered, key=lambda pair: pair[0]))
        storage, nonces = _storage_diff(trace.get("state_diff", {}))
        resources = trace.get("execution_resources", {})
        return Outcome(
            tx_hash=None, reverted=reverted, revert_reason=reason, revert_felts=felts, events=events,
            l2_gas=int(resources.get("l2_gas", 0)), l1_data_gas=int(resources.get("l1_data_gas", 0)),
            calldata_len=len(tx.get("calldata", [])), results=results, storage_diff=storage, nonce_diff=nonces,
            fee=int(fee.get("overall_fee", "0x0"), 16), bound_l2_gas=int(fee.get("l2_gas_consumed", "0x0"), 16),
            bound_l1_data_gas=int(fee.get("l1_data_gas_consumed", "0x0"), 16),
        )

    # reading ---------------------------------------------------------------------------------------
    def call(self, address: int, function: str, calldata: Iterable[int] = (), block_id: object = "pre_confirmed") -> list[int]:
        request = {"contract_address": hex(address), "entry_point_selector": hex(selector(function)), "calldata": [hex(v) for v in calldata]}
        try:
            reply = self.request("starknet_call", {"request": request, "block_id": block_id})
        except RpcError as exc:
            raise _as_revert(exc) from exc
        return [int(v, 16) for v in reply]  # type: ignore[union-attr]

    def storage_at(self, address: int, key: int, block_id: object = "pre_confirmed") -> int:
        return int(str(self.request("starknet_getStorageAt", {"contract_address": hex(address), "key": hex(key), "block_id": block_id})), 16)

    def state_update(self, block_id: object = "latest") -> dict:
        return self.request("starknet_getStateUpdate", {"block_id": block_id})  # type: ignore[return-value]

    def block_number(self) -> int:
        return int(self.request("starknet_blockNumber"))  # type: ignore[arg-type]

    # devnet controls -------------------------------------------------------------------------------
    def create_block(self) -> None:
        self.request("devnet_createBlock")

    def abort_blocks(self, starting_block: int) -> None:
        self.request("devnet_abortBlocks", {"starting_block_id": {"block_number": starting_block}})
        self.forget_nonces()

    def increase_time(self, seconds: int) -> None:
        self.request("devnet_increaseTime", {"time": seconds})

    def set_time(self, timestamp: int, generate_block: bool = False) -> None:
        self.request("devnet_setTime", {"time": timestamp, "generate_block": generate_block})

    def config(self) -> dict:
        return self.request("devnet_getConfig")  # type: ignore[return-value]

    # classes and deployments -----------------------------------------------------------------------
    def declare(self, actor: Actor, artifact: Artifact) -> int:
        """Declare a class once per devnet (skipped when the class hash is already known); returns it."""
        class_hash, casm_hash = artifact.class_hashes()
        if self._class_known(class_hash):
            return class_hash
        nonce = self.nonce(actor.address)
        tx = DeclareV3(
            contract_class=create_sierra_compiled_contract(artifact.sierra_text()), compiled_class_hash=casm_hash,
            sender_address=actor.address, resource_bounds=ResourceBoundsMapping.init_with_zeros(), signature=[],
            nonce=nonce, version=3, tip=0,
        )
        tx = dataclasses.replace(tx, resource_bounds=self._estimated_bounds(tx))
        # The hash from the known class hash: DeclareV3.calculate_hash (and starknet-py's signer) would hash
        # the whole class again, which takes about a second for the largest one.
        tx_hash = compute_declare_v3_transaction_hash(
            class_hash=class_hash, compiled_class_hash=casm_hash, account_deployment_data=[],
            common_fields=tx.get_common_fields(tx_prefix=TransactionHashPrefix.DECLARE, address=actor.address, chain_id=self.chain_id),
        )
        payload = _create_broadcasted_txn(dataclasses.replace(tx, signature=_sign(tx_hash, actor.private_key)))
        try:
            reply = self.request("starknet_addDeclareTransaction", {"declare_transaction": payload})
        except RpcError as exc:
            self.forget_nonces()
            raise ChainError(f"declaring {artifact.name} failed: {exc}") from exc
        self._nonces[actor.address] = nonce + 1
        outcome = self.receipt(int(reply["transaction_hash"], 16))  # type: ignore[index]
        if outcome.reverted:
            raise ChainError(f"declaring {artifact.name} reverted: {outcome.revert_reason}")
        return class_hash

    def _estimated_bounds(self, tx) -> ResourceBoundsMapping:
        """Bounds from starknet_estimateFee with a 50 % margin (a declare's cost grows with the class size)."""
        estimate = self.request("starknet_estimateFee", {"request": [_create_broadcasted_txn(tx)], "simulation_flags": ["SKIP_VALIDATE"], "block_id": "pre_confirmed"})[0]  # type: ignore[index]
        base = self.resource_bounds()
        amount = lambda key: int(int(estimate[key], 16) * 1.5) + 10_000  # noqa: E731
        return ResourceBoundsMapping(
            l1_gas=ResourceBounds(max_amount=amount("l1_gas_consumed"), max_price_per_unit=base.l1_gas.max_price_per_unit),
            l1_data_gas=ResourceBounds(max_amount=amount("l1_data_gas_consumed"), max_price_per_unit=base.l1_data_gas.max_price_per_unit),
            l2_gas=ResourceBounds(max_amount=amount("l2_gas_consumed"), max_price_per_unit=base.l2_gas.max_price_per_unit),
        )

    def _class_known(self, class_hash: int) -> bool:
        try:
            self.request("starknet_getClass", {"block_id": "pre_confirmed", "class_hash": hex(class_hash)})
            return True
        except RpcError:
            return False

    @staticmethod
    def deploy_call(class_hash: int, calldata: Sequence[int], salt: int) -> tuple[Call, int]:
        """A UDC call deploying ``class_hash`` (not unique: the address depends on salt and calldata only)."""
        call = Call(UDC_ADDRESS, selector("deployContract"), [class_hash, salt, 0, len(calldata), *calldata])
        address = compute_address(salt=salt, class_hash=class_hash, constructor_calldata=list(calldata), deployer_address=0)
        return call, address


def _innermost_error(data: object) -> object:
    while isinstance(data, dict):
        inner = data.get("revert_error", data.get("error"))
        if inner is None:
            break
        data = inner
    return data


def _printable(value: int) -> str:
    text = short_string(value)
    return text if text and all(32 <= ord(c) < 127 for c in text) else str(value)


def _as_revert(exc: RpcError) -> ChainError:
    """Turn a node's execution error into RevertError with the decoded Cairo reason."""
    data = _innermost_error(exc.data)
    if isinstance(data, str) and data.startswith("["):
        try:
            felts = tuple(int(v, 16) for v in json.loads(data))
            return RevertError(", ".join(_printable(f) for f in felts), raw=str(felts))
        except (ValueError, TypeError):
            pass
    text = json.dumps(data) if not isinstance(data, str) else data
    if exc.code in (40, 41, 10) or "revert" in text.lower() or "Failure reason" in text:
        reason, felts = decode_revert(text.replace("\\n", "\n").replace('\\"', '"'))
        return RevertError(reason or exc.rpc_message, raw=str(felts))
    return exc
