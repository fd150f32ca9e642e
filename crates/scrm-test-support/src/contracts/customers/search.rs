//! `q` and `tagMode` (issue 17): every kind of term (names, full pinyin, initials, polyphonic
//! readings, phone digits with separators), terms combined, `q` with the other filters, tag
//! modes on customers, the recycle bin and contacts, scope (other tenant, sibling
//! sub-account), and spellings that follow a rename or a new phone at once.

use scrm_domain::contact::ContactTagQuery;
use scrm_domain::customer::{BinFilter, CustomerFilter, CustomerPatch, FieldChange, SaveTarget};
use scrm_domain::search::{TagMode, parse_terms};
use scrm_domain::{CustomerId, Scope, TagId};

use crate::contracts::fixture::{
    MAIN_A, MAIN_B, SUB1, SUB2, at, customer_ids, loaded, recycle_bin, save, soft_delete,
};
use crate::contracts::{RelationalPorts, page};

fn q(text: &str) -> CustomerFilter {
    CustomerFilter {
        terms: parse_terms(text),
        ..CustomerFilter::default()
    }
}

fn tagged(ids: &[i64], mode: TagMode) -> CustomerFilter {
    CustomerFilter {
        tag_ids: ids.iter().map(|t| TagId(*t)).collect(),
        tag_mode: mode,
        ..CustomerFilter::default()
    }
}

async fn ids(ctx: &RelationalPorts, scope: &Scope, f: &CustomerFilter) -> Vec<i64> {
    let (ids, total) = customer_ids(ctx, scope, f).await;
    assert_eq!(
        u64::try_from(ids.len()).unwrap(),
        total,
        "count equals the rows: {f:?}"
    );
    ids
}

pub async fn every_kind_of_term(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let cases: [(&str, &[i64]); 17] = [
        // Characters, as customerName: customer name, nickname, remark name.
        ("王", &[3001]),
        ("華哥", &[3002]),
        // Full pinyin and initials of any of the three names (traditional characters).
        ("wang", &[3001]),
        ("zhangwei", &[3003]),
        ("xiaoming", &[3001]),
        ("zhaomin", &[3005]),
        ("zlb", &[3005]),
        ("ZhaoLaoBan", &[3005]),
        // Non-Chinese characters stand for themselves in the spelling (小明_銷售).
        ("xm_xs", &[3001]),
        // Phone terms: 3 or more digits, separators and the +86 prefix dropped.
        ("8888", &[3005]),
        ("137-0000", &[3003]),
        ("+86-137", &[3003]),
        ("(020)8888", &[3005]),
        // Two digits are no phone term, and no name holds them.
        ("11", &[]),
        // Terms all match (AND), in any mix.
        ("wang 1111", &[3001]),
        ("wang 2222", &[]),
        ("li 139 華", &[3002]),
    ];
    for (text, expected) in cases {
        assert_eq!(ids(&ctx, &MAIN_A, &q(text)).await, expected, "q={text}");
    }
}

pub async fn q_combines_with_every_other_filter(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let with = |f: CustomerFilter| CustomerFilter {
        terms: parse_terms("zh"),
        ..f
    };
    // `zh` is in zhangsan/zhangwei (3003), zhaolaoban/zhaomin (3005) and, by the second
    // reading of 陳 (zhen), zhenjia (3004).
    assert_eq!(ids(&ctx, &MAIN_A, &q("zh")).await, [3005, 3004, 3003]);
    let cases: Vec<(CustomerFilter, Vec<i64>)> = vec![
        (with(tagged(&[12], TagMode::Any)), vec![3003]),
        (with(tagged(&[12], TagMode::None)), vec![3005, 3004]),
        (
            with(CustomerFilter {
                name: Some("趙".into()),
                ..CustomerFilter::default()
            }),
            vec![3005],
        ),
        (
            with(CustomerFilter {
                phone_digits: Some("3333".into()),
                ..CustomerFilter::default()
            }),
            vec![3003],
        ),
        (
            with(CustomerFilter {
                end: Some(at(2026, 1, 3, 0, 0, 0)),
                ..CustomerFilter::default()
            }),
            vec![3003],
        ),
    ];
    for (f, expected) in cases {
        assert_eq!(ids(&ctx, &MAIN_A, &f).await, expected, "{f:?}");
    }
}

