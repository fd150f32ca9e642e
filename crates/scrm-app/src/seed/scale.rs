//! The seed at scale (`scrm seed --customers N --tenants T`): deterministic rows for every
//! table, skewed like real data, written as `LOAD DATA` chunks to a [`Sink`].
//!
//! - Tenant 0 (`demo`) holds 30 % of the customers (all of them when it is alone) and has 30
//!   sub-accounts; the other tenants share the rest with a mild skew (tenant `i` in
//!   proportion to `1/√i`) and have 2 to 30 sub-accounts (one per 10,000 customers).
//!   Logins are those of the demo (`demo_admin`, `demo_sales1`, ..., `acme_admin`, then
//!   `t2_admin`, ...), password `demo-pass-123`.
//! - Each account has one WeChat account; a customer belongs to one of the tenant's accounts
//!   (the main account and the first sub-accounts own more). One contact in ten has no
//!   customer profile.
//! - Tags: 200 in tenant 0, one per 1,000 customers (10 to 200) elsewhere; each customer has
//!   0 to 5 of them drawn by Zipf popularity (s = 0.9), so the top tag of tenant 0 is on about
//!   28 % of its customers (84,000 of 300,000).
//! - Names by surname frequency (`names`), 10 % without phone, 60 % with remarks, 50 % of
//!   contacts with a remark name, 30 % with a personal form of address, 2 % of customers in
//!   the recycle bin, one manual entry per 10 customers (sub-accounts' call lists).
//! - Chat messages (to Redis): 2 to 6 in one conversation of 20, and one conversation of
//!   `min(N / 10, 100,000)` messages: tenant 0's first contact, owned by `demo_admin`'s
//!   WeChat account, whose next nine contacts all have messages too (a merged page over ten
//!   conversations).
//!
//! The generator's rows are written by `accounts` (accounts, departments, WeChat accounts,
//! tags), `contacts` (contacts, customers, grams, chat messages) and `manual` (call lists);
//! `sink` sends the chunks on.

mod accounts;
mod contacts;
mod manual;
mod sink;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use scrm_domain::message::ChatMessage;
use scrm_mysql::bulk::{TableSpec, Tsv, tables};

pub use sink::Sink;

use super::names::{Names, Weighted};
use super::{DEMO_PASSWORD, login};

/// The size of a seed at scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleSize {
    pub customers: u64,
    pub tenants: u32,
}

/// Share of all customers in tenant 0 when there are several tenants.
const BIG_SHARE: f64 = 0.3;
/// Sub-accounts of tenant 0.
const BIG_SUBS: usize = 30;
/// Messages of the hot conversation at most.
pub const HOT_MESSAGES: u64 = 100_000;
/// The first contacts of a tenant, owned by its main account, that all have messages (ten
/// of them have a customer profile).
const CONVERSATIONS: u64 = 11;
/// Bytes buffered per table before a chunk is sent.
const CHUNK_BYTES: usize = 256 * 1024;
/// The Zipf exponent of tag popularity: tenant 0's top tag is on about 28 % of its customers.
const TAG_ZIPF: f64 = 0.9;
/// The seed of every generator.
const SEED: u64 = 0x5ca1_e5ee_d000;

/// Customers of each tenant, adding up to `size.customers`.
pub fn tenant_sizes(size: ScaleSize) -> Vec<u64> {
    let t = usize::try_from(size.tenants.max(1)).unwrap_or(1);
    if t == 1 {
        return vec![size.customers];
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "shares of at most u64 customers, rounded down on purpose"
    )]
    let big = (size.customers as f64 * BIG_SHARE) as u64;
    let rest = size.customers - big;
    let weights = Weighted::new((1..t).map(|i| 1.0 / (i as f64).sqrt()));
    let mut sizes = vec![big];
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "shares rounded down; the remainder goes to tenant 1"
    )]
    sizes.extend((0..t - 1).map(|i| (rest as f64 * weights.share(i)) as u64));
    let given: u64 = sizes.iter().sum();
    sizes[1] += size.customers - given;
    sizes
}

