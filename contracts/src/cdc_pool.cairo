//! CDC Pool: workers register with a stake, update their spec, stake more, request an unstake that
//! completes after a delay, receive rewards from the coordinator and claim them; the slasher slashes.
//! Embeds the Reputation component (each worker's reputation base lives in its packed record).
#[starknet::contract]
pub mod CdcPool {
    use crate::access::AccessControlComponent;
    use crate::access::{COORDINATOR, SLASHER};
    use crate::errors::Errors;
    use crate::interfaces::{
        ICdcPool, IERC20Dispatcher, IERC20DispatcherTrait, Registration, StakeItem, WorkerSpec, WorkerUpdate,
        WorkerView,
    };
    use crate::reputation::{ReputationComponent, ReputationHooksTrait};
    use crate::utils::batch::{BatchExecuted, BatchResult, SeenTrait, TrackerTrait, page_bounds};
    use crate::utils::packing::{AMOUNT_BITS_MAX, StakeInfo, WorkerInfo, decode_stakes};
    use starknet::storage::{
        Map, StorageMapReadAccess, StorageMapWriteAccess, StoragePointerReadAccess, StoragePointerWriteAccess,
    };
    use starknet::{ContractAddress, get_block_timestamp, get_caller_address, get_contract_address};

    component!(path: AccessControlComponent, storage: access, event: AccessEvent);
    component!(path: ReputationComponent, storage: reputation, event: ReputationEvent);

    #[abi(embed_v0)]
    impl AccessControlImpl = AccessControlComponent::AccessControlImpl<ContractState>;
    impl AccessInternalImpl = AccessControlComponent::InternalImpl<ContractState>;
    #[abi(embed_v0)]
    impl ReputationImpl = ReputationComponent::ReputationImpl<ContractState>;
    impl ReputationInternalImpl = ReputationComponent::InternalImpl<ContractState>;

    pub const STATUS_ACTIVE: u8 = 1;
    pub const STATUS_INACTIVE: u8 = 2;
    pub const STATUS_SLASHED: u8 = 3;
    const BPS: u256 = 10000;

    #[storage]
    struct Storage {
        #[substorage(v0)]
        access: AccessControlComponent::Storage,
        #[substorage(v0)]
        reputation: ReputationComponent::Storage,
        Pool_token: ContractAddress,
        Pool_treasury: ContractAddress,
        Pool_min_stake: u256,
        Pool_unstake_delay: u64,
        Pool_worker_count: u64,
        Pool_owner: Map<felt252, ContractAddress>,
        Pool_info: Map<felt252, WorkerInfo>,
        Pool_stakes: Map<felt252, StakeInfo>,
        Pool_rewards: Map<felt252, u128>,
        Pool_total_stake: u256,
        Pool_total_pending: u256,
        Pool_total_rewards: u256,
        Pool_entered: bool,
    }

    #[event]
    #[derive(Drop, starknet::Event)]
    pub enum Event {
        #[flat]
        AccessEvent: AccessControlComponent::Event,
        #[flat]
        ReputationEvent: ReputationComponent::Event,
        WorkerRegistered: WorkerRegistered,
        WorkerUpdated: WorkerUpdated,
        Staked: Staked,
        UnstakeRequested: UnstakeRequested,
        UnstakeCompleted: UnstakeCompleted,
        RewardsDistributed: RewardsDistributed,
        RewardsClaimed: RewardsClaimed,
        Slashed: Slashed,
    }

    /// Emitted when a worker registers with its initial stake.
    #[derive(Drop, starknet::Event)]
    pub struct WorkerRegistered {
        #[key]
        pub worker_id: felt252,
        #[key]
        pub owner: ContractAddress,
        pub stake: u256,
    }
    /// Emitted when an owner updates a worker's spec or activity.
    #[derive(Drop, starknet::Event)]
    pub struct WorkerUpdated {
        #[key]
        pub worker_id: felt252,
        pub status: u8,
    }
    /// Emitted when an owner adds stake.
    #[derive(Drop, starknet::Event)]
    pub struct Staked {
        #[key]
        pub worker_id: felt252,
        pub amount: u256,
    }
    /// Emitted when an owner requests an unstake; it completes at `unlock_at`.
    #[derive(Drop, starknet::Event)]
    pub struct UnstakeRequested {
        #[key]
        pub worker_id: felt252,
        pub amount: u256,
        pub unlock_at: u64,
    }
    /// Emitted when a pending unstake is paid out.
    #[derive(Drop, starknet::Event)]
    pub struct UnstakeCompleted {
        #[key]
        pub worker_id: felt252,
        pub amount: u256,
    }
    /// Emitted when the coordinator credits rewards to a worker.
    #[derive(Drop, starknet::Event)]
    pub struct RewardsDistributed {
        #[key]
        pub worker_id: felt252,
        pub amount: u256,
    }
    /// Emitted when an owner claims a worker's rewards.
    #[derive(Drop, starknet::Event)]
    pub struct RewardsClaimed {
        #[key]
        pub worker_id: felt252,
        pub amount: u256,
    }
    /// Emitted when the slasher cuts a worker's stake.
    #[derive(Drop, starknet::Event)]
    pub struct Slashed {
        #[key]
        pub worker_id: felt252,
        pub amount: u256,
    }

