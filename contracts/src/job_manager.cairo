//! JobMgr: clients submit jobs with a payment held in escrow; the coordinator assigns each to an active
//! worker of the CDC Pool; the worker's owner submits a result; the client (or the admin) verifies it:
//! approval pays the worker's owner minus the platform fee (to the treasury), rejection refunds the client.
//! States: 1 Pending -> 2 Assigned -> 3 Completed -> 4 Paid | 5 Rejected; 1 Pending -> 6 Cancelled.
#[starknet::contract]
pub mod JobManager {
    use crate::access::{AccessControlComponent, COORDINATOR};
    use crate::errors::Errors;
    use crate::interfaces::{
        ICdcPoolDispatcher, ICdcPoolDispatcherTrait, IERC20Dispatcher, IERC20DispatcherTrait, IJobManager, JobRequest,
        JobView, ResultSubmission, Verification,
    };
    use crate::utils::batch::{BatchExecuted, BatchResult, SeenTrait, Tracker, TrackerTrait, page_bounds};
    use crate::utils::packing::{AMOUNT_BITS_MAX, JobInfo};
    use starknet::storage::{
        Map, StorageMapReadAccess, StorageMapWriteAccess, StoragePointerReadAccess, StoragePointerWriteAccess,
    };
    use starknet::{ContractAddress, get_block_timestamp, get_caller_address, get_contract_address};

    component!(path: AccessControlComponent, storage: access, event: AccessEvent);

    #[abi(embed_v0)]
    impl AccessControlImpl = AccessControlComponent::AccessControlImpl<ContractState>;
    impl AccessInternalImpl = AccessControlComponent::InternalImpl<ContractState>;

    pub const PENDING: u8 = 1;
    pub const ASSIGNED: u8 = 2;
    pub const COMPLETED: u8 = 3;
    pub const PAID: u8 = 4;
    pub const REJECTED: u8 = 5;
    pub const CANCELLED: u8 = 6;
    const BPS: u256 = 10000;

    #[storage]
    struct Storage {
        #[substorage(v0)]
        access: AccessControlComponent::Storage,
        Job_token: ContractAddress,
        Job_pool: ContractAddress,
        Job_treasury: ContractAddress,
        Job_fee_bps: u16,
        Job_min_payment: u256,
        Job_count: u64,
        Job_client: Map<u64, ContractAddress>,
        Job_info: Map<u64, JobInfo>,
        Job_input: Map<u64, felt252>,
        Job_result: Map<u64, felt252>,
        Job_escrow: u256,
        Job_entered: bool,
    }

    #[event]
    #[derive(Drop, starknet::Event)]
    pub enum Event {
        #[flat]
        AccessEvent: AccessControlComponent::Event,
        JobSubmitted: JobSubmitted,
        JobAssigned: JobAssigned,
        ResultSubmitted: ResultSubmitted,
        ResultVerified: ResultVerified,
        JobCancelled: JobCancelled,
        BatchExecuted: BatchExecuted,
    }

    /// Emitted when a client submits a job and its payment enters escrow.
    #[derive(Drop, starknet::Event)]
    pub struct JobSubmitted {
        #[key]
        pub job_id: u256,
        #[key]
        pub client: ContractAddress,
        pub payment: u256,
    }
    /// Emitted when the coordinator assigns a job to a worker.
    #[derive(Drop, starknet::Event)]
    pub struct JobAssigned {
        #[key]
        pub job_id: u256,
        pub worker_id: felt252,
    }
    /// Emitted when the assigned worker's owner submits a result.
    #[derive(Drop, starknet::Event)]
    pub struct ResultSubmitted {
        #[key]
        pub job_id: u256,
        pub result_hash: felt252,
    }
    /// Emitted when a result is verified: approved pays the worker, rejected refunds the client.
    #[derive(Drop, starknet::Event)]
    pub struct ResultVerified {
        #[key]
        pub job_id: u256,
        pub approved: bool,
    }
    /// Emitted when a client cancels a pending job and is refunded.
    #[derive(Drop, starknet::Event)]
    pub struct JobCancelled {
        #[key]
        pub job_id: u256,
    }

    /// Tokens a client can still pay in this call: min(balance, allowance to JobMgr), read once.
    #[derive(Copy, Drop)]
    struct Funds {
        available: u256,
        reserved: u256,
    }

