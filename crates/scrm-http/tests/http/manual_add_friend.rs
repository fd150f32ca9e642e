//! addManualTaskBeforeAddFriend: the spec's example (uin and userName as numbers or strings),
//! JSON and forms, the dial reaching the repository and the friend request queued, the entry
//! as `data`, the spec's 400 text for every combination of missing fields, 404 and 503.

use actix_web::http::StatusCode;
use scrm_domain::manual::{DialOutcome, DialRequest};
use scrm_domain::{AdminUserId, ManualEntryId, StoreError};
use serde_json::json;

use crate::fixtures::entry;
use crate::shapes::{assert_ok, entry_shape};
use crate::support::{
    Kind, Mocks, assert_error, assert_shape, assert_unavailable, call_json, enc, post_form,
    post_json, scope,
};

const BEFORE: &str = "/wechat_api/customer/addManualTaskBeforeAddFriend";

fn spec_dial(user_name: &str, v1: Option<&str>) -> DialRequest {
    DialRequest {
        customer_phone: "18756666666".into(),
        phone_digits: "18756666666".into(),
        uin: "496768729".into(),
        user_name: user_name.into(),
        v1: v1.map(str::to_owned),
    }
}

fn expect_dial(mocks: &mut Mocks, want: DialRequest) {
    let queued = want.clone();
    mocks
        .entries
        .expect_record_dial()
        .withf(move |s, d, _| *s == scope() && *d == want)
        .times(1)
        .returning(|_, _, _| Ok(DialOutcome::Saved(Box::new(entry(20_026, -1)))));
    mocks
        .queue
        .expect_enqueue()
        .withf(move |r| {
            r.entry_id == ManualEntryId(20_026)
                && r.uin == queued.uin
                && r.user_name == queued.user_name
                && r.v1 == queued.v1
                && r.account == AdminUserId(1)
                && r.time > 0
        })
        .times(1)
        .returning(|_| Ok("1-0".into()));
}

#[actix_web::test]
async fn add_before_friend_takes_the_spec_example_and_answers_the_entry() {
    let requests = [
        post_json(
            BEFORE,
            &json!({"customerPhone": "18756666666", "uin": "496768729", "userName": 18_756_666_666_i64}),
        ),
        post_json(
            BEFORE,
            &json!({"customerPhone": 18_756_666_666_i64, "uin": 496_768_729, "userName": "18756666666", "v1": ""}),
        ),
        post_form(
            BEFORE,
            "customerPhone=18756666666&uin=496768729&userName=18756666666",
        ),
        // userName defaults to the phone.
        post_json(
            BEFORE,
            &json!({"customerPhone": "18756666666", "uin": "496768729"}),
        ),
    ];
    for req in requests {
        let mut mocks = Mocks::new();
        expect_dial(&mut mocks, spec_dial("18756666666", None));
        let (status, body) = call_json(mocks, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_ok(&body, Kind::Obj, &[]);
        assert_shape(&body["data"], &entry_shape(Kind::Str));
        assert_eq!(body["data"]["customerId"], 20_026);
        assert_eq!(body["data"]["dialStatus"], 1);
    }
    let mut mocks = Mocks::new();
    expect_dial(&mut mocks, spec_dial("wxid_abc", Some("v1@stranger")));
    let req = post_form(
        BEFORE,
        &format!(
            "customerPhone=18756666666&uin=496768729&userName=wxid_abc&v1={}",
            enc("v1@stranger")
        ),
    );
    let (status, body) = call_json(mocks, req).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[actix_web::test]
async fn add_before_friend_names_exactly_the_missing_fields() {
    let cases = [
        (json!({}), "聯系方式目標微信號不能為空"),
        (
            json!({"userName": 18_756_666_666_i64}),
            "聯系方式目標微信號不能為空",
        ),
        (
            json!({"customerPhone": "", "uin": ""}),
            "聯系方式目標微信號不能為空",
        ),
        (json!({"uin": "496768729"}), "聯系方式不能為空"),
        (
            json!({"customerPhone": "18756666666"}),
            "目標微信號不能為空",
        ),
        (
            json!({"customerPhone": "18756666666", "uin": null}),
            "目標微信號不能為空",
        ),
    ];
    for (body, msg) in cases {
        let (status, got) = call_json(Mocks::new(), post_json(BEFORE, &body)).await;
        assert_error(status, &got, StatusCode::BAD_REQUEST, msg);
    }
    for (form, msg) in [
        ("customerPhone=&uin=", "聯系方式目標微信號不能為空"),
        ("uin=1", "聯系方式不能為空"),
        ("customerPhone=18756666666&uin=", "目標微信號不能為空"),
    ] {
        let (status, got) = call_json(Mocks::new(), post_form(BEFORE, form)).await;
        assert_error(status, &got, StatusCode::BAD_REQUEST, msg);
    }
    let (status, got) = call_json(
        Mocks::new(),
        post_json(BEFORE, &json!({"customerPhone": "abc", "uin": "1"})),
    )
    .await;
    assert_error(
        status,
        &got,
        StatusCode::BAD_REQUEST,
        "customerPhone: must be a phone number of 5 to 20 digits",
    );
}

#[actix_web::test]
async fn add_before_friend_maps_an_unknown_uin_to_404_and_a_queue_outage_to_503() {
    let mut mocks = Mocks::new();
    mocks
        .entries
        .expect_record_dial()
        .returning(|_, _, _| Ok(DialOutcome::UnknownWechatAccount));
    mocks.queue.expect_enqueue().never();
    let req = post_json(BEFORE, &json!({"customerPhone": "18756666666", "uin": "1"}));
    let (status, body) = call_json(mocks, req).await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "wechatUser not found");

    let mut mocks = Mocks::new();
    mocks
        .entries
        .expect_record_dial()
        .returning(|_, _, _| Ok(DialOutcome::Saved(Box::new(entry(1, -1)))));
    mocks
        .queue
        .expect_enqueue()
        .returning(|_| Err(StoreError::Unavailable("redis down".into())));
    let req = post_json(
        BEFORE,
        &json!({"customerPhone": "18756666666", "uin": "496768729"}),
    );
    let (status, body) = call_json(mocks, req).await;
    assert_unavailable(status, &body);
}