    /// Tokens a caller can still pay in this call: min(balance, allowance to the pool), read once.
    #[derive(Copy, Drop)]
    struct Funds {
        available: u256,
        reserved: u256,
    }

    #[constructor]
    fn constructor(
        ref self: ContractState,
        admin: ContractAddress,
        token: ContractAddress,
        treasury: ContractAddress,
        min_stake: u256,
        unstake_delay: u64,
    ) {
        self.access.initializer(admin);
        self.Pool_token.write(token);
        self.Pool_treasury.write(treasury);
        self.Pool_min_stake.write(min_stake);
        self.Pool_unstake_delay.write(unstake_delay);
    }

    impl ReputationHooks of ReputationHooksTrait<ContractState> {
        fn rep_base(self: @ContractState, worker_id: felt252) -> Option<u16> {
            let info = self.Pool_info.read(worker_id);
            if info.status == 0 {
                Option::None
            } else {
                Option::Some(info.rep_base)
            }
        }
        fn set_rep_base(ref self: ContractState, worker_id: felt252, base: u16) {
            let mut info = self.Pool_info.read(worker_id);
            info.rep_base = base;
            self.Pool_info.write(worker_id, info);
        }
        fn may_update_reputation(self: @ContractState, caller: ContractAddress) -> bool {
            self.access.holds(COORDINATOR, caller)
        }
        fn may_adjust_network(self: @ContractState, caller: ContractAddress) -> bool {
            self.access.is_admin(caller)
        }
        fn guard_enter(ref self: ContractState) {
            InternalTrait::enter(ref self);
        }
        fn guard_leave(ref self: ContractState) {
            InternalTrait::leave(ref self);
        }
    }

    #[abi(embed_v0)]
    impl CdcPoolImpl of ICdcPool<ContractState> {
        /// Registers a worker owned by the caller, pulling its initial stake (at least the minimum).
        fn register_worker(ref self: ContractState, registration: Registration) -> felt252 {
            self.enter();
            let caller = get_caller_address();
            let mut funds = self.funds_of(caller);
            let id = unwrap_or_panic(self.do_register(caller, registration, ref funds));
            self.emit(WorkerRegistered { worker_id: id, owner: caller, stake: registration.stake });
            self.pull(caller, funds.reserved);
            self.leave();
            id
        }

        /// Changes a worker's spec and activity; owner only; a slashed worker cannot be updated.
        fn update_worker(ref self: ContractState, update: WorkerUpdate) {
            self.enter();
            let status = unwrap_or_panic(self.do_update(get_caller_address(), update));
            self.emit(WorkerUpdated { worker_id: update.worker_id, status: status.try_into().unwrap() });
            self.leave();
        }

        /// Adds stake to a worker; owner only.
        fn stake(ref self: ContractState, item: StakeItem) {
            self.enter();
            let caller = get_caller_address();
            let mut funds = self.funds_of(caller);
            unwrap_or_panic(self.do_stake(caller, item, ref funds));
            self.emit(Staked { worker_id: item.worker_id, amount: item.amount });
            self.pull(caller, funds.reserved);
            self.leave();
        }

        /// Moves stake into a pending unstake that completes after the delay; owner only.
        fn unstake(ref self: ContractState, item: StakeItem) {
            self.enter();
            let unlock_at = unwrap_or_panic(self.do_unstake(get_caller_address(), item));
            self
                .emit(
                    UnstakeRequested { worker_id: item.worker_id, amount: item.amount, unlock_at: unlock_at.try_into().unwrap() },
                );
            self.leave();
        }

