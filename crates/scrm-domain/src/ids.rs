//! Identifier newtypes, so an id of one entity cannot be passed where another is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An account (`admin_user`), main or sub.
    AdminUserId
);
id_type!(
    /// A department of a tenant.
    DepartmentId
);
id_type!(
    /// A company WeChat account (`wechat_user`).
    WechatUserId
);
id_type!(
    /// A friend of a WeChat account (`wechat_contact`).
    ContactId
);
id_type!(
    /// A CRM profile (`customer`).
    CustomerId
);
id_type!(
    /// A tag of a tenant.
    TagId
);
id_type!(
    /// A manual entry (a row of a call list).
    ManualEntryId
);
