//! ERC20 as a component with a transfer hook: `Token` (plain) and `HostileToken` (re-enters on transfer)
//! both embed it. The minter is set at deployment.

/// Called before every balance move; the hostile token uses it to call back into the batch entrypoints.
pub trait ERC20HooksTrait<TContractState> {
    fn before_transfer(ref self: TContractState);
}

#[starknet::component]
pub mod ERC20Component {
    use crate::errors::Errors;
    use crate::interfaces::IERC20;
    use core::num::traits::Zero;
    use starknet::storage::{
        Map, StorageMapReadAccess, StorageMapWriteAccess, StoragePointerReadAccess, StoragePointerWriteAccess,
    };
    use starknet::{ContractAddress, get_caller_address};

    #[storage]
    pub struct Storage {
        ERC20_name: felt252,
        ERC20_symbol: felt252,
        ERC20_total_supply: u256,
        ERC20_balances: Map<ContractAddress, u256>,
        ERC20_allowances: Map<(ContractAddress, ContractAddress), u256>,
        ERC20_minter: ContractAddress,
    }

    #[event]
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub enum Event {
        Transfer: Transfer,
        Approval: Approval,
    }

    /// Emitted when tokens move, including mints (from zero).
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct Transfer {
        #[key]
        pub from: ContractAddress,
        #[key]
        pub to: ContractAddress,
        pub value: u256,
    }

    /// Emitted when an allowance is set.
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct Approval {
        #[key]
        pub owner: ContractAddress,
        #[key]
        pub spender: ContractAddress,
        pub value: u256,
    }

    #[embeddable_as(ERC20Impl)]
    impl ERC20<
        TContractState, +HasComponent<TContractState>, +super::ERC20HooksTrait<TContractState>, +Drop<TContractState>,
    > of IERC20<ComponentState<TContractState>> {
        fn name(self: @ComponentState<TContractState>) -> felt252 {
            self.ERC20_name.read()
        }
        fn symbol(self: @ComponentState<TContractState>) -> felt252 {
            self.ERC20_symbol.read()
        }
        fn decimals(self: @ComponentState<TContractState>) -> u8 {
            18
        }
        fn total_supply(self: @ComponentState<TContractState>) -> u256 {
            self.ERC20_total_supply.read()
        }
        fn balance_of(self: @ComponentState<TContractState>, account: ContractAddress) -> u256 {
            self.ERC20_balances.read(account)
        }
        fn allowance(self: @ComponentState<TContractState>, owner: ContractAddress, spender: ContractAddress) -> u256 {
            self.ERC20_allowances.read((owner, spender))
        }
        /// Moves `amount` from the caller to `recipient`.
        fn transfer(ref self: ComponentState<TContractState>, recipient: ContractAddress, amount: u256) -> bool {
            self._transfer(get_caller_address(), recipient, amount);
            true
        }
        /// Moves `amount` from `sender` to `recipient` using the caller's allowance.
        fn transfer_from(
            ref self: ComponentState<TContractState>, sender: ContractAddress, recipient: ContractAddress, amount: u256,
        ) -> bool {
            let spender = get_caller_address();
            let allowed = self.ERC20_allowances.read((sender, spender));
            assert(allowed >= amount, Errors::INSUFFICIENT_ALLOWANCE);
            self.ERC20_allowances.write((sender, spender), allowed - amount);
            self._transfer(sender, recipient, amount);
            true
        }
        /// Sets the caller's allowance for `spender`.
        fn approve(ref self: ComponentState<TContractState>, spender: ContractAddress, amount: u256) -> bool {
            let owner = get_caller_address();
            assert(!spender.is_zero(), Errors::ZERO_ADDRESS);
            self.ERC20_allowances.write((owner, spender), amount);
            self.emit(Approval { owner, spender, value: amount });
            true
        }
        /// Creates `amount` for `recipient`; minter only.
        fn mint(ref self: ComponentState<TContractState>, recipient: ContractAddress, amount: u256) {
            assert(get_caller_address() == self.ERC20_minter.read(), Errors::ONLY_MINTER);
            assert(!recipient.is_zero(), Errors::ZERO_ADDRESS);
            self.ERC20_total_supply.write(self.ERC20_total_supply.read() + amount);
            self.ERC20_balances.write(recipient, self.ERC20_balances.read(recipient) + amount);
            self.emit(Transfer { from: Zero::zero(), to: recipient, value: amount });
        }
    }

    #[generate_trait]
    pub impl InternalImpl<
        TContractState, +HasComponent<TContractState>, +super::ERC20HooksTrait<TContractState>, +Drop<TContractState>,
    > of InternalTrait<TContractState> {
        fn initializer(ref self: ComponentState<TContractState>, name: felt252, symbol: felt252, minter: ContractAddress) {
            self.ERC20_name.write(name);
            self.ERC20_symbol.write(symbol);
            self.ERC20_minter.write(minter);
        }

        fn _transfer(ref self: ComponentState<TContractState>, from: ContractAddress, to: ContractAddress, amount: u256) {
            assert(!to.is_zero(), Errors::ZERO_ADDRESS);
            let mut contract = self.get_contract_mut();
            contract.before_transfer();
            let balance = self.ERC20_balances.read(from);
            assert(balance >= amount, Errors::INSUFFICIENT_BALANCE);
            self.ERC20_balances.write(from, balance - amount);
            self.ERC20_balances.write(to, self.ERC20_balances.read(to) + amount);
            self.emit(Transfer { from, to, value: amount });
        }
    }
}

/// The plain token: no hook.
#[starknet::contract]
pub mod Token {
    use starknet::ContractAddress;
    use super::ERC20Component;

    component!(path: ERC20Component, storage: erc20, event: ERC20Event);

    #[abi(embed_v0)]
    impl ERC20Impl = ERC20Component::ERC20Impl<ContractState>;
    impl ERC20InternalImpl = ERC20Component::InternalImpl<ContractState>;

    #[storage]
    struct Storage {
        #[substorage(v0)]
        erc20: ERC20Component::Storage,
    }

    #[event]
    #[derive(Drop, starknet::Event)]
    enum Event {
        #[flat]
        ERC20Event: ERC20Component::Event,
    }

    impl NoHooks of super::ERC20HooksTrait<ContractState> {
        fn before_transfer(ref self: ContractState) {}
    }

    #[constructor]
    fn constructor(ref self: ContractState, name: felt252, symbol: felt252, minter: ContractAddress) {
        self.erc20.initializer(name, symbol, minter);
    }
}