/// Ids handed out in order across tenants.
#[derive(Debug, Default)]
struct Ids {
    account: i64,
    department: i64,
    tag: i64,
    contact: i64,
    customer: i64,
    manual: i64,
}

/// What a run generated.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Rows per table.
    pub rows: BTreeMap<&'static str, u64>,
    /// The logins of tenant 0's main account and of one of its sub-accounts.
    pub big_main: String,
    pub big_sub: String,
}

/// The generator: fills per-table buffers and sends them in chunks.
pub struct Generator<'s> {
    sink: &'s mut Sink,
    bufs: Vec<(TableSpec, Tsv)>,
    rows: BTreeMap<&'static str, u64>,
    names: Names,
    ids: Ids,
    base: DateTime<Utc>,
    password_hash: String,
}

fn wire_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

fn idx(i: usize) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX)
}

impl<'s> Generator<'s> {
    /// A generator writing to `sink`; every account gets `password_hash` (one argon2 hash of
    /// the demo password, computed once).
    pub fn new(sink: &'s mut Sink, password_hash: String) -> Self {
        Self {
            sink,
            bufs: tables::ALL.iter().map(|s| (*s, Tsv::new())).collect(),
            rows: BTreeMap::new(),
            names: Names::default(),
            ids: Ids {
                account: 1000,
                department: 1,
                tag: 30_000,
                contact: 100_000,
                customer: 500_000,
                manual: 700_000,
            },
            base: Utc
                .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or_default(),
            password_hash,
        }
    }

    fn buf(&mut self, spec: TableSpec) -> &mut Tsv {
        let i = self
            .bufs
            .iter()
            .position(|(s, _)| s.table == spec.table)
            .unwrap_or(0);
        &mut self.bufs[i].1
    }

    /// Ends a row of `spec` and sends the buffer when it is full.
    async fn row_done(&mut self, spec: TableSpec) -> anyhow::Result<()> {
        *self.rows.entry(spec.table).or_default() += 1;
        let buf = self.buf(spec);
        buf.end();
        if buf.len() >= CHUNK_BYTES {
            let chunk = buf.take();
            self.sink.send(spec, chunk).await?;
        }
        Ok(())
    }

    /// Rows `(customer_id, gram, tenant_id)` of a gram table for one customer.
    async fn grams(
        &mut self,
        spec: TableSpec,
        customer: i64,
        tenant: i64,
        grams: &[String],
    ) -> anyhow::Result<()> {
        for gram in grams {
            self.buf(spec).int(customer).text(gram).int(tenant);
            self.row_done(spec).await?;
        }
        Ok(())
    }

    /// Sends what is left in the buffers.
    async fn flush(&mut self) -> anyhow::Result<()> {
        for i in 0..self.bufs.len() {
            let (spec, buf) = &mut self.bufs[i];
            if !buf.is_empty() {
                let (spec, chunk) = (*spec, buf.take());
                self.sink.send(spec, chunk).await?;
            }
        }
        Ok(())
    }

    /// Generates everything; `progress` is told of every customer generated, `messages`
    /// receives each tenant's chat messages.
    ///
    /// # Errors
    /// When the sink fails.
    pub async fn run(
        mut self,
        size: ScaleSize,
        mut progress: impl FnMut(u64),
        mut messages: impl AsyncFnMut(Vec<ChatMessage>) -> anyhow::Result<()>,
    ) -> anyhow::Result<Generated> {
        let sizes = tenant_sizes(size);
        let hot = (size.customers / 10).min(HOT_MESSAGES);
        for (index, customers) in sizes.iter().copied().enumerate() {
            let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ u64::try_from(index).unwrap_or(0));
            let tenant = self.accounts(&mut rng, index, customers).await?;
            let tags = self.tags(&mut rng, &tenant).await?;
            let mut msgs = Vec::new();
            self.contacts(&mut rng, &tenant, &tags, &mut msgs, hot, &mut progress)
                .await?;
            self.manual_entries(&mut rng, &tenant).await?;
            messages(msgs).await?;
        }
        self.flush().await?;
        Ok(Generated {
            rows: self.rows,
            big_main: login(0, 0),
            big_sub: login(0, 1),
        })
    }
}

