//! A token whose transfers call back into a contract (armed by anyone, once per arming): the fuzzer's
//! re-entry probe. The batch entrypoints must refuse the re-entry or leave every invariant holding.
#[starknet::contract]
pub mod HostileToken {
    use crate::interfaces::IHostileToken;
    use crate::token::{ERC20Component, ERC20HooksTrait};
    use starknet::storage::{
        MutableVecTrait, StoragePointerReadAccess, StoragePointerWriteAccess, Vec,
    };
    use starknet::syscalls::call_contract_syscall;
    use starknet::{ContractAddress, SyscallResultTrait};

    component!(path: ERC20Component, storage: erc20, event: ERC20Event);

    #[abi(embed_v0)]
    impl ERC20Impl = ERC20Component::ERC20Impl<ContractState>;
    impl ERC20InternalImpl = ERC20Component::InternalImpl<ContractState>;

    #[storage]
    struct Storage {
        #[substorage(v0)]
        erc20: ERC20Component::Storage,
        Hostile_armed: bool,
        Hostile_target: ContractAddress,
        Hostile_selector: felt252,
        Hostile_calldata: Vec<felt252>,
        Hostile_attempts: u32,
    }

    #[event]
    #[derive(Drop, starknet::Event)]
    enum Event {
        #[flat]
        ERC20Event: ERC20Component::Event,
    }

    impl ReenterHook of ERC20HooksTrait<ContractState> {
        /// Disarms, then makes the armed call; its failure (a refused re-entry) fails the transfer.
        fn before_transfer(ref self: ContractState) {
            if !self.Hostile_armed.read() {
                return;
            }
            self.Hostile_armed.write(false);
            self.Hostile_attempts.write(self.Hostile_attempts.read() + 1);
            let mut calldata = array![];
            let mut i = 0;
            while i < self.Hostile_calldata.len() {
                calldata.append(self.Hostile_calldata.at(i).read());
                i += 1;
            }
            call_contract_syscall(self.Hostile_target.read(), self.Hostile_selector.read(), calldata.span())
                .unwrap_syscall();
        }
    }

    #[constructor]
    fn constructor(ref self: ContractState, name: felt252, symbol: felt252, minter: ContractAddress) {
        self.erc20.initializer(name, symbol, minter);
    }

    #[abi(embed_v0)]
    impl HostileImpl of IHostileToken<ContractState> {
        fn arm(ref self: ContractState, target: ContractAddress, selector: felt252, calldata: Array<felt252>) {
            self.Hostile_armed.write(true);
            self.Hostile_target.write(target);
            self.Hostile_selector.write(selector);
            while self.Hostile_calldata.len() > 0 {
                let _ = self.Hostile_calldata.pop();
            }
            for word in calldata {
                self.Hostile_calldata.push(word);
            }
        }

        fn reentry_attempts(self: @ContractState) -> u32 {
            self.Hostile_attempts.read()
        }
    }
}