pub async fn terms_never_reach_other_tenants_or_siblings(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
    // 王五 / 王乙 are tenant B's; 張偉 is sub-account 102's.
    assert_eq!(ids(&ctx, &MAIN_A, &q("wangwu")).await, Vec::<i64>::new());
    assert_eq!(ids(&ctx, &MAIN_B, &q("wangwu")).await, [3201]);
    assert_eq!(ids(&ctx, &MAIN_B, &q("1111")).await, [3201]);
    assert_eq!(ids(&ctx, &SUB1, &q("zhangwei")).await, Vec::<i64>::new());
    assert_eq!(ids(&ctx, &SUB2, &q("zhangwei")).await, [3003]);
    assert_eq!(ids(&ctx, &SUB1, &q("1111")).await, [3001]);
}

pub async fn tag_modes_any_all_none(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    let both = [11, 12];
    assert_eq!(
        ids(&ctx, &MAIN_A, &tagged(&both, TagMode::Any)).await,
        [3003, 3002, 3001]
    );
    assert_eq!(
        ids(&ctx, &MAIN_A, &tagged(&both, TagMode::All)).await,
        [3002]
    );
    assert_eq!(
        ids(&ctx, &MAIN_A, &tagged(&both, TagMode::None)).await,
        [3005, 3004]
    );
    assert_eq!(
        ids(&ctx, &SUB1, &tagged(&both, TagMode::None)).await,
        Vec::<i64>::new()
    );
    // Another tenant's tag is held by no customer of this scope.
    assert_eq!(
        ids(&ctx, &MAIN_A, &tagged(&[21], TagMode::None)).await,
        [3005, 3004, 3003, 3002, 3001]
    );
    assert_eq!(
        ids(&ctx, &MAIN_A, &tagged(&[11, 21], TagMode::All)).await,
        Vec::<i64>::new()
    );
    // Duplicated ids count once.
    assert_eq!(
        ids(&ctx, &MAIN_A, &tagged(&[12, 12], TagMode::All)).await,
        [3003, 3002]
    );
    let contacts = |mode| ContactTagQuery {
        tag_ids: vec![TagId(11), TagId(12)],
        tag_mode: mode,
        include_offline: true,
        ..ContactTagQuery::default()
    };
    let mut all: Vec<i64> = ctx
        .contacts
        .find_by_tags(&MAIN_A, &contacts(TagMode::All))
        .await
        .unwrap()
        .iter()
        .map(|c| c.id.0)
        .collect();
    all.sort_unstable();
    assert_eq!(all, [2002]);
    let mut none: Vec<i64> = ctx
        .contacts
        .find_by_tags(&MAIN_A, &contacts(TagMode::None))
        .await
        .unwrap()
        .iter()
        .map(|c| c.id.0)
        .collect();
    none.sort_unstable();
    assert_eq!(none, [2004, 2005, 2006]);
}

pub async fn the_recycle_bin_takes_q_and_tags(factory: impl AsyncFn() -> RelationalPorts) {
    let ctx = loaded(factory).await;
    for (id, minute) in [(3001, 1), (3003, 2), (3004, 3)] {
        assert!(soft_delete(&ctx, &MAIN_A, CustomerId(id), at(2026, 2, 1, 12, minute, 0)).await);
    }
    let bin = async |f: BinFilter| {
        let page = recycle_bin(&ctx, &MAIN_A, &f, page(1, 10)).await;
        let ids: Vec<i64> = page.items.iter().map(|r| r.id.0).collect();
        assert_eq!(u64::try_from(ids.len()).unwrap(), page.total);
        ids
    };
    assert_eq!(bin(BinFilter::default()).await, [3004, 3003, 3001]);
    let terms = |t: &str| BinFilter {
        terms: parse_terms(t),
        ..BinFilter::default()
    };
    assert_eq!(bin(terms("zhang")).await, [3003]);
    assert_eq!(bin(terms("1111")).await, [3001]);
    assert_eq!(bin(terms("zhaomin")).await, Vec::<i64>::new(), "live");
    let tags = |mode| BinFilter {
        tag_ids: vec![TagId(11), TagId(12)],
        tag_mode: mode,
        ..BinFilter::default()
    };
    assert_eq!(bin(tags(TagMode::Any)).await, [3003, 3001]);
    assert_eq!(bin(tags(TagMode::All)).await, Vec::<i64>::new());
    assert_eq!(bin(tags(TagMode::None)).await, [3004]);
    // Live lists never show binned customers.
    assert_eq!(ids(&ctx, &MAIN_A, &q("zhang")).await, Vec::<i64>::new());
}

