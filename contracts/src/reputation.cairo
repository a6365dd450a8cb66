//! Reputation: a score in 0..1000 per worker, 500 at registration, changed by signed deltas with a reason,
//! plus a network-wide adjustment whose cost does not grow with the number of workers.
//!
//! The network adjustment is a lazily applied global offset (clamped to -1000..1000): a worker's score is
//! clamp(base + offset, 0, 1000). A single update computes the new score with the same clamp and stores
//! base = score - offset, so the base stays in -1000..2000 (stored biased by +1000 in 16 bits of the
//! worker's packed record, which the host contract owns and exposes through `ReputationHooksTrait`).

/// Reasons accepted by updates: 1 job completed, 2 job failed, 3 slashed, 4 dispute lost, 5 dispute won,
/// 6 inactivity decay, 7 admin adjustment.
pub const MAX_REASON: u8 = 7;
pub const MAX_DELTA: i32 = 1000;
pub const INITIAL_SCORE: i32 = 500;
pub const MAX_SCORE: i32 = 1000;

/// What the component needs from the contract that embeds it.
pub trait ReputationHooksTrait<TContractState> {
    /// The biased base of a worker, None when the worker does not exist.
    fn rep_base(self: @TContractState, worker_id: felt252) -> Option<u16>;
    fn set_rep_base(ref self: TContractState, worker_id: felt252, base: u16);
    /// Whether `caller` may update reputation (the coordinator role).
    fn may_update_reputation(self: @TContractState, caller: starknet::ContractAddress) -> bool;
    /// Whether `caller` may make network-wide adjustments (the admin).
    fn may_adjust_network(self: @TContractState, caller: starknet::ContractAddress) -> bool;
    /// Re-entrancy guard shared with the host's other entrypoints.
    fn guard_enter(ref self: TContractState);
    fn guard_leave(ref self: TContractState);
}

pub fn clamp(value: i32, low: i32, high: i32) -> i32 {
    if value < low {
        low
    } else if value > high {
        high
    } else {
        value
    }
}

#[starknet::component]
pub mod ReputationComponent {
    use crate::errors::Errors;
    use crate::interfaces::{IReputation, ReputationUpdate};
    use crate::utils::batch::{BatchExecuted, BatchResult, TrackerTrait};
    use crate::utils::packing::decode_reputation;
    use starknet::storage::{StoragePointerReadAccess, StoragePointerWriteAccess};
    use starknet::get_caller_address;
    use super::{INITIAL_SCORE, MAX_DELTA, MAX_REASON, MAX_SCORE, ReputationHooksTrait, clamp};

    #[storage]
    pub struct Storage {
        /// The network-wide offset, -1000..1000, stored as a felt (negative values wrap).
        pub Reputation_offset: felt252,
    }

    #[event]
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub enum Event {
        ReputationUpdated: ReputationUpdated,
        NetworkAdjusted: NetworkAdjusted,
        BatchExecuted: BatchExecuted,
    }

    /// Emitted when a single update changes a worker's score.
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct ReputationUpdated {
        #[key]
        pub worker_id: felt252,
        pub old_score: u16,
        pub new_score: u16,
        pub reason: u8,
    }

    /// Emitted when the admin shifts every worker's score.
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct NetworkAdjusted {
        pub old_offset: i32,
        pub new_offset: i32,
    }

    #[embeddable_as(ReputationImpl)]
    impl Reputation<
        TContractState, +HasComponent<TContractState>, +ReputationHooksTrait<TContractState>, +Drop<TContractState>,
    > of IReputation<ComponentState<TContractState>> {
        /// Applies one signed delta (clamped to 0..1000); coordinator only.
        fn update_reputation(ref self: ComponentState<TContractState>, update: ReputationUpdate) {
            self.begin();
            match self.apply(update) {
                Result::Ok(_) => {},
                Result::Err(reason) => core::panic_with_felt252(reason),
            }
            self.end();
        }

        /// Applies many updates in one transaction with one BatchExecuted event.
        fn batch_update_reputation(
            ref self: ComponentState<TContractState>, updates: Array<ReputationUpdate>, mode: u8,
        ) -> BatchResult {
            self.run_batch(updates, mode, 'batch_update_reputation')
        }

        /// The same with packed calldata: four updates per felt (see utils::packing::decode_reputation).
        fn batch_update_reputation_packed(
            ref self: ComponentState<TContractState>, packed: Array<felt252>, count: u32, mode: u8,
        ) -> BatchResult {
            crate::utils::batch::check_batch(count, mode);
            let updates = decode_reputation(packed.span(), count);
            self.run_batch(updates, mode, 'batch_update_reputation')
        }

        /// Shifts every worker's score by `delta` in O(1); admin only.
        fn adjust_network_reputation(ref self: ComponentState<TContractState>, delta: i32) {
            let contract = self.get_contract();
            assert(contract.may_adjust_network(get_caller_address()), Errors::ONLY_ADMIN);
            assert(delta >= -MAX_DELTA && delta <= MAX_DELTA, Errors::REP_BAD_DELTA);
            let old_offset = self.offset();
            let new_offset = clamp(old_offset + delta, -MAX_SCORE, MAX_SCORE);
            self.Reputation_offset.write(new_offset.into());
            self.emit(NetworkAdjusted { old_offset, new_offset });
        }

        fn get_reputation(self: @ComponentState<TContractState>, worker_id: felt252) -> u16 {
            match self.get_contract().rep_base(worker_id) {
                Option::Some(base) => self.score_of(base),
                Option::None => 0,
            }
        }

        fn network_offset(self: @ComponentState<TContractState>) -> i32 {
            self.offset()
        }
    }