        /// Pays out exactly the pending unstake once its delay has passed; owner only.
        fn complete_unstake(ref self: ContractState, worker_id: felt252) -> u256 {
            self.enter();
            let caller = get_caller_address();
            self.assert_owner(caller, worker_id);
            let mut stakes = self.Pool_stakes.read(worker_id);
            assert(stakes.pending > 0, Errors::NO_UNSTAKE);
            assert(get_block_timestamp() >= stakes.unlock_at, Errors::UNSTAKE_LOCKED);
            let amount: u256 = stakes.pending.into();
            stakes.pending = 0;
            stakes.unlock_at = 0;
            self.Pool_stakes.write(worker_id, stakes);
            self.Pool_total_pending.write(self.Pool_total_pending.read() - amount);
            self.emit(UnstakeCompleted { worker_id, amount });
            self.token().transfer(caller, amount);
            self.leave();
            amount
        }

        /// Pays out a worker's accrued rewards to its owner; owner only.
        fn claim_rewards(ref self: ContractState, worker_id: felt252) -> u256 {
            self.enter();
            let caller = get_caller_address();
            let amount = unwrap_or_panic(self.do_claim(caller, worker_id)).into();
            self.emit(RewardsClaimed { worker_id, amount });
            self.token().transfer(caller, amount);
            self.leave();
            amount
        }

        /// Credits rewards to a worker, pulled from the coordinator; coordinator only.
        fn distribute_rewards(ref self: ContractState, worker_id: felt252, amount: u256) {
            self.enter();
            let caller = get_caller_address();
            assert(self.access.holds(COORDINATOR, caller), Errors::MISSING_ROLE);
            assert(self.Pool_info.read(worker_id).status != 0, Errors::UNKNOWN_WORKER);
            assert(amount > 0, Errors::ZERO_AMOUNT);
            let current: u256 = self.Pool_rewards.read(worker_id).into();
            assert(current + amount <= AMOUNT_BITS_MAX, Errors::AMOUNT_TOO_LARGE);
            let mut funds = self.funds_of(caller);
            assert(reserve(ref funds, amount), Errors::POOL_FUNDS);
            self.Pool_rewards.write(worker_id, (current + amount).try_into().unwrap());
            self.Pool_total_rewards.write(self.Pool_total_rewards.read() + amount);
            self.emit(RewardsDistributed { worker_id, amount });
            self.pull(caller, amount);
            self.leave();
        }

        /// Cuts `bps` basis points of a worker's stake to the treasury and marks it slashed; slasher only.
        fn slash(ref self: ContractState, worker_id: felt252, bps: u16) {
            self.enter();
            assert(self.access.holds(SLASHER, get_caller_address()), Errors::MISSING_ROLE);
            let mut info = self.Pool_info.read(worker_id);
            assert(info.status != 0, Errors::UNKNOWN_WORKER);
            assert(info.status != STATUS_SLASHED, Errors::WORKER_SLASHED);
            assert(bps > 0 && bps <= 10000, Errors::BAD_SLASH);
            let mut stakes = self.Pool_stakes.read(worker_id);
            let cut: u256 = stakes.stake.into() * bps.into() / BPS;
            stakes.stake -= cut.try_into().unwrap();
            info.status = STATUS_SLASHED;
            self.Pool_stakes.write(worker_id, stakes);
            self.Pool_info.write(worker_id, info);
            self.Pool_total_stake.write(self.Pool_total_stake.read() - cut);
            self.emit(Slashed { worker_id, amount: cut });
            if cut > 0 {
                self.token().transfer(self.Pool_treasury.read(), cut);
            }
            self.leave();
        }

        /// Registers many workers for the caller; returns their ids (0 for an item that failed).
        fn batch_register_workers(
            ref self: ContractState, registrations: Array<Registration>, mode: u8,
        ) -> Array<felt252> {
            let mut tracker = TrackerTrait::new(registrations.len(), mode);
            self.enter();
            let caller = get_caller_address();
            let mut funds = self.funds_of(caller);
            let mut ids = array![];
            for registration in registrations {
                let outcome = self.do_register(caller, registration, ref funds);
                ids.append(match outcome {
                    Result::Ok(id) => id,
                    Result::Err(_) => 0,
                });
                tracker.record(outcome, 0);
            }
            self.finish(tracker, 'batch_register_workers', caller);
            self.pull(caller, funds.reserved);
            self.leave();
            ids
        }

