//! Every revert reason of the contracts, declared once. ciro_fuzz/model/errors.py mirrors this file and a
//! test checks the two agree.

pub mod Errors {
    // Access control
    pub const MISSING_ROLE: felt252 = 'Access: missing role';
    pub const ONLY_ADMIN: felt252 = 'Access: only admin';
    // Batch framework
    pub const BATCH_TOO_LARGE: felt252 = 'Batch: too large';
    pub const BATCH_BAD_MODE: felt252 = 'Batch: bad mode';
    pub const BATCH_ITEM_FAILED: felt252 = 'Batch: item failed';
    pub const BATCH_DUPLICATE: felt252 = 'Batch: duplicate item';
    pub const REENTRANT: felt252 = 'Batch: reentrant call';
    pub const BAD_PAGE: felt252 = 'Batch: bad page';
    pub const PACKED_OUT_OF_RANGE: felt252 = 'Packed: field out of range';
    // ERC20
    pub const INSUFFICIENT_BALANCE: felt252 = 'ERC20: insufficient balance';
    pub const INSUFFICIENT_ALLOWANCE: felt252 = 'ERC20: insufficient allowance';
    pub const ZERO_ADDRESS: felt252 = 'ERC20: zero address';
    pub const ONLY_MINTER: felt252 = 'ERC20: only minter';
    // CDC Pool
    pub const STAKE_BELOW_MINIMUM: felt252 = 'Pool: stake below minimum';
    pub const AMOUNT_TOO_LARGE: felt252 = 'Pool: amount too large';
    pub const ZERO_AMOUNT: felt252 = 'Pool: zero amount';
    pub const UNKNOWN_WORKER: felt252 = 'Pool: unknown worker';
    pub const NOT_WORKER_OWNER: felt252 = 'Pool: not worker owner';
    pub const WORKER_NOT_ACTIVE: felt252 = 'Pool: worker not active';
    pub const WORKER_SLASHED: felt252 = 'Pool: worker slashed';
    pub const BAD_SPEC: felt252 = 'Pool: bad spec';
    pub const INSUFFICIENT_STAKE: felt252 = 'Pool: insufficient stake';
    pub const UNSTAKE_PENDING: felt252 = 'Pool: unstake pending';
    pub const NO_UNSTAKE: felt252 = 'Pool: no unstake pending';
    pub const UNSTAKE_LOCKED: felt252 = 'Pool: unstake locked';
    pub const NOTHING_TO_CLAIM: felt252 = 'Pool: nothing to claim';
    pub const POOL_FUNDS: felt252 = 'Pool: insufficient funds';
    pub const BAD_SLASH: felt252 = 'Pool: bad slash';
    // Reputation
    pub const REP_UNKNOWN_WORKER: felt252 = 'Rep: unknown worker';
    pub const REP_BAD_DELTA: felt252 = 'Rep: delta out of range';
    pub const REP_BAD_REASON: felt252 = 'Rep: bad reason';
    // JobMgr
    pub const PAYMENT_BELOW_MINIMUM: felt252 = 'Job: payment below minimum';
    pub const PAYMENT_TOO_LARGE: felt252 = 'Job: payment too large';
    pub const UNKNOWN_JOB: felt252 = 'Job: unknown job';
    pub const WRONG_STATE: felt252 = 'Job: wrong state';
    pub const NOT_CLIENT: felt252 = 'Job: not client';
    pub const NOT_ASSIGNED_WORKER: felt252 = 'Job: not assigned worker';
    pub const NOT_VERIFIER: felt252 = 'Job: not verifier';
    pub const ZERO_RESULT: felt252 = 'Job: zero result';
    pub const JOB_FUNDS: felt252 = 'Job: insufficient funds';
    pub const BAD_FEE: felt252 = 'Job: bad fee';
}
