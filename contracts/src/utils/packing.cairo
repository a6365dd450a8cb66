//! Storage packing (worker and job records in one slot each) and packed-calldata decoding.
//!
//! Bounds: token amounts stored in a record are below 2^88 (3.1e26, i.e. 309 million tokens of 18
//! decimals); worker ids and model ids below 2^32; timestamps below 2^64. Entry points check the bounds
//! with their declared errors before anything is packed, and `pack` asserts them again, so a value that
//! does not fit can never be truncated silently.
use crate::errors::Errors;
use crate::interfaces::{ReputationUpdate, StakeItem};
use starknet::storage_access::StorePacking;

pub const AMOUNT_BITS_MAX: u256 = 0xffffffffffffffffffffff; // 2^88 - 1
const S8: u256 = 0x100;
const S16: u256 = 0x10000;
const S32: u256 = 0x100000000;
const S64: u256 = 0x10000000000000000;
const S88: u256 = 0x10000000000000000000000;
const S120: u256 = 0x1000000000000000000000000000000;
const S56: u256 = 0x100000000000000;
const M8: u256 = 0xff;
const M16: u256 = 0xffff;
const M32: u256 = 0xffffffff;
const M64: u256 = 0xffffffffffffffff;
const M88: u256 = 0xffffffffffffffffffffff;
const M120: u256 = 0xffffffffffffffffffffffffffffff;
const M56: u256 = 0xffffffffffffff;

/// One worker's descriptive record: 160 bits in one slot.
/// Layout (low to high): capabilities 8 | gpu_memory_gb 16 | cpu_cores 16 | ram_gb 32 | status 8 |
/// registered_at 64 | rep_base 16 (reputation base, biased by +1000, so 0..3000).
#[derive(Copy, Drop, PartialEq, Debug)]
pub struct WorkerInfo {
    pub capabilities: u8,
    pub gpu_memory_gb: u16,
    pub cpu_cores: u16,
    pub ram_gb: u32,
    pub status: u8,
    pub registered_at: u64,
    pub rep_base: u16,
}

/// One worker's money: 240 bits in one slot. stake 88 | pending_unstake 88 | unlock_at 64.
#[derive(Copy, Drop, PartialEq, Debug)]
pub struct StakeInfo {
    pub stake: u128,
    pub pending: u128,
    pub unlock_at: u64,
}

/// One job's fixed fields: 224 bits in one slot. payment 88 | model_id 32 | worker_id 32 | state 8 |
/// submitted_at 64.
#[derive(Copy, Drop, PartialEq, Debug)]
pub struct JobInfo {
    pub payment: u128,
    pub model_id: u32,
    pub worker_id: u32,
    pub state: u8,
    pub submitted_at: u64,
}

fn to_felt(value: u256) -> felt252 {
    value.try_into().unwrap()
}

fn take(ref value: u256, mask: u256, shift: u256) -> u256 {
    let field = value & mask;
    value = value / shift;
    field
}

pub impl WorkerInfoPacking of StorePacking<WorkerInfo, felt252> {
    fn pack(value: WorkerInfo) -> felt252 {
        let mut acc: u256 = value.rep_base.into();
        acc = acc * S64 + value.registered_at.into();
        acc = acc * S8 + value.status.into();
        acc = acc * S32 + value.ram_gb.into();
        acc = acc * S16 + value.cpu_cores.into();
        acc = acc * S16 + value.gpu_memory_gb.into();
        acc = acc * S8 + value.capabilities.into();
        to_felt(acc)
    }

    fn unpack(value: felt252) -> WorkerInfo {
        let mut v: u256 = value.into();
        let capabilities = take(ref v, M8, S8).try_into().unwrap();
        let gpu_memory_gb = take(ref v, M16, S16).try_into().unwrap();
        let cpu_cores = take(ref v, M16, S16).try_into().unwrap();
        let ram_gb = take(ref v, M32, S32).try_into().unwrap();
        let status = take(ref v, M8, S8).try_into().unwrap();
        let registered_at = take(ref v, M64, S64).try_into().unwrap();
        let rep_base = take(ref v, M16, S16).try_into().unwrap();
        WorkerInfo { capabilities, gpu_memory_gb, cpu_cores, ram_gb, status, registered_at, rep_base }
    }
}

