//! A tenant's accounts (main account, sub-accounts, their departments and WeChat accounts)
//! and its tags.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use scrm_mysql::bulk::tables;

use super::{BIG_SUBS, Generator, idx};
use crate::seed::login;

/// Account ids of one tenant: the main account first.
#[derive(Debug, Clone)]
pub(super) struct Tenant {
    pub(super) index: usize,
    pub(super) members: Vec<i64>,
    pub(super) customers: u64,
}

impl Generator<'_> {
    pub(super) async fn accounts(
        &mut self,
        rng: &mut ChaCha8Rng,
        index: usize,
        customers: u64,
    ) -> anyhow::Result<Tenant> {
        let subs = if index == 0 {
            BIG_SUBS
        } else {
            usize::try_from(customers / 10_000)
                .unwrap_or(BIG_SUBS)
                .clamp(2, BIG_SUBS)
        };
        let main = self.ids.account;
        self.ids.account += 100;
        let members: Vec<i64> = (0..=subs).map(|m| main + idx(m)).collect();
        let departments = (subs / 10).max(2);
        let first_department = self.ids.department;
        self.ids.department += idx(departments);
        for d in 0..departments {
            self.buf(tables::DEPARTMENT)
                .int(first_department + idx(d))
                .int(main)
                .text(&format!("電銷{}部", d + 1));
            self.row_done(tables::DEPARTMENT).await?;
        }
        for (m, id) in members.iter().copied().enumerate() {
            let real = self.names.full(rng);
            let hash = self.password_hash.clone();
            let b = self.buf(tables::ADMIN_USER);
            b.int(id).int(main).text(&login(index, m)).text(&real);
            if m == 0 {
                b.null().null();
            } else {
                b.int(main)
                    .int(first_department + idx((m - 1) % departments));
            }
            b.text(&hash).int(i64::from(m == 1));
            self.row_done(tables::ADMIN_USER).await?;
            self.buf(tables::WECHAT_USER)
                .int(20_000 + id)
                .int(main)
                .int(id)
                .text(&(600_000_000 + id).to_string())
                .text(&format!("wxid_seed{id}"))
                .text(&format!("{real}的微信"))
                .text(&format!("seed{id}"))
                .text("")
                .int(i64::from(m % 7 != 6));
            self.row_done(tables::WECHAT_USER).await?;
        }
        Ok(Tenant {
            index,
            members,
            customers,
        })
    }

    pub(super) async fn tags(
        &mut self,
        rng: &mut ChaCha8Rng,
        tenant: &Tenant,
    ) -> anyhow::Result<Vec<i64>> {
        let count = if tenant.index == 0 {
            200
        } else {
            usize::try_from(tenant.customers / 1000)
                .unwrap_or(200)
                .clamp(10, 200)
        };
        let first = self.ids.tag;
        self.ids.tag += idx(count);
        for k in 0..count {
            let kind =
                ["意向", "已成交", "VIP", "待回訪", "老客戶", "潛在"][rng.random_range(0..6)];
            self.buf(tables::TAG)
                .int(first + idx(k))
                .int(tenant.members[0])
                .text(&format!("{kind}{}", k + 1));
            self.row_done(tables::TAG).await?;
        }
        Ok((0..count).map(|k| first + idx(k)).collect())
    }
}
