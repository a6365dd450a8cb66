//! The shared batch framework: size limit, atomic and partial modes, per-item results, one compact event
//! per batch, pagination and linear-time duplicate detection.
use crate::errors::Errors;
use core::dict::{Felt252Dict, Felt252DictTrait};
use starknet::ContractAddress;

/// The largest batch any entrypoint accepts. Set from `ciro-fuzz bench gas`: the worst-case item
/// (a worker registration: three new storage keys, a token transfer share) costs about 1.4M L2 gas, so 50
/// items stay near 70M, far inside the 1.1e9 execution limit, and 50 x 4 felts of calldata plus the
/// 2x50 felts of the compact event stay inside 5,000 calldata felts and 300 event data felts.
pub const MAX_BATCH_SIZE: u32 = 50;
/// The largest page a paginated view returns: bounded so a page read stays inside one call's gas.
pub const MAX_PAGE: u32 = 100;

/// Atomic: the transaction reverts on the first invalid item with [`Batch: item failed`, index, reason].
pub const MODE_ATOMIC: u8 = 0;
/// Partial: invalid items are skipped; the result and the event say which and why.
pub const MODE_PARTIAL: u8 = 1;

/// What a batch did. `first_failure` equals `total` when every item succeeded.
#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct BatchResult {
    pub total: u32,
    pub succeeded: u32,
    pub failed: u32,
    pub first_failure: u32,
}

/// Emitted once per batch call instead of one event per item: `ids[i]` is the entity item i touched (the
/// new id for creations, 0 when a creation failed) and `codes[i]` is 0 on success, else its error string.
#[derive(Drop, PartialEq, Debug, starknet::Event)]
pub struct BatchExecuted {
    #[key]
    pub op: felt252,
    #[key]
    pub caller: ContractAddress,
    pub mode: u8,
    pub total: u32,
    pub succeeded: u32,
    pub first_failure: u32,
    pub ids: Span<felt252>,
    pub codes: Span<felt252>,
}

/// Refuses a batch before any work: an unknown mode or more than MAX_BATCH_SIZE items.
pub fn check_batch(len: u32, mode: u8) {
    assert(mode == MODE_ATOMIC || mode == MODE_PARTIAL, Errors::BATCH_BAD_MODE);
    assert(len <= MAX_BATCH_SIZE, Errors::BATCH_TOO_LARGE);
}

/// Collects per-item outcomes; in atomic mode the first failure reverts the whole transaction.
#[derive(Drop)]
pub struct Tracker {
    mode: u8,
    index: u32,
    succeeded: u32,
    first_failure: Option<u32>,
    ids: Array<felt252>,
    codes: Array<felt252>,
}

#[generate_trait]
pub impl TrackerImpl of TrackerTrait {
    fn new(len: u32, mode: u8) -> Tracker {
        check_batch(len, mode);
        Tracker { mode, index: 0, succeeded: 0, first_failure: Option::None, ids: array![], codes: array![] }
    }

    /// Records item `self.index`: Ok(id) on success, Err(reason) when it was invalid (and left no trace).
    fn record(ref self: Tracker, outcome: Result<felt252, felt252>, id_on_failure: felt252) {
        match outcome {
            Result::Ok(id) => {
                self.succeeded += 1;
                self.ids.append(id);
                self.codes.append(0);
            },
            Result::Err(reason) => {
                if self.mode == MODE_ATOMIC {
                    let mut data = array![Errors::BATCH_ITEM_FAILED, self.index.into(), reason];
                    panic(data);
                }
                if self.first_failure.is_none() {
                    self.first_failure = Option::Some(self.index);
                }
                self.ids.append(id_on_failure);
                self.codes.append(reason);
            },
        }
        self.index += 1;
    }

    fn succeeded_at(self: @Tracker, index: u32) -> bool {
        *self.codes.at(index) == 0
    }

    fn finish(self: Tracker, op: felt252, caller: ContractAddress) -> (BatchResult, BatchExecuted) {
        let total = self.index;
        let first_failure = match self.first_failure {
            Option::Some(i) => i,
            Option::None => total,
        };
        let result = BatchResult { total, succeeded: self.succeeded, failed: total - self.succeeded, first_failure };
        let event = BatchExecuted {
            op,
            caller,
            mode: self.mode,
            total,
            succeeded: self.succeeded,
            first_failure,
            ids: self.ids.span(),
            codes: self.codes.span(),
        };
        (result, event)
    }
}

/// Duplicate detection in one pass: a dictionary of seen keys, O(1) per item (never a nested loop).
#[derive(Destruct)]
pub struct Seen {
    keys: Felt252Dict<bool>,
}

#[generate_trait]
pub impl SeenImpl of SeenTrait {
    fn new() -> Seen {
        Seen { keys: Default::default() }
    }

    /// True the first time `key` is seen in this batch.
    fn first_time(ref self: Seen, key: felt252) -> bool {
        if self.keys.get(key) {
            return false;
        }
        self.keys.insert(key, true);
        true
    }
}

/// The half-open range [start, end) of a page over ids 1..=total; `count` is at most MAX_PAGE.
pub fn page_bounds(start: u64, count: u32, total: u64) -> (u64, u64) {
    assert(count <= MAX_PAGE && start >= 1, Errors::BAD_PAGE);
    if start > total {
        return (start, start);
    }
    let end = start + count.into();
    let last = total + 1;
    (start, if end < last {
        end
    } else {
        last
    })
}
