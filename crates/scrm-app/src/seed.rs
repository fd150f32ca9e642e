//! Deterministic demo data (`scrm seed`): the same document every run, so ids and logins in
//! the README stay true. Tenants each have a main account, two sub-accounts in two
//! departments, a WeChat account per account (the last one offline), tags, contacts with
//! Chinese names, customers, personal forms of address, manual entries and chat messages.
//!
//! `scale` generates a seed at scale (`scrm seed --customers N`) instead, loaded by `load`.

pub mod load;
pub mod names;
pub mod scale;

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use scrm_domain::import::*;
use scrm_domain::message::ChatMessage;
use scrm_domain::{ContactId, WechatUserId};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-pass-123";

/// Sizes of the demo data.
#[derive(Debug, Clone, Copy)]
pub struct SeedSize {
    pub tenants: usize,
    /// Contacts per tenant (about 90 % of them have a customer profile).
    pub contacts_per_tenant: usize,
}

impl Default for SeedSize {
    fn default() -> Self {
        Self {
            tenants: 2,
            contacts_per_tenant: 60,
        }
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "張", "劉", "陳", "楊", "黃", "趙", "吳", "周", "徐", "孫", "馬", "朱", "胡", "郭",
    "何", "林", "羅", "高",
];
const GIVEN: &[&str] = &[
    "偉", "芳", "娜", "敏", "靜", "麗", "強", "磊", "洋", "艷", "勇", "軍", "傑", "娟", "濤", "明",
    "超", "秀英", "霞", "平", "建華", "志強", "海燕", "佳",
];
const TAGS: &[&str] = &["意向客戶", "已成交", "VIP", "待回訪", "老客戶", "潛在客戶"];
const CITIES: &[(&str, &str)] = &[
    ("福建", "廈門"),
    ("廣東", "深圳"),
    ("浙江", "杭州"),
    ("上海", "上海"),
    ("北京", "北京"),
];
const REMARKS: &[&str] = &[
    "對價格敏感",
    "下周回訪",
    "需要報價單",
    "老客戶介紹",
    "=HYPERLINK(\"x\")",
    "已加微信",
];
const LOGINS: &[&str] = &["demo", "acme"];

/// The login name of an account of the demo data.
pub fn login(tenant: usize, member: usize) -> String {
    let base = LOGINS
        .get(tenant)
        .map_or_else(|| format!("t{tenant}"), |s| (*s).to_owned());
    if member == 0 {
        format!("{base}_admin")
    } else {
        format!("{base}_sales{member}")
    }
}

fn name(rng: &mut ChaCha8Rng) -> String {
    let s = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let g = GIVEN[rng.random_range(0..GIVEN.len())];
    format!("{s}{g}")
}

fn phone(rng: &mut ChaCha8Rng) -> String {
    let second = [3, 5, 7, 8, 9][rng.random_range(0..5)];
    format!("1{second}{:09}", rng.random_range(0..1_000_000_000u64))
}

fn time(base: DateTime<Utc>, rng: &mut ChaCha8Rng, days: i64) -> DateTime<Utc> {
    base + Duration::seconds(rng.random_range(0..days * 86_400))
}

fn wire(t: DateTime<Utc>) -> serde_json::Value {
    serde_json::Value::from(t.timestamp_millis())
}

/// Customers of the first tenant that show the search box (README, "Try it"): `q=zhangweiming`
/// and `q=zwm` find 張偉明, `q=chen 8186` finds 陳志強 (a phone ending in 8186), and `chang` as
/// well as `zhang` find 長青 (長 has both readings), whose contact is remarked `Wendy`. On
/// the WeChat account of the first sub-account, added before every generated customer, so the
/// first pages stay those of the generated data: (name, phone, remark name).
pub const SHOWCASE: [(&str, &str, Option<&str>); 3] = [
    ("張偉明", "+86 139-2001-6620", Some("張總")),
    ("陳志強", "+86 135-5566-8186", None),
    ("長青", "137 0000 1234", Some("Wendy")),
];

fn showcase(doc: &mut ImportDocument, base: DateTime<Utc>) {
    for (k, (name, phone, remark)) in (0i64..).zip(SHOWCASE) {
        let contact_id = 90_000 + k;
        let added = base - Duration::days(30 - k);
        doc.wechat_contacts.push(ContactDoc {
            id: contact_id,
            wechat_user_id: 20_001,
            user_name: Some(format!("wxid_showcase{k}")),
            nick_name: Some(name.into()),
            remark_name: remark.map(Into::into),
            create_time: Some(wire(added)),
            ..ContactDoc::default()
        });
        doc.customers.push(CustomerDoc {
            id: 490_000 + k,
            wechat_contact_id: contact_id,
            customer_name: Some(name.into()),
            customer_phone: Some(phone.into()),
            nick_name: Some(name.into()),
            create_time: Some(wire(added + Duration::hours(1))),
            ..CustomerDoc::default()
        });
    }
}

/// The demo document.
#[expect(clippy::too_many_lines, reason = "one pass per record kind reads best")]
pub fn document(size: SeedSize) -> ImportDocument {
    let mut rng = ChaCha8Rng::seed_from_u64(20_261_126);
    let base = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let mut doc = ImportDocument::default();
    for t in 0..size.tenants {
        let t64 = i64::try_from(t).unwrap_or(i64::MAX);
        let main = 1000 + t64 * 100;
        let members = [main, main + 1, main + 2];
        for d in 1..=2 {
            doc.departments.push(DepartmentDoc {
                id: t64 * 10 + d,
                tenant_admin_user_id: main,
                name: Some(format!("電銷{}部", if d == 1 { "一" } else { "二" })),
            });
        }
        for (m, id) in members.iter().enumerate() {
            doc.admin_users.push(AdminUserDoc {
                id: *id,
                login_name: Some(login(t, m)),
                password: Some(DEMO_PASSWORD.into()),
                real_name: Some(if m == 0 {
                    format!("{}經理", name(&mut rng))
                } else {
                    name(&mut rng)
                }),
                parent_id: (m > 0).then_some(main),
                depart_id: (m > 0).then_some(t64 * 10 + i64::try_from(m).unwrap_or(1)),
                is_open_after_call: Some(i32::from(m == 1)),
            });
            doc.wechat_users.push(WechatUserDoc {
                id: 20_000 + t64 * 100 + i64::try_from(m).unwrap_or(0),
                admin_user_id: *id,
                uin: Some(format!(
                    "{}",
                    600_000_000 + t64 * 1000 + i64::try_from(m).unwrap_or(0)
                )),
                user_name: Some(format!("wxid_demo{t}{m}")),
                nick_name: Some(format!("{}的微信", name(&mut rng))),
                alias: Some(format!("demo{t}{m}")),
                head_img_url: Some(String::new()),
                is_online: Some(i32::from(m != 2)),
            });
        }
        let tag_ids: Vec<i64> = (0..TAGS.len())
            .map(|k| 30_000 + t64 * 100 + i64::try_from(k).unwrap_or(0))
            .collect();
        for (k, tag) in TAGS.iter().enumerate() {
            doc.tags.push(TagDoc {
                id: tag_ids[k],
                tenant_admin_user_id: main,
                name: Some((*tag).to_owned()),
            });
        }
        for i in 0..size.contacts_per_tenant {
            let i64_ = i64::try_from(i).unwrap_or(0);
            let contact_id = 100_000 + t64 * 100_000 + i64_;
            let wechat_user_id = 20_000 + t64 * 100 + (i64_ % 3);
            let nick = name(&mut rng);
            let (province, city) = CITIES[rng.random_range(0..CITIES.len())];
            let mut tags: Vec<i64> = (0..rng.random_range(0..=3))
                .map(|_| tag_ids[rng.random_range(0..tag_ids.len())])
                .collect();
            tags.sort_unstable();
            tags.dedup();
            let added = time(base, &mut rng, 640);
            doc.wechat_contacts.push(ContactDoc {
                id: contact_id,
                wechat_user_id,
                uin: Some("0".into()),
                user_name: Some(format!("wxid_c{t}x{i:05}")),
                nick_name: Some(nick.clone()),
                remark_name: rng.random_bool(0.5).then(|| format!("{nick}-{city}")),
                alias: Some(String::new()),
                sex: Some(rng.random_range(0..=2).to_string()),
                head_img_url: Some(String::new()),
                province: Some(province.into()),
                city: Some(city.into()),
                verify_flag: Some("0".into()),
                contact_flag: Some("3".into()),
                contact_type: Some(0),
                is_delete: Some(0),
                is_saving: Some(0),
                is_star: Some(i32::from(rng.random_bool(0.1))),
                tag_ids: Some(tags),
                create_time: Some(wire(added)),
                ..ContactDoc::default()
            });
            if rng.random_bool(0.9) {
                let created = added + Duration::hours(rng.random_range(1..72));
                let customer_id = 500_000 + t64 * 100_000 + i64_;
                doc.customers.push(CustomerDoc {
                    id: customer_id,
                    wechat_contact_id: contact_id,
                    customer_name: Some(nick.clone()),
                    customer_phone: rng.random_bool(0.9).then(|| phone(&mut rng)),
                    nick_name: Some(nick.clone()),
                    remarks: rng
                        .random_bool(0.6)
                        .then(|| REMARKS[rng.random_range(0..REMARKS.len())].to_owned()),
                    xfield1: rng
                        .random_bool(0.3)
                        .then(|| format!("來源{}", rng.random_range(1..4))),
                    is_cust: Some(i32::from(rng.random_bool(0.3))),
                    create_time: Some(wire(created)),
                    ..CustomerDoc::default()
                });
                if i < 20 {
                    for k in 0..6i64 {
                        doc.messages.push(ChatMessage {
                            msg_id: format!("demo-{t}-{i}-{k}"),
                            wechat_user_id: WechatUserId(wechat_user_id),
                            wechat_contact_id: ContactId(contact_id),
                            is_send: i32::from(k % 2 == 0),
                            msg_type: 1,
                            content: if k % 2 == 0 {
                                format!("您好,{nick}")
                            } else {
                                "好的,謝謝".into()
                            },
                            create_time: (created + Duration::minutes(k * 7)).timestamp_millis(),
                        });
                    }
                }
            }
            if rng.random_bool(0.3) {
                doc.nick_names.push(NickNameDoc {
                    wechat_contact_id: contact_id,
                    cust_name: Some(nick.clone()),
                    nick_name: Some(format!("{}總", &nick.chars().take(1).collect::<String>())),
                });
            }
        }
        if t == 0 {
            showcase(&mut doc, base);
        }
        for (m, owner) in members.iter().enumerate().skip(1) {
            for k in 0..12i64 {
                let (province, city) = CITIES[rng.random_range(0..CITIES.len())];
                doc.manual_entries.push(ManualEntryDoc {
                    id: 700_000 + t64 * 1000 + i64::try_from(m).unwrap_or(0) * 100 + k,
                    admin_user_id: *owner,
                    task_id: Some(if k % 4 == 3 { 5 } else { -1 }),
                    order_num: Some(k + 1),
                    customer_name: Some(name(&mut rng)),
                    customer_phone: Some(phone(&mut rng)),
                    company: Some(format!("{city}貿易{}號", k + 1)),
                    phone_geo: Some(format!("{province}{city}")),
                    dial_status: Some(i32::from(k % 3 == 0)),
                    add_status: Some(i32::try_from(k % 3).unwrap_or(0)),
                    syn: Some(1),
                    create_time: Some(wire(time(base, &mut rng, 640))),
                    ..ManualEntryDoc::default()
                });
            }
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_is_deterministic_and_plans_cleanly() {
        let a = document(SeedSize::default());
        let b = document(SeedSize::default());
        assert_eq!(a, b);
        assert_eq!(a.admin_users.len(), 6);
        assert_eq!(a.admin_users[0].login_name.as_deref(), Some("demo_admin"));
        assert_eq!(a.admin_users[4].login_name.as_deref(), Some("acme_sales1"));
        assert!(a.customers.len() > 90);
        assert!(!a.messages.is_empty() && !a.manual_entries.is_empty() && !a.nick_names.is_empty());
        let zone = scrm_domain::time::parse_zone("+08:00").unwrap();
        let plan = build_plan(&a, &KnownRefs::default(), zone).unwrap();
        assert_eq!(plan.customers.len(), a.customers.len());
    }
}