    /// One payout decided during a call, made after every state update.
    #[derive(Copy, Drop)]
    struct Payout {
        to: ContractAddress,
        amount: u256,
    }

    #[constructor]
    fn constructor(
        ref self: ContractState,
        admin: ContractAddress,
        token: ContractAddress,
        pool: ContractAddress,
        treasury: ContractAddress,
        fee_bps: u16,
        min_payment: u256,
    ) {
        assert(fee_bps <= 10000, Errors::BAD_FEE);
        self.access.initializer(admin);
        self.Job_token.write(token);
        self.Job_pool.write(pool);
        self.Job_treasury.write(treasury);
        self.Job_fee_bps.write(fee_bps);
        self.Job_min_payment.write(min_payment);
    }

    #[abi(embed_v0)]
    impl JobManagerImpl of IJobManager<ContractState> {
        /// Submits a job for the caller, pulling its payment into escrow; returns the job id.
        fn submit_job(ref self: ContractState, job: JobRequest) -> u256 {
            self.enter();
            let caller = get_caller_address();
            let mut funds = self.funds_of(caller);
            let id = unwrap_or_panic(self.do_submit(caller, job, ref funds));
            self.emit(JobSubmitted { job_id: id, client: caller, payment: job.payment });
            self.pull(caller, funds.reserved);
            self.leave();
            id
        }

        /// Assigns a pending job to an active worker; coordinator only.
        fn assign_job(ref self: ContractState, job_id: u256, worker_id: felt252) {
            self.enter();
            assert(self.access.holds(COORDINATOR, get_caller_address()), Errors::MISSING_ROLE);
            let (key, mut info) = unwrap_or_panic(self.load(job_id));
            assert(info.state == PENDING, Errors::WRONG_STATE);
            assert(self.pool().is_active(worker_id), Errors::WORKER_NOT_ACTIVE);
            info.worker_id = worker_id.try_into().unwrap();
            info.state = ASSIGNED;
            self.Job_info.write(key, info);
            self.emit(JobAssigned { job_id, worker_id });
            self.leave();
        }

        /// Records the result of an assigned job; the assigned worker's owner only.
        fn submit_result(ref self: ContractState, result: ResultSubmission) {
            self.enter();
            unwrap_or_panic(self.do_result(get_caller_address(), result));
            self.emit(ResultSubmitted { job_id: result.job_id, result_hash: result.result_hash });
            self.leave();
        }

        /// Approves (pays the worker's owner, fee to the treasury) or rejects (refunds the client) a
        /// completed job; the job's client or the admin only. Returns whether the worker was paid.
        fn verify_result(ref self: ContractState, verification: Verification) -> bool {
            self.enter();
            let mut payouts = array![];
            let mut fee: u256 = 0;
            unwrap_or_panic(self.do_verify(get_caller_address(), verification, ref payouts, ref fee));
            self.emit(ResultVerified { job_id: verification.job_id, approved: verification.approved });
            self.pay_out(payouts, fee);
            self.leave();
            verification.approved
        }

        /// Cancels a pending job and refunds its payment; the job's client only.
        fn cancel_job(ref self: ContractState, job_id: u256) {
            self.enter();
            let caller = get_caller_address();
            let (key, mut info) = unwrap_or_panic(self.load(job_id));
            assert(self.Job_client.read(key) == caller, Errors::NOT_CLIENT);
            assert(info.state == PENDING, Errors::WRONG_STATE);
            info.state = CANCELLED;
            self.Job_info.write(key, info);
            let payment: u256 = info.payment.into();
            self.Job_escrow.write(self.Job_escrow.read() - payment);
            self.emit(JobCancelled { job_id });
            self.token().transfer(caller, payment);
            self.leave();
        }

        /// Submits many jobs with one transfer of their total payment; returns their ids (0 when failed).
        fn batch_submit_jobs(ref self: ContractState, jobs: Array<JobRequest>, mode: u8) -> Array<u256> {
            let mut tracker = TrackerTrait::new(jobs.len(), mode);
            self.enter();
            let caller = get_caller_address();
            let mut funds = self.funds_of(caller);
            let mut ids = array![];
            for job in jobs {
                let outcome = self.do_submit(caller, job, ref funds);
                match outcome {
                    Result::Ok(id) => {
                        ids.append(id);
                        tracker.record(Result::Ok(id.try_into().unwrap()), 0);
                    },
                    Result::Err(reason) => {
                        ids.append(0);
                        tracker.record(Result::Err(reason), 0);
                    },
                }
            }
            self.finish(tracker, 'batch_submit_jobs', caller);
            self.pull(caller, funds.reserved);
            self.leave();
            ids
        }