        fn batch_update_workers(ref self: ContractState, updates: Array<WorkerUpdate>, mode: u8) -> BatchResult {
            let mut tracker = TrackerTrait::new(updates.len(), mode);
            self.enter();
            let caller = get_caller_address();
            for update in updates {
                let outcome = self.do_update(caller, update);
                tracker.record(outcome.map(|_s| update.worker_id), update.worker_id);
            }
            let result = self.finish(tracker, 'batch_update_workers', caller);
            self.leave();
            result
        }

        fn batch_stake(ref self: ContractState, items: Array<StakeItem>, mode: u8) -> BatchResult {
            self.stake_many(items, mode)
        }

        /// batch_stake with two items per felt (see utils::packing::decode_stakes).
        fn batch_stake_packed(ref self: ContractState, packed: Array<felt252>, count: u32, mode: u8) -> BatchResult {
            crate::utils::batch::check_batch(count, mode);
            self.stake_many(decode_stakes(packed.span(), count), mode)
        }

        fn batch_unstake(ref self: ContractState, items: Array<StakeItem>, mode: u8) -> BatchResult {
            let mut tracker = TrackerTrait::new(items.len(), mode);
            self.enter();
            let caller = get_caller_address();
            for item in items {
                let outcome = self.do_unstake(caller, item);
                tracker.record(outcome.map(|_t| item.worker_id), item.worker_id);
            }
            let result = self.finish(tracker, 'batch_unstake', caller);
            self.leave();
            result
        }

        /// Claims many workers' rewards in one transfer; a worker listed twice fails as a duplicate.
        fn batch_claim_rewards(ref self: ContractState, worker_ids: Array<felt252>, mode: u8) -> BatchResult {
            let mut tracker = TrackerTrait::new(worker_ids.len(), mode);
            self.enter();
            let caller = get_caller_address();
            let mut seen = SeenTrait::new();
            let mut total: u256 = 0;
            for worker_id in worker_ids {
                let outcome = if seen.first_time(worker_id) {
                    self.do_claim(caller, worker_id)
                } else {
                    Result::Err(Errors::BATCH_DUPLICATE)
                };
                if let Result::Ok(amount) = outcome {
                    total += amount.into();
                }
                tracker.record(outcome.map(|_a| worker_id), worker_id);
            }
            let result = self.finish(tracker, 'batch_claim_rewards', caller);
            if total > 0 {
                self.token().transfer(caller, total);
            }
            self.leave();
            result
        }

        fn get_worker(self: @ContractState, worker_id: felt252) -> WorkerView {
            let info = self.Pool_info.read(worker_id);
            let stakes = self.Pool_stakes.read(worker_id);
            WorkerView {
                worker_id,
                owner: self.Pool_owner.read(worker_id),
                spec: WorkerSpec {
                    capabilities: info.capabilities,
                    gpu_memory_gb: info.gpu_memory_gb,
                    cpu_cores: info.cpu_cores,
                    ram_gb: info.ram_gb,
                },
                status: info.status,
                registered_at: info.registered_at,
                stake: stakes.stake.into(),
                pending_unstake: stakes.pending.into(),
                unlock_at: stakes.unlock_at,
                rewards: self.Pool_rewards.read(worker_id).into(),
                reputation: if info.status == 0 {
                    0
                } else {
                    self.reputation.score_of(info.rep_base)
                },
            }
        }

        /// Workers `start`..`start+count` (ids from 1), at most MAX_PAGE per call.
        fn get_workers_page(self: @ContractState, start: u64, count: u32) -> Array<WorkerView> {
            let (first, end) = page_bounds(start, count, self.Pool_worker_count.read());
            let mut page = array![];
            let mut id = first;
            while id < end {
                page.append(self.get_worker(id.into()));
                id += 1;
            }
            page
        }

        fn worker_count(self: @ContractState) -> u64 {
            self.Pool_worker_count.read()
        }
        fn worker_owner(self: @ContractState, worker_id: felt252) -> ContractAddress {
            self.Pool_owner.read(worker_id)
        }
        fn is_active(self: @ContractState, worker_id: felt252) -> bool {
            self.Pool_info.read(worker_id).status == STATUS_ACTIVE
        }
        fn total_stake(self: @ContractState) -> u256 {
            self.Pool_total_stake.read()
        }
        fn total_pending_unstake(self: @ContractState) -> u256 {
            self.Pool_total_pending.read()
        }
        fn total_rewards(self: @ContractState) -> u256 {
            self.Pool_total_rewards.read()
        }
        fn config(self: @ContractState) -> (ContractAddress, ContractAddress, u256, u64) {
            (self.Pool_token.read(), self.Pool_treasury.read(), self.Pool_min_stake.read(), self.Pool_unstake_delay.read())
        }
    }

