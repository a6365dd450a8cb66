//! The contracts' external interfaces and the structs they take and return.
use crate::utils::batch::BatchResult;
use starknet::ContractAddress;

/// A job a client submits: the model, a hash of its inputs and the payment escrowed for it.
#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct JobRequest {
    pub model_id: u32,
    pub input_hash: felt252,
    pub payment: u256,
}

/// A worker's result for an assigned job.
#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct ResultSubmission {
    pub job_id: u256,
    pub result_hash: felt252,
}

/// A verifier's decision on a completed job: approved pays the worker, rejected refunds the client.
#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct Verification {
    pub job_id: u256,
    pub approved: bool,
}

/// What a worker offers. Capability flags: CUDA=1, OPENCL=2, FP16=4, INT8=8, NVLINK=16, INFINIBAND=32,
/// TENSOR=64, MULTI_GPU=128.
#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct WorkerSpec {
    pub capabilities: u8,
    pub gpu_memory_gb: u16,
    pub cpu_cores: u16,
    pub ram_gb: u32,
}

#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct Registration {
    pub spec: WorkerSpec,
    pub stake: u256,
}

#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct WorkerUpdate {
    pub worker_id: felt252,
    pub spec: WorkerSpec,
    pub active: bool,
}

#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct StakeItem {
    pub worker_id: felt252,
    pub amount: u256,
}

#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct ReputationUpdate {
    pub worker_id: felt252,
    pub delta: i32,
    pub reason: u8,
}

#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct WorkerView {
    pub worker_id: felt252,
    pub owner: ContractAddress,
    pub spec: WorkerSpec,
    pub status: u8,
    pub registered_at: u64,
    pub stake: u256,
    pub pending_unstake: u256,
    pub unlock_at: u64,
    pub rewards: u256,
    pub reputation: u16,
}

#[derive(Copy, Drop, Serde, PartialEq, Debug)]
pub struct JobView {
    pub job_id: u256,
    pub client: ContractAddress,
    pub model_id: u32,
    pub input_hash: felt252,
    pub payment: u256,
    pub worker_id: felt252,
    pub state: u8,
    pub submitted_at: u64,
    pub result_hash: felt252,
}

#[starknet::interface]
pub trait IERC20<T> {
    fn name(self: @T) -> felt252;
    fn symbol(self: @T) -> felt252;
    fn decimals(self: @T) -> u8;
    fn total_supply(self: @T) -> u256;
    fn balance_of(self: @T, account: ContractAddress) -> u256;
    fn allowance(self: @T, owner: ContractAddress, spender: ContractAddress) -> u256;
    fn transfer(ref self: T, recipient: ContractAddress, amount: u256) -> bool;
    fn transfer_from(ref self: T, sender: ContractAddress, recipient: ContractAddress, amount: u256) -> bool;
    fn approve(ref self: T, spender: ContractAddress, amount: u256) -> bool;
    fn mint(ref self: T, recipient: ContractAddress, amount: u256);
}

#[starknet::interface]
pub trait IHostileToken<T> {
    /// Arms the re-entry: the next transfer or transfer_from calls `target.selector(calldata)`.
    fn arm(ref self: T, target: ContractAddress, selector: felt252, calldata: Array<felt252>);
    fn reentry_attempts(self: @T) -> u32;
}

#[starknet::interface]
pub trait IAccessControl<T> {
    fn has_role(self: @T, role: felt252, account: ContractAddress) -> bool;
    fn grant_role(ref self: T, role: felt252, account: ContractAddress);
    fn revoke_role(ref self: T, role: felt252, account: ContractAddress);
    fn admin(self: @T) -> ContractAddress;
}

#[starknet::interface]
pub trait IJobManager<T> {
    fn submit_job(ref self: T, job: JobRequest) -> u256;
    fn assign_job(ref self: T, job_id: u256, worker_id: felt252);
    fn submit_result(ref self: T, result: ResultSubmission);
    fn verify_result(ref self: T, verification: Verification) -> bool;
    fn cancel_job(ref self: T, job_id: u256);
    fn batch_submit_jobs(ref self: T, jobs: Array<JobRequest>, mode: u8) -> Array<u256>;
    fn batch_submit_results(ref self: T, results: Array<ResultSubmission>, mode: u8) -> BatchResult;
    fn batch_verify_results(ref self: T, verifications: Array<Verification>, mode: u8) -> Array<bool>;
    fn get_job(self: @T, job_id: u256) -> JobView;
    fn get_jobs_page(self: @T, start: u256, count: u32) -> Array<JobView>;
    fn job_count(self: @T) -> u256;
    fn escrow_total(self: @T) -> u256;
    fn config(self: @T) -> (ContractAddress, ContractAddress, ContractAddress, u16, u256);
}

#[starknet::interface]
pub trait ICdcPool<T> {
    fn register_worker(ref self: T, registration: Registration) -> felt252;
    fn update_worker(ref self: T, update: WorkerUpdate);
    fn stake(ref self: T, item: StakeItem);
    fn unstake(ref self: T, item: StakeItem);
    fn complete_unstake(ref self: T, worker_id: felt252) -> u256;
    fn claim_rewards(ref self: T, worker_id: felt252) -> u256;
    fn distribute_rewards(ref self: T, worker_id: felt252, amount: u256);
    fn slash(ref self: T, worker_id: felt252, bps: u16);
    fn batch_register_workers(ref self: T, registrations: Array<Registration>, mode: u8) -> Array<felt252>;
    fn batch_update_workers(ref self: T, updates: Array<WorkerUpdate>, mode: u8) -> BatchResult;
    fn batch_stake(ref self: T, items: Array<StakeItem>, mode: u8) -> BatchResult;
    fn batch_stake_packed(ref self: T, packed: Array<felt252>, count: u32, mode: u8) -> BatchResult;
    fn batch_unstake(ref self: T, items: Array<StakeItem>, mode: u8) -> BatchResult;
    fn batch_claim_rewards(ref self: T, worker_ids: Array<felt252>, mode: u8) -> BatchResult;
    fn get_worker(self: @T, worker_id: felt252) -> WorkerView;
    fn get_workers_page(self: @T, start: u64, count: u32) -> Array<WorkerView>;
    fn worker_count(self: @T) -> u64;
    fn worker_owner(self: @T, worker_id: felt252) -> ContractAddress;
    fn is_active(self: @T, worker_id: felt252) -> bool;
    fn total_stake(self: @T) -> u256;
    fn total_pending_unstake(self: @T) -> u256;
    fn total_rewards(self: @T) -> u256;
    fn config(self: @T) -> (ContractAddress, ContractAddress, u256, u64);
}

#[starknet::interface]
pub trait IReputation<T> {
    fn update_reputation(ref self: T, update: ReputationUpdate);
    fn batch_update_reputation(ref self: T, updates: Array<ReputationUpdate>, mode: u8) -> BatchResult;
    fn batch_update_reputation_packed(ref self: T, packed: Array<felt252>, count: u32, mode: u8) -> BatchResult;
    fn adjust_network_reputation(ref self: T, delta: i32);
    fn get_reputation(self: @T, worker_id: felt252) -> u16;
    fn network_offset(self: @T) -> i32;
}