        fn batch_submit_results(ref self: ContractState, results: Array<ResultSubmission>, mode: u8) -> BatchResult {
            let mut tracker = TrackerTrait::new(results.len(), mode);
            self.enter();
            let caller = get_caller_address();
            for result in results {
                let id = job_felt(result.job_id);
                tracker.record(self.do_result(caller, result).map(|_u| id), id);
            }
            let summary = self.finish(tracker, 'batch_submit_results', caller);
            self.leave();
            summary
        }

        /// Verifies many jobs; payouts and the summed fee are transferred after all state updates. A job
        /// listed twice fails as a duplicate. Returns per item whether its worker was paid.
        fn batch_verify_results(ref self: ContractState, verifications: Array<Verification>, mode: u8) -> Array<bool> {
            let mut tracker = TrackerTrait::new(verifications.len(), mode);
            self.enter();
            let caller = get_caller_address();
            let mut seen = SeenTrait::new();
            let mut payouts = array![];
            let mut fee: u256 = 0;
            let mut paid = array![];
            for verification in verifications {
                let id = job_felt(verification.job_id);
                let outcome = if seen.first_time(id) {
                    self.do_verify(caller, verification, ref payouts, ref fee)
                } else {
                    Result::Err(Errors::BATCH_DUPLICATE)
                };
                paid.append(outcome.is_ok() && verification.approved);
                tracker.record(outcome.map(|_u| id), id);
            }
            self.finish(tracker, 'batch_verify_results', caller);
            self.pay_out(payouts, fee);
            self.leave();
            paid
        }

        fn get_job(self: @ContractState, job_id: u256) -> JobView {
            let key: u64 = match job_id.try_into() {
                Option::Some(k) => k,
                Option::None => 0,
            };
            let info = self.Job_info.read(key);
            JobView {
                job_id,
                client: self.Job_client.read(key),
                model_id: info.model_id,
                input_hash: self.Job_input.read(key),
                payment: info.payment.into(),
                worker_id: info.worker_id.into(),
                state: info.state,
                submitted_at: info.submitted_at,
                result_hash: self.Job_result.read(key),
            }
        }

        /// Jobs `start`..`start+count` (ids from 1), at most MAX_PAGE per call.
        fn get_jobs_page(self: @ContractState, start: u256, count: u32) -> Array<JobView> {
            let start64: u64 = start.try_into().expect(Errors::BAD_PAGE);
            let (first, end) = page_bounds(start64, count, self.Job_count.read());
            let mut page = array![];
            let mut id = first;
            while id < end {
                page.append(self.get_job(id.into()));
                id += 1;
            }
            page
        }

        fn job_count(self: @ContractState) -> u256 {
            self.Job_count.read().into()
        }

        /// The sum of the payments of jobs neither paid, rejected nor cancelled.
        fn escrow_total(self: @ContractState) -> u256 {
            self.Job_escrow.read()
        }

        fn config(self: @ContractState) -> (ContractAddress, ContractAddress, ContractAddress, u16, u256) {
            (self.Job_token.read(), self.Job_pool.read(), self.Job_treasury.read(), self.Job_fee_bps.read(), self.Job_min_payment.read())
        }
    }

    fn unwrap_or_panic<T, +Drop<T>>(outcome: Result<T, felt252>) -> T {
        match outcome {
            Result::Ok(value) => value,
            Result::Err(reason) => core::panic_with_felt252(reason),
        }
    }

    fn job_felt(job_id: u256) -> felt252 {
        match job_id.try_into() {
            Option::Some(id) => id,
            Option::None => 0,
        }
    }