pub async fn a_rename_or_new_phone_is_searchable_at_once(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
    assert_eq!(ids(&ctx, &MAIN_A, &q("xiaojie")).await, [3004]);
    let patch = CustomerPatch {
        customer_name: FieldChange::Set("Amy長".into()),
        customer_phone: FieldChange::Set("136-1111-2222".into()),
        phone_digits: Some("13611112222".into()),
        ..CustomerPatch::default()
    };
    save(
        &ctx,
        &MAIN_A,
        SaveTarget::Existing(CustomerId(3004), None),
        &patch,
        at(2026, 2, 1, 12, 0, 0),
    )
    .await;
    // The old name's spelling is gone (the contact's 陳佳 is still there).
    assert_eq!(ids(&ctx, &MAIN_A, &q("xiaojie")).await, Vec::<i64>::new());
    assert_eq!(ids(&ctx, &MAIN_A, &q("chenjia")).await, [3004]);
    // Latin letters case-insensitively, and every reading of 長.
    for text in ["amy", "AMY", "amychang", "amyzhang", "amyz", "6111"] {
        assert_eq!(ids(&ctx, &MAIN_A, &q(text)).await, [3004], "q={text}");
    }
    // Another tenant's search does not see it.
    assert_eq!(ids(&ctx, &MAIN_B, &q("amy")).await, Vec::<i64>::new());
}

/// Text compares lower-cased, then exactly: case does not matter, an accent or which emoji
/// does (MariaDB's `utf8mb4_general_ci` alone took `jose` for `José` and `😀` for `🎉`), for a
/// name, the remarks and a term of `q` alike. (The accents are in the remarks: a name with
/// one is a text the customer index leaves to SQL, and its suite asks the index to answer for
/// names made of ASCII, ideographs and emoji.)
pub async fn text_matches_by_case_alone_accents_and_emoji_count(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ctx = loaded(factory).await;
    let patch = CustomerPatch {
        customer_name: FieldChange::Set("Amy🎉派對".into()),
        remarks: FieldChange::Set("José Straße 生日🎂".into()),
        ..CustomerPatch::default()
    };
    let target = SaveTarget::Existing(CustomerId(3001), None);
    save(&ctx, &MAIN_A, target, &patch, at(2026, 2, 1, 0, 0, 0)).await;
    let by_name = |n: &str| CustomerFilter {
        name: Some(n.into()),
        ..CustomerFilter::default()
    };
    let by_remarks = |r: &str| CustomerFilter {
        remarks: Some(r.into()),
        ..CustomerFilter::default()
    };
    let found = [3001_i64];
    for (needle, want) in [
        ("AMY🎉", &found[..]),
        ("🎉", &found),
        ("🎉派", &found),
        ("😀", &[]),
        ("😀派", &[]),
        ("amy😀", &[]),
        ("\u{fffd}", &[]),
    ] {
        assert_eq!(
            ids(&ctx, &MAIN_A, &by_name(needle)).await,
            want,
            "name {needle}"
        );
        assert_eq!(ids(&ctx, &MAIN_A, &q(needle)).await, want, "q {needle}");
    }
    for (needle, want) in [
        ("JOSÉ", &found[..]),
        ("josé straße", &found),
        ("🎂", &found),
        ("jose", &[]),
        ("strasse", &[]),
        ("🍰", &[]),
    ] {
        assert_eq!(
            ids(&ctx, &MAIN_A, &by_remarks(needle)).await,
            want,
            "remarks {needle}"
        );
    }
}
