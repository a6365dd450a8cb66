//! CIRO Network contracts with batch operations: JobMgr, CDC Pool (with the Reputation component), an
//! ERC20 for payments and stakes, and a hostile token used by the fuzzer to try re-entry.
pub mod access;
pub mod cdc_pool;
pub mod errors;
pub mod hostile_token;
pub mod interfaces;
pub mod job_manager;
pub mod reputation;
pub mod token;
pub mod utils {
    pub mod batch;
    pub mod packing;
}