    #[generate_trait]
    impl InternalImpl of InternalTrait {
        fn enter(ref self: ContractState) {
            assert(!self.Job_entered.read(), Errors::REENTRANT);
            self.Job_entered.write(true);
        }
        fn leave(ref self: ContractState) {
            self.Job_entered.write(false);
        }
        fn token(self: @ContractState) -> IERC20Dispatcher {
            IERC20Dispatcher { contract_address: self.Job_token.read() }
        }
        fn pool(self: @ContractState) -> ICdcPoolDispatcher {
            ICdcPoolDispatcher { contract_address: self.Job_pool.read() }
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
        fn pull(ref self: ContractState, payer: ContractAddress, amount: u256) {
            if amount > 0 {
                self.token().transfer_from(payer, get_contract_address(), amount);
            }
        }
        fn pay_out(ref self: ContractState, payouts: Array<Payout>, fee: u256) {
            let token = self.token();
            for payout in payouts {
                if payout.amount > 0 {
                    token.transfer(payout.to, payout.amount);
                }
            }
            if fee > 0 {
                token.transfer(self.Job_treasury.read(), fee);
            }
        }
        fn finish(ref self: ContractState, tracker: Tracker, op: felt252, caller: ContractAddress) -> BatchResult {
            let (result, event) = tracker.finish(op, caller);
            self.emit(event);
            result
        }
        /// The storage key and record of an existing job.
        fn load(self: @ContractState, job_id: u256) -> Result<(u64, JobInfo), felt252> {
            let key: u64 = match job_id.try_into() {
                Option::Some(k) => k,
                Option::None => { return Result::Err(Errors::UNKNOWN_JOB); },
            };
            if key == 0 || key > self.Job_count.read() {
                return Result::Err(Errors::UNKNOWN_JOB);
            }
            Result::Ok((key, self.Job_info.read(key)))
        }

        fn do_submit(ref self: ContractState, caller: ContractAddress, job: JobRequest, ref funds: Funds) -> Result<u256, felt252> {
            if job.payment < self.Job_min_payment.read() {
                return Result::Err(Errors::PAYMENT_BELOW_MINIMUM);
            }
            if job.payment > AMOUNT_BITS_MAX {
                return Result::Err(Errors::PAYMENT_TOO_LARGE);
            }
            if funds.reserved + job.payment > funds.available {
                return Result::Err(Errors::JOB_FUNDS);
            }
            funds.reserved += job.payment;
            let key = self.Job_count.read() + 1;
            self.Job_count.write(key);
            self.Job_client.write(key, caller);
            self
                .Job_info
                .write(
                    key,
                    JobInfo {
                        payment: job.payment.try_into().unwrap(),
                        model_id: job.model_id,
                        worker_id: 0,
                        state: PENDING,
                        submitted_at: get_block_timestamp(),
                    },
                );
            self.Job_input.write(key, job.input_hash);
            self.Job_escrow.write(self.Job_escrow.read() + job.payment);
            Result::Ok(key.into())
        }

        fn do_result(ref self: ContractState, caller: ContractAddress, result: ResultSubmission) -> Result<(), felt252> {
            let (key, mut info) = self.load(result.job_id)?;
            if info.state != ASSIGNED {
                return Result::Err(Errors::WRONG_STATE);
            }
            if self.pool().worker_owner(info.worker_id.into()) != caller {
                return Result::Err(Errors::NOT_ASSIGNED_WORKER);
            }
            if result.result_hash == 0 {
                return Result::Err(Errors::ZERO_RESULT);
            }
            info.state = COMPLETED;
            self.Job_info.write(key, info);
            self.Job_result.write(key, result.result_hash);
            Result::Ok(())
        }

        fn do_verify(
            ref self: ContractState,
            caller: ContractAddress,
            verification: Verification,
            ref payouts: Array<Payout>,
            ref fee: u256,
        ) -> Result<(), felt252> {
            let (key, mut info) = self.load(verification.job_id)?;
            let client = self.Job_client.read(key);
            if caller != client && !self.access.is_admin(caller) {
                return Result::Err(Errors::NOT_VERIFIER);
            }
            if info.state != COMPLETED {
                return Result::Err(Errors::WRONG_STATE);
            }
            let payment: u256 = info.payment.into();
            self.Job_escrow.write(self.Job_escrow.read() - payment);
            if verification.approved {
                info.state = PAID;
                let job_fee = payment * self.Job_fee_bps.read().into() / BPS;
                fee += job_fee;
                let worker_owner = self.pool().worker_owner(info.worker_id.into());
                payouts.append(Payout { to: worker_owner, amount: payment - job_fee });
            } else {
                info.state = REJECTED;
                payouts.append(Payout { to: client, amount: payment });
            }
            self.Job_info.write(key, info);
            Result::Ok(())
        }
    }
}