    fn unwrap_or_panic<T, +Drop<T>>(outcome: Result<T, felt252>) -> T {
        match outcome {
            Result::Ok(value) => value,
            Result::Err(reason) => core::panic_with_felt252(reason),
        }
    }

    fn reserve(ref funds: Funds, amount: u256) -> bool {
        if funds.reserved + amount > funds.available {
            return false;
        }
        funds.reserved += amount;
        true
    }

    fn spec_valid(spec: WorkerSpec) -> bool {
        spec.cpu_cores > 0 && spec.ram_gb > 0
    }

    #[generate_trait]
    impl InternalImpl of InternalTrait {
        fn enter(ref self: ContractState) {
            assert(!self.Pool_entered.read(), Errors::REENTRANT);
            self.Pool_entered.write(true);
        }
        fn leave(ref self: ContractState) {
            self.Pool_entered.write(false);
        }
        fn token(self: @ContractState) -> IERC20Dispatcher {
            IERC20Dispatcher { contract_address: self.Pool_token.read() }
        }
        fn funds_of(self: @ContractState, payer: ContractAddress) -> Funds {
            let token = self.token();
            let balance = token.balance_of(payer);
            let allowance = token.allowance(payer, get_contract_address());
            Funds { available: if balance < allowance {
                balance
            } else {
                allowance
            }, reserved: 0 }
        }
        /// Token transfers come after every state update of the call.
        fn pull(ref self: ContractState, payer: ContractAddress, amount: u256) {
            if amount > 0 {
                self.token().transfer_from(payer, get_contract_address(), amount);
            }
        }
        fn assert_owner(self: @ContractState, caller: ContractAddress, worker_id: felt252) {
            assert(self.Pool_info.read(worker_id).status != 0, Errors::UNKNOWN_WORKER);
            assert(self.Pool_owner.read(worker_id) == caller, Errors::NOT_WORKER_OWNER);
        }
        fn check_owner(self: @ContractState, caller: ContractAddress, worker_id: felt252) -> Result<WorkerInfo, felt252> {
            let info = self.Pool_info.read(worker_id);
            if info.status == 0 {
                return Result::Err(Errors::UNKNOWN_WORKER);
            }
            if self.Pool_owner.read(worker_id) != caller {
                return Result::Err(Errors::NOT_WORKER_OWNER);
            }
            Result::Ok(info)
        }
        fn finish(ref self: ContractState, tracker: crate::utils::batch::Tracker, op: felt252, caller: ContractAddress) -> BatchResult {
            let (result, event): (BatchResult, BatchExecuted) = tracker.finish(op, caller);
            // The component's event enum carries BatchExecuted, so the contract's enum must not repeat it.
            self.emit(Event::ReputationEvent(ReputationComponent::Event::BatchExecuted(event)));
            result
        }

        fn do_register(
            ref self: ContractState, caller: ContractAddress, registration: Registration, ref funds: Funds,
        ) -> Result<felt252, felt252> {
            if !spec_valid(registration.spec) {
                return Result::Err(Errors::BAD_SPEC);
            }
            if registration.stake < self.Pool_min_stake.read() {
                return Result::Err(Errors::STAKE_BELOW_MINIMUM);
            }
            if registration.stake > AMOUNT_BITS_MAX {
                return Result::Err(Errors::AMOUNT_TOO_LARGE);
            }
            if !reserve(ref funds, registration.stake) {
                return Result::Err(Errors::POOL_FUNDS);
            }
            let count = self.Pool_worker_count.read() + 1;
            let id: felt252 = count.into();
            self.Pool_worker_count.write(count);
            self.Pool_owner.write(id, caller);
            let spec = registration.spec;
            let info = WorkerInfo {
                capabilities: spec.capabilities,
                gpu_memory_gb: spec.gpu_memory_gb,
                cpu_cores: spec.cpu_cores,
                ram_gb: spec.ram_gb,
                status: STATUS_ACTIVE,
                registered_at: get_block_timestamp(),
                rep_base: self.reputation.initial_base(),
            };
            self.Pool_info.write(id, info);
            let stake: u128 = registration.stake.try_into().unwrap();
            self.Pool_stakes.write(id, StakeInfo { stake, pending: 0, unlock_at: 0 });
            self.Pool_total_stake.write(self.Pool_total_stake.read() + registration.stake);
            Result::Ok(id)
        }

