//! addManualTask: the spec's example (the phone as a JSON number), JSON and forms, the entry
//! reaching the repository, the spec's 400 text for every combination of missing fields, bad
//! values and 409.

use actix_web::http::StatusCode;
use scrm_domain::ManualEntryId;
use scrm_domain::manual::{AddOutcome, NewManualEntry};
use serde_json::{Map, Value, json};

use crate::fixtures::entry;
use crate::support::{Mocks, assert_error, call_json, enc, post_form, post_json, scope};

const ADD: &str = "/wechat_api/customer/addManualTask";

fn spec_entry() -> NewManualEntry {
    NewManualEntry {
        customer_name: "ceshi".into(),
        customer_phone: "18750928186".into(),
        phone_digits: "18750928186".into(),
        phone_geo: "廈門".into(),
        ..NewManualEntry::default()
    }
}

fn expect_add(mocks: &mut Mocks, want: NewManualEntry) {
    mocks
        .entries
        .expect_add()
        .withf(move |s, e, _| *s == scope() && *e == want)
        .times(1)
        .returning(|_, _, _| Ok(AddOutcome::Added(Box::new(entry(20_026, -1)))));
}

#[actix_web::test]
async fn add_manual_task_takes_the_spec_example_as_json_and_form() {
    let requests = [
        post_json(
            ADD,
            &json!({"customerName": "ceshi", "customerPhone": 18_750_928_186_i64, "phoneGeo": "廈門"}),
        ),
        post_json(
            ADD,
            &json!({"customerName": "ceshi", "customerPhone": "18750928186", "phoneGeo": "廈門",
                    "address": "", "nickName": "", "xfield1": "", "v1": ""}),
        ),
        post_form(
            ADD,
            &format!(
                "customerName=ceshi&customerPhone=18750928186&phoneGeo={}&tags=",
                enc("廈門")
            ),
        ),
    ];
    for req in requests {
        let mut mocks = Mocks::new();
        expect_add(&mut mocks, spec_entry());
        let (status, body) = call_json(mocks, req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"code": 200, "msg": "操作成功!", "data": null}));
    }
}

#[actix_web::test]
async fn add_manual_task_passes_every_optional_field() {
    let mut want = NewManualEntry {
        address: Some("思明區".into()),
        nick_name: Some("個性1".into()),
        user_name: Some("wxid_001".into()),
        company: Some("公司1".into()),
        tags: Some("VIP,老客".into()),
        remarks: Some("備注".into()),
        v1: Some("v1".into()),
        ..spec_entry()
    };
    want.xfields[0] = Some("x1".into());
    want.xfields[9] = Some("10".into());
    let mut mocks = Mocks::new();
    expect_add(&mut mocks, want);
    let body = json!({
        "customerName": " ceshi ", "customerPhone": 18_750_928_186_i64, "phoneGeo": "廈門",
        "address": "思明區", "nickName": "個性1", "userName": "wxid_001", "company": "公司1",
        "tags": "VIP,老客", "remarks": "備注", "v1": "v1", "xfield1": "x1", "xfield10": 10
    });
    let (status, body) = call_json(mocks, post_json(ADD, &body)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[actix_web::test]
async fn add_manual_task_names_exactly_the_missing_fields() {
    let fields = [
        (
            "customerPhone",
            json!(18_750_928_186_i64),
            "聯系方式不能為空",
        ),
        ("customerName", json!("ceshi"), "客戶姓名不能為空"),
        ("phoneGeo", json!("廈門"), "所在地區不能為空"),
    ];
    for mask in 0..7_u8 {
        let mut present = Map::new();
        let mut form = Vec::new();
        let mut msg = String::new();
        for (bit, (name, value, missing)) in fields.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                present.insert((*name).into(), value.clone());
                form.push(format!(
                    "{name}={}",
                    enc(&value.to_string().replace('"', ""))
                ));
            } else {
                // Absent in JSON, empty in the form.
                form.push(format!("{name}="));
                msg.push_str(missing);
            }
        }
        let (status, body) = call_json(Mocks::new(), post_json(ADD, &Value::Object(present))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &msg);
        let (status, body) = call_json(Mocks::new(), post_form(ADD, &form.join("&"))).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, &msg);
    }
    let (status, body) = call_json(Mocks::new(), post_json(ADD, &json!({}))).await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "聯系方式不能為空客戶姓名不能為空所在地區不能為空",
    );
}

#[actix_web::test]
async fn add_manual_task_names_bad_values_and_maps_a_duplicate_to_409() {
    let base = json!({"customerName": "ceshi", "phoneGeo": "廈門"});
    for (extra, msg) in [
        (
            json!({"customerPhone": "12"}),
            "customerPhone: must be a phone number of 5 to 20 digits",
        ),
        (
            json!({"customerPhone": "1", "tags": [1]}),
            "tags: must be one value, not a list",
        ),
        (
            json!({"customerPhone": "18750928186", "xfield3": {"a": 1}}),
            "xfield3: must be a string",
        ),
    ] {
        let mut body = base.clone();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let (status, got) = call_json(Mocks::new(), post_json(ADD, &body)).await;
        assert_error(status, &got, StatusCode::BAD_REQUEST, msg);
    }
    let mut mocks = Mocks::new();
    mocks
        .entries
        .expect_add()
        .returning(|_, _, _| Ok(AddOutcome::DuplicatePhone(ManualEntryId(7))));
    let req = post_form(
        ADD,
        &format!(
            "customerName=a&customerPhone=18750928186&phoneGeo={}",
            enc("廈門")
        ),
    );
    let (status, body) = call_json(mocks, req).await;
    assert_error(
        status,
        &body,
        StatusCode::CONFLICT,
        "customerPhone: already on this call list as entry 7",
    );
}
