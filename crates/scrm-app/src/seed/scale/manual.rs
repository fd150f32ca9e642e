//! A tenant's manual entries: the sub-accounts' call lists.

use chrono::Duration;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use scrm_mysql::bulk::tables;

use super::accounts::Tenant;
use super::{Generator, wire_time};
use crate::seed::names::phone;

impl Generator<'_> {
    pub(super) async fn manual_entries(
        &mut self,
        rng: &mut ChaCha8Rng,
        tenant: &Tenant,
    ) -> anyhow::Result<()> {
        let callers = if tenant.members.len() > 1 {
            &tenant.members[1..]
        } else {
            &tenant.members[..]
        };
        let count = tenant.customers / 10;
        for k in 0..count {
            let owner = callers[rng.random_range(0..callers.len())];
            let id = self.ids.manual;
            self.ids.manual += 1;
            let name = self.names.full(rng);
            let phone = phone(rng);
            let created = self.base + Duration::seconds(rng.random_range(0..700 * 86_400));
            let b = self.buf(tables::MANUAL_ENTRY);
            b.int(id)
                .int(tenant.members[0])
                .int(owner)
                .int(if rng.random_bool(0.25) {
                    rng.random_range(1..=5)
                } else {
                    -1
                })
                .int(i64::try_from(k + 1).unwrap_or(i64::MAX))
                .text(&name)
                .text(&phone)
                .text(&scrm_domain::phone::digits(&phone))
                .text(&format!(
                    "{}貿易{}號",
                    name.chars().next().unwrap_or('王'),
                    k % 97
                ))
                .text("福建廈門")
                .int(rng.random_range(0..=1))
                .int(rng.random_range(0..=2))
                .int(1)
                .text(&wire_time(created))
                .text(&wire_time(created));
            self.row_done(tables::MANUAL_ENTRY).await?;
        }
        Ok(())
    }
}