        fn do_update(ref self: ContractState, caller: ContractAddress, update: WorkerUpdate) -> Result<u8, felt252> {
            let mut info = self.check_owner(caller, update.worker_id)?;
            if info.status == STATUS_SLASHED {
                return Result::Err(Errors::WORKER_SLASHED);
            }
            if !spec_valid(update.spec) {
                return Result::Err(Errors::BAD_SPEC);
            }
            info.capabilities = update.spec.capabilities;
            info.gpu_memory_gb = update.spec.gpu_memory_gb;
            info.cpu_cores = update.spec.cpu_cores;
            info.ram_gb = update.spec.ram_gb;
            info.status = if update.active {
                STATUS_ACTIVE
            } else {
                STATUS_INACTIVE
            };
            self.Pool_info.write(update.worker_id, info);
            Result::Ok(info.status)
        }

        fn do_stake(ref self: ContractState, caller: ContractAddress, item: StakeItem, ref funds: Funds) -> Result<felt252, felt252> {
            let info = self.check_owner(caller, item.worker_id)?;
            if info.status == STATUS_SLASHED {
                return Result::Err(Errors::WORKER_SLASHED);
            }
            if item.amount == 0 {
                return Result::Err(Errors::ZERO_AMOUNT);
            }
            let mut stakes = self.Pool_stakes.read(item.worker_id);
            let new_stake: u256 = stakes.stake.into() + item.amount;
            if new_stake > AMOUNT_BITS_MAX {
                return Result::Err(Errors::AMOUNT_TOO_LARGE);
            }
            if !reserve(ref funds, item.amount) {
                return Result::Err(Errors::POOL_FUNDS);
            }
            stakes.stake = new_stake.try_into().unwrap();
            self.Pool_stakes.write(item.worker_id, stakes);
            self.Pool_total_stake.write(self.Pool_total_stake.read() + item.amount);
            Result::Ok(item.worker_id)
        }

        fn do_unstake(ref self: ContractState, caller: ContractAddress, item: StakeItem) -> Result<felt252, felt252> {
            self.check_owner(caller, item.worker_id)?;
            if item.amount == 0 {
                return Result::Err(Errors::ZERO_AMOUNT);
            }
            let mut stakes = self.Pool_stakes.read(item.worker_id);
            if stakes.pending > 0 {
                return Result::Err(Errors::UNSTAKE_PENDING);
            }
            if item.amount > stakes.stake.into() {
                return Result::Err(Errors::INSUFFICIENT_STAKE);
            }
            let remaining: u256 = stakes.stake.into() - item.amount;
            if remaining > 0 && remaining < self.Pool_min_stake.read() {
                return Result::Err(Errors::STAKE_BELOW_MINIMUM);
            }
            let unlock_at = get_block_timestamp() + self.Pool_unstake_delay.read();
            stakes.stake = remaining.try_into().unwrap();
            stakes.pending = item.amount.try_into().unwrap();
            stakes.unlock_at = unlock_at;
            self.Pool_stakes.write(item.worker_id, stakes);
            self.Pool_total_stake.write(self.Pool_total_stake.read() - item.amount);
            self.Pool_total_pending.write(self.Pool_total_pending.read() + item.amount);
            Result::Ok(unlock_at.into())
        }

        fn do_claim(ref self: ContractState, caller: ContractAddress, worker_id: felt252) -> Result<u128, felt252> {
            self.check_owner(caller, worker_id)?;
            let amount = self.Pool_rewards.read(worker_id);
            if amount == 0 {
                return Result::Err(Errors::NOTHING_TO_CLAIM);
            }
            self.Pool_rewards.write(worker_id, 0);
            self.Pool_total_rewards.write(self.Pool_total_rewards.read() - amount.into());
            Result::Ok(amount)
        }

        fn stake_many(ref self: ContractState, items: Array<StakeItem>, mode: u8) -> BatchResult {
            let mut tracker = TrackerTrait::new(items.len(), mode);
            self.enter();
            let caller = get_caller_address();
            let mut funds = self.funds_of(caller);
            for item in items {
                let outcome = self.do_stake(caller, item, ref funds);
                tracker.record(outcome, item.worker_id);
            }
            let result = self.finish(tracker, 'batch_stake', caller);
            self.pull(caller, funds.reserved);
            self.leave();
            result
        }
    }
}
