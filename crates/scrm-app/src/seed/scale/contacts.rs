//! A tenant's contacts: their customer profiles (with name and phone grams), tags, personal
//! forms of address and chat messages.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use scrm_domain::message::ChatMessage;
use scrm_domain::{ContactId, WechatUserId};
use scrm_mysql::bulk::{name_grams, phone_grams, spellings, tables};

use super::accounts::Tenant;
use super::{CONVERSATIONS, Generator, TAG_ZIPF, wire_time};
use crate::seed::names::{Weighted, phone};

impl Generator<'_> {
    #[expect(
        clippy::too_many_lines,
        reason = "one contact, its customer and its tags"
    )]
    pub(super) async fn contacts(
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
                let spelled = spellings(names.into_iter().flatten());
                for (spelling, seq) in spelled.iter().zip(0_i64..) {
                    self.buf(tables::CUSTOMER_SPELLING)
                        .int(id)
                        .int(seq)
                        .text(spelling)
                        .int(main);
                    self.row_done(tables::CUSTOMER_SPELLING).await?;
                }
                let spelling_grams =
                    scrm_mysql::bulk::name_grams(spelled.iter().map(String::as_str));
                self.grams(tables::CUSTOMER_SPELLING_GRAM, id, main, &spelling_grams)
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