    #[generate_trait]
    pub impl InternalImpl<
        TContractState, +HasComponent<TContractState>, +ReputationHooksTrait<TContractState>, +Drop<TContractState>,
    > of InternalTrait<TContractState> {
        fn offset(self: @ComponentState<TContractState>) -> i32 {
            self.Reputation_offset.read().try_into().unwrap()
        }

        /// The biased base that gives a new worker the initial score under the current offset.
        fn initial_base(self: @ComponentState<TContractState>) -> u16 {
            let base = INITIAL_SCORE - self.offset() + MAX_SCORE;
            let unsigned: u32 = base.try_into().unwrap();
            unsigned.try_into().unwrap()
        }

        fn score_of(self: @ComponentState<TContractState>, biased_base: u16) -> u16 {
            let base: i32 = Into::<u16, i32>::into(biased_base) - MAX_SCORE;
            let score = clamp(base + self.offset(), 0, MAX_SCORE);
            let unsigned: u32 = score.try_into().unwrap();
            unsigned.try_into().unwrap()
        }

        fn begin(ref self: ComponentState<TContractState>) {
            let mut contract = self.get_contract_mut();
            contract.guard_enter();
            assert(contract.may_update_reputation(get_caller_address()), Errors::MISSING_ROLE);
        }

        fn end(ref self: ComponentState<TContractState>) {
            let mut contract = self.get_contract_mut();
            contract.guard_leave();
        }

        /// Validates one update, writes it and emits ReputationUpdated; an invalid update writes nothing.
        fn apply(ref self: ComponentState<TContractState>, update: ReputationUpdate) -> Result<felt252, felt252> {
            let (old_score, new_score) = self.apply_quiet(update)?;
            self.emit(ReputationUpdated { worker_id: update.worker_id, old_score, new_score, reason: update.reason });
            Result::Ok(update.worker_id)
        }

        fn run_batch(
            ref self: ComponentState<TContractState>, updates: Array<ReputationUpdate>, mode: u8, op: felt252,
        ) -> BatchResult {
            let mut tracker = TrackerTrait::new(updates.len(), mode);
            self.begin();
            for update in updates {
                let outcome = match self.apply_quiet(update) {
                    Result::Ok(_) => Result::Ok(update.worker_id),
                    Result::Err(e) => Result::Err(e),
                };
                tracker.record(outcome, update.worker_id);
            }
            self.end();
            let (result, event) = tracker.finish(op, get_caller_address());
            self.emit(event);
            result
        }

        /// Validates and writes one update without an event (a batch emits one BatchExecuted instead);
        /// returns the old and new scores.
        fn apply_quiet(
            ref self: ComponentState<TContractState>, update: ReputationUpdate,
        ) -> Result<(u16, u16), felt252> {
            let biased = match self.get_contract().rep_base(update.worker_id) {
                Option::Some(b) => b,
                Option::None => { return Result::Err(Errors::REP_UNKNOWN_WORKER); },
            };
            if update.delta < -MAX_DELTA || update.delta > MAX_DELTA {
                return Result::Err(Errors::REP_BAD_DELTA);
            }
            if update.reason == 0 || update.reason > MAX_REASON {
                return Result::Err(Errors::REP_BAD_REASON);
            }
            let old_score = self.score_of(biased);
            let new_score = clamp(Into::<u16, i32>::into(old_score) + update.delta, 0, MAX_SCORE);
            let new_base: u32 = (new_score - self.offset() + MAX_SCORE).try_into().unwrap();
            let mut contract = self.get_contract_mut();
            contract.set_rep_base(update.worker_id, new_base.try_into().unwrap());
            let new_u32: u32 = new_score.try_into().unwrap();
            Result::Ok((old_score, new_u32.try_into().unwrap()))
        }
    }
}