/// The password hash every seeded account shares.
///
/// # Errors
/// When argon2 fails.
pub fn password_hash() -> anyhow::Result<String> {
    Ok(crate::hasher::Argon2Hasher::hash_now(DEMO_PASSWORD)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn generate(size: ScaleSize) -> (BTreeMap<&'static str, Vec<u8>>, Generated, usize) {
        let mut sink = Sink::Memory(BTreeMap::new());
        let mut messages = 0;
        let generated = Generator::new(&mut sink, "hash".into())
            .run(
                size,
                |_| {},
                async |m: Vec<ChatMessage>| {
                    messages += m.len();
                    Ok(())
                },
            )
            .await
            .unwrap();
        let Sink::Memory(tables) = sink else {
            unreachable!()
        };
        (tables, generated, messages)
    }

    fn rows<'a>(tables: &'a BTreeMap<&'static str, Vec<u8>>, table: &str) -> Vec<Vec<&'a str>> {
        std::str::from_utf8(&tables[table])
            .unwrap()
            .lines()
            .map(|l| l.split('\t').collect())
            .collect()
    }

    #[test]
    fn tenant_sizes_add_up_with_thirty_percent_in_the_first() {
        let sizes = tenant_sizes(ScaleSize {
            customers: 1_000_000,
            tenants: 50,
        });
        assert_eq!(sizes.len(), 50);
        assert_eq!(sizes.iter().sum::<u64>(), 1_000_000);
        assert_eq!(sizes[0], 300_000);
        assert!(sizes[1] > sizes[49] && sizes[49] > 5_000, "{sizes:?}");
        assert_eq!(
            tenant_sizes(ScaleSize {
                customers: 7,
                tenants: 1
            }),
            vec![7]
        );
    }

    #[tokio::test]
    async fn the_seed_is_deterministic_and_skewed_like_real_data() {
        let size = ScaleSize {
            customers: 20_000,
            tenants: 4,
        };
        let (a, generated, messages) = generate(size).await;
        let (b, _, _) = generate(size).await;
        assert_eq!(a, b);
        assert_eq!(generated.big_main, "demo_admin");
        assert_eq!(generated.big_sub, "demo_sales1");
        assert_eq!(generated.rows["customer"], 20_000);
        for spec in tables::ALL {
            let rows = rows(&a, spec.table);
            assert_eq!(
                rows.len() as u64,
                generated.rows[spec.table],
                "{}",
                spec.table
            );
            assert!(
                rows.iter().all(|r| r.len() == spec.columns.len()),
                "{}",
                spec.table
            );
        }
        let customers = rows(&a, "customer");
        let share = |pred: &dyn Fn(&Vec<&str>) -> bool| {
            customers.iter().filter(|r| pred(r)).count() as f64 / customers.len() as f64
        };
        assert!((share(&|r| r[1] == "1000") - 0.3).abs() < 1e-9);
        assert!((share(&|r| r[6] == "\\N") - 0.1).abs() < 0.02);
        assert!((share(&|r| r[9] != "\\N") - 0.6).abs() < 0.02);
        assert!((share(&|r| r[5].starts_with('王')) - 0.107).abs() < 0.02);
        let accounts = rows(&a, "admin_user");
        assert_eq!(accounts.iter().filter(|r| r[1] == "1000").count(), 31);
        assert!(accounts.iter().any(|r| r[2] == "acme_sales2"));
        // The top tag of tenant 0 is on about 28 % of its customers.
        let top = rows(&a, "contact_tag")
            .iter()
            .filter(|r| r[1] == "30000")
            .count() as f64;
        assert!((top / 6_000.0 - 0.28).abs() < 0.04, "{top}");
        // min(N / 10, 100,000) in the hot conversation, 20 to 200 in ten others per tenant,
        // 2 to 6 in one conversation of 20.
        assert!(messages > 8_000 && messages < 14_000, "{messages}");
    }
}
