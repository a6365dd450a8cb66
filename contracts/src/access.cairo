//! Roles granted by the admin: COORDINATOR assigns jobs, updates reputation and distributes rewards;
//! SLASHER slashes stakes. The admin is set at deployment.
pub const COORDINATOR: felt252 = 'COORDINATOR';
pub const SLASHER: felt252 = 'SLASHER';

#[starknet::component]
pub mod AccessControlComponent {
    use crate::errors::Errors;
    use crate::interfaces::IAccessControl;
    use starknet::storage::{
        Map, StorageMapReadAccess, StorageMapWriteAccess, StoragePointerReadAccess, StoragePointerWriteAccess,
    };
    use starknet::{ContractAddress, get_caller_address};

    #[storage]
    pub struct Storage {
        pub Access_admin: ContractAddress,
        pub Access_roles: Map<(felt252, ContractAddress), bool>,
    }

    /// Emitted when the admin grants or revokes a role.
    #[event]
    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub enum Event {
        RoleChanged: RoleChanged,
    }

    #[derive(Drop, PartialEq, Debug, starknet::Event)]
    pub struct RoleChanged {
        #[key]
        pub role: felt252,
        #[key]
        pub account: ContractAddress,
        pub granted: bool,
    }

    #[embeddable_as(AccessControlImpl)]
    impl AccessControl<
        TContractState, +HasComponent<TContractState>,
    > of IAccessControl<ComponentState<TContractState>> {
        /// Whether `account` holds `role`.
        fn has_role(self: @ComponentState<TContractState>, role: felt252, account: ContractAddress) -> bool {
            self.Access_roles.read((role, account))
        }

        /// Grants `role` to `account`; admin only.
        fn grant_role(ref self: ComponentState<TContractState>, role: felt252, account: ContractAddress) {
            self.assert_admin();
            self.Access_roles.write((role, account), true);
            self.emit(RoleChanged { role, account, granted: true });
        }

        /// Revokes `role` from `account`; admin only.
        fn revoke_role(ref self: ComponentState<TContractState>, role: felt252, account: ContractAddress) {
            self.assert_admin();
            self.Access_roles.write((role, account), false);
            self.emit(RoleChanged { role, account, granted: false });
        }

        /// The admin address.
        fn admin(self: @ComponentState<TContractState>) -> ContractAddress {
            self.Access_admin.read()
        }
    }

    #[generate_trait]
    pub impl InternalImpl<TContractState, +HasComponent<TContractState>> of InternalTrait<TContractState> {
        fn initializer(ref self: ComponentState<TContractState>, admin: ContractAddress) {
            self.Access_admin.write(admin);
        }

        fn assert_admin(self: @ComponentState<TContractState>) {
            assert(get_caller_address() == self.Access_admin.read(), Errors::ONLY_ADMIN);
        }

        fn is_admin(self: @ComponentState<TContractState>, account: ContractAddress) -> bool {
            account == self.Access_admin.read()
        }

        fn holds(self: @ComponentState<TContractState>, role: felt252, account: ContractAddress) -> bool {
            self.Access_roles.read((role, account))
        }
    }
}
