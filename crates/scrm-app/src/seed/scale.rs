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

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use bytes::Bytes;
use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use scrm_domain::message::ChatMessage;
use scrm_domain::{ContactId, WechatUserId};
use scrm_mysql::bulk::{Loader, TableSpec, Tsv, name_grams, phone_grams, tables};

use super::names::{Names, Weighted, phone};
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

/// Where generated chunks go.
pub enum Sink {
    /// Into MariaDB, while generating.
    Load(Loader),
    /// Into `<dir>/<table>.tsv` (for a `LOAD DATA` of the same rows to compare with).
    Files(BTreeMap<&'static str, std::fs::File>, PathBuf),
    /// Kept in memory (tests).
    Memory(BTreeMap<&'static str, Vec<u8>>),
}

impl Sink {
    /// Files under `dir` (created), one per table.
    ///
    /// # Errors
    /// When a file cannot be created.
    pub fn files(dir: PathBuf) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut files = BTreeMap::new();
        for spec in tables::ALL {
            let path = dir.join(format!("{}.tsv", spec.table));
            let file = std::fs::File::create(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            files.insert(spec.table, file);
        }
        Ok(Self::Files(files, dir))
    }

    async fn send(&mut self, spec: TableSpec, chunk: Bytes) -> anyhow::Result<()> {
        match self {
            Self::Load(loader) => loader.send(spec.table, chunk).await?,
            Self::Files(files, dir) => {
                use std::io::Write as _;
                if let Some(f) = files.get_mut(spec.table) {
                    f.write_all(&chunk)
                        .with_context(|| format!("writing {}", dir.display()))?;
                }
            }
            Self::Memory(m) => m.entry(spec.table).or_default().extend_from_slice(&chunk),
        }
        Ok(())
    }
}

/// Account ids of one tenant: the main account first.
#[derive(Debug, Clone)]
struct Tenant {
    index: usize,
    members: Vec<i64>,
    customers: u64,
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

    async fn accounts(
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

    async fn tags(&mut self, rng: &mut ChaCha8Rng, tenant: &Tenant) -> anyhow::Result<Vec<i64>> {
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

    #[expect(
        clippy::too_many_lines,
        reason = "one contact, its customer and its tags"
    )]
    async fn contacts(
        &mut self,
        rng: &mut ChaCha8Rng,
        tenant: &Tenant,
        tags: &[i64],
        msgs: &mut Vec<ChatMessage>,
        hot: u64,
        progress: &mut impl FnMut(u64),
    ) -> anyhow::Result<()> {
        const CITIES: [(&str, &str); 6] = [
            ("福建", "廈門"),
            ("廣東", "深圳"),
            ("浙江", "杭州"),
            ("上海", "上海"),
            ("北京", "北京"),
            ("四川", "成都"),
        ];
        const REMARKS: [&str; 6] = [
            "對價格敏感",
            "下周回訪",
            "需要報價單",
            "老客戶介紹",
            "已加微信",
            "要求上門演示",
        ];
        let main = tenant.members[0];
        let owners = Weighted::new((0..tenant.members.len()).map(|m| {
            let rank = f64::from(u32::try_from(m).unwrap_or(u32::MAX)) + 1.0;
            1.0 / rank.sqrt()
        }));
        let tag_zipf = Weighted::zipf(tags.len(), TAG_ZIPF);
        let mut reported = 0u64;
        let mut i = 0u64;
        let mut with_customer = 0u64;
        while with_customer < tenant.customers {
            // Every tenth contact has no customer profile.
            let has_customer = i % 10 != 9;
            let contact = self.ids.contact;
            self.ids.contact += 1;
            // The tenant's first contacts belong to the main account (the conversations).
            let owner = if i < CONVERSATIONS {
                main
            } else {
                tenant.members[owners.sample(rng)]
            };
            let wechat_user = 20_000 + owner;
            let name = self.names.full(rng);
            let nick = self.names.nickname(rng, &name);
            let (province, city) = CITIES[rng.random_range(0..CITIES.len())];
            let remark_name = rng.random_bool(0.5).then(|| format!("{name}-{city}"));
            let added = self.base + Duration::seconds(rng.random_range(0..700 * 86_400));
            let (py_i, py_f) = crate::pinyin::of(&nick);
            let remark_py = remark_name.as_deref().map(crate::pinyin::of);
            let b = self.buf(tables::WECHAT_CONTACT);
            b.int(contact)
                .int(main)
                .int(owner)
                .int(wechat_user)
                .text("0")
                .text(&format!("wxid_s{contact}"))
                .text(&nick)
                .opt(remark_name.as_deref())
                .text(&rng.random_range(0..=2).to_string())
                .text(province)
                .text(city)
                .text(&py_i)
                .text(&py_f)
                .opt(remark_py.as_ref().map(|p| p.0.as_str()))
                .opt(remark_py.as_ref().map(|p| p.1.as_str()))
                .text("0")
                .text("3")
                .int(i64::from(rng.random_bool(0.1)))
                .text(&wire_time(added));
            self.row_done(tables::WECHAT_CONTACT).await?;
            let mut picked: Vec<i64> = (0..rng.random_range(0..=5))
                .map(|_| tags[tag_zipf.sample(rng)])
                .collect();
            picked.sort_unstable();
            picked.dedup();
            for tag in picked {
                self.buf(tables::CONTACT_TAG)
                    .int(contact)
                    .int(tag)
                    .int(main)
                    .int(owner);
                self.row_done(tables::CONTACT_TAG).await?;
            }
            if rng.random_bool(0.3) {
                let first: String = name.chars().take(1).collect();
                self.buf(tables::CONTACT_NICK_NAME)
                    .int(contact)
                    .int(main)
                    .text(&name)
                    .text(&format!("{first}總"));
                self.row_done(tables::CONTACT_NICK_NAME).await?;
            }
            if has_customer {
                let id = self.ids.customer;
                self.ids.customer += 1;
                let created = added + Duration::minutes(rng.random_range(1..72 * 60));
                let updated = created + Duration::hours(rng.random_range(0..24 * 30));
                let phone = rng.random_bool(0.9).then(|| phone(rng));
                let digits = phone.as_deref().map(scrm_domain::phone::digits);
                let remarks = rng
                    .random_bool(0.6)
                    .then(|| REMARKS[rng.random_range(0..REMARKS.len())]);
                let source = rng
                    .random_bool(0.3)
                    .then(|| format!("來源{}", rng.random_range(1..4)));
                let deleted = rng
                    .random_bool(0.02)
                    .then(|| wire_time(updated + Duration::days(1)));
                let b = self.buf(tables::CUSTOMER);
                b.int(id)
                    .int(main)
                    .int(owner)
                    .int(wechat_user)
                    .int(contact)
                    .text(&name)
                    .opt(phone.as_deref())
                    .opt(digits.as_deref())
                    .text(&nick)
                    .opt(remarks)
                    .opt(source.as_deref())
                    .int(i64::from(rng.random_bool(0.3)))
                    .text(&wire_time(created))
                    .text(&wire_time(updated))
                    .opt(deleted.as_deref());
                self.row_done(tables::CUSTOMER).await?;
                let names = [
                    Some(name.as_str()),
                    Some(nick.as_str()),
                    remark_name.as_deref(),
                ];
                let name_grams = name_grams(names.into_iter().flatten());
                self.grams(tables::CUSTOMER_NAME_GRAM, id, main, &name_grams)
                    .await?;
                let phone_grams = phone_grams(digits.as_deref().unwrap_or_default());
                self.grams(tables::CUSTOMER_PHONE_GRAM, id, main, &phone_grams)
                    .await?;
                with_customer += 1;
                let count = match i {
                    0 if tenant.index == 0 => hot,
                    0..CONVERSATIONS => rng.random_range(20..200),
                    _ if i % 20 == 5 => rng.random_range(2..=6),
                    _ => 0,
                };
                conversation(
                    msgs,
                    tenant.index,
                    wechat_user,
                    contact,
                    &name,
                    created,
                    count,
                );
            }
            i += 1;
            if with_customer - reported >= 1000 || with_customer == tenant.customers {
                progress(with_customer - reported);
                reported = with_customer;
            }
        }
        Ok(())
    }

    async fn manual_entries(
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

/// `count` messages of one conversation, a minute or more apart, starting at `from`.
fn conversation(
    out: &mut Vec<ChatMessage>,
    tenant: usize,
    wechat_user: i64,
    contact: i64,
    name: &str,
    from: DateTime<Utc>,
    count: u64,
) {
    for k in 0..count {
        let k64 = i64::try_from(k).unwrap_or(i64::MAX);
        let sent = k % 2 == 0;
        out.push(ChatMessage {
            msg_id: format!("seed-{tenant}-{contact}-{k}"),
            wechat_user_id: WechatUserId(wechat_user),
            wechat_contact_id: ContactId(contact),
            is_send: i32::from(sent),
            msg_type: 1,
            content: if sent {
                format!("您好,{name},第{k}條")
            } else {
                "好的,謝謝".into()
            },
            create_time: (from + Duration::minutes(k64)).timestamp_millis(),
        });
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