pub impl StakeInfoPacking of StorePacking<StakeInfo, felt252> {
    fn pack(value: StakeInfo) -> felt252 {
        assert(value.stake.into() <= M88 && value.pending.into() <= M88, Errors::PACKED_OUT_OF_RANGE);
        let mut acc: u256 = value.unlock_at.into();
        acc = acc * S88 + value.pending.into();
        acc = acc * S88 + value.stake.into();
        to_felt(acc)
    }

    fn unpack(value: felt252) -> StakeInfo {
        let mut v: u256 = value.into();
        let stake = take(ref v, M88, S88).try_into().unwrap();
        let pending = take(ref v, M88, S88).try_into().unwrap();
        let unlock_at = take(ref v, M64, S64).try_into().unwrap();
        StakeInfo { stake, pending, unlock_at }
    }
}

pub impl JobInfoPacking of StorePacking<JobInfo, felt252> {
    fn pack(value: JobInfo) -> felt252 {
        assert(value.payment.into() <= M88, Errors::PACKED_OUT_OF_RANGE);
        let mut acc: u256 = value.submitted_at.into();
        acc = acc * S8 + value.state.into();
        acc = acc * S32 + value.worker_id.into();
        acc = acc * S32 + value.model_id.into();
        acc = acc * S88 + value.payment.into();
        to_felt(acc)
    }

    fn unpack(value: felt252) -> JobInfo {
        let mut v: u256 = value.into();
        let payment = take(ref v, M88, S88).try_into().unwrap();
        let model_id = take(ref v, M32, S32).try_into().unwrap();
        let worker_id = take(ref v, M32, S32).try_into().unwrap();
        let state = take(ref v, M8, S8).try_into().unwrap();
        let submitted_at = take(ref v, M64, S64).try_into().unwrap();
        JobInfo { payment, model_id, worker_id, state, submitted_at }
    }
}

/// Packed stakes: two items per felt, each `worker_id 32 | amount 88` (120 bits); item 2k in the low
/// half of felt k. Three felts per item (id, u256 low, u256 high) become half a felt. Any bit above the
/// items a felt should hold, or a felt count that does not match `count`, reverts the call.
pub fn decode_stakes(packed: Span<felt252>, count: u32) -> Array<StakeItem> {
    assert(packed.len() == (count + 1) / 2, Errors::PACKED_OUT_OF_RANGE);
    let mut items = array![];
    let mut i: u32 = 0;
    while i < count {
        let mut v: u256 = (*packed.at(i / 2)).into();
        if i % 2 == 1 {
            v = v / S120;
        } else {
            let upper_limit = if i + 1 < count {
                S120 * S120
            } else {
                S120
            };
            assert(v < upper_limit, Errors::PACKED_OUT_OF_RANGE);
        }
        let item = v & M120;
        let worker_id: felt252 = to_felt(item & M32);
        let amount: u256 = (item / S32) & M88;
        items.append(StakeItem { worker_id, amount });
        i += 1;
    }
    items
}

/// Packed reputation updates: four per felt, each `worker_id 32 | delta + 1000 as 16 bits | reason 8`
/// (56 bits); item 4k+j in bits [56j, 56j+56) of felt k. A delta field above 2000, a reason above 255 is
/// impossible by width; unused high bits must be zero.
pub fn decode_reputation(packed: Span<felt252>, count: u32) -> Array<ReputationUpdate> {
    assert(packed.len() == (count + 3) / 4, Errors::PACKED_OUT_OF_RANGE);
    let mut items = array![];
    let mut i: u32 = 0;
    while i < count {
        let mut v: u256 = (*packed.at(i / 4)).into();
        let slot = i % 4;
        if slot == 0 {
            let in_felt = if count - i < 4 {
                count - i
            } else {
                4
            };
            let mut limit: u256 = 1;
            let mut k = 0;
            while k < in_felt {
                limit = limit * S56;
                k += 1;
            }
            assert(v < limit, Errors::PACKED_OUT_OF_RANGE);
        }
        let mut s = 0;
        while s < slot {
            v = v / S56;
            s += 1;
        }
        let item = v & M56;
        let worker_id: felt252 = to_felt(item & M32);
        let delta_enc: u256 = (item / S32) & M16;
        assert(delta_enc <= 2000, Errors::PACKED_OUT_OF_RANGE);
        let delta_u: u32 = delta_enc.try_into().unwrap();
        let delta: i32 = delta_u.try_into().unwrap() - 1000_i32;
        let reason: u8 = ((item / (S32 * S16)) & M8).try_into().unwrap();
        items.append(ReputationUpdate { worker_id, delta, reason });
        i += 1;
    }
    items
}
