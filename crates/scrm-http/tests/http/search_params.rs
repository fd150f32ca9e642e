//! `q` and `tagMode` (issue 17) on customerPage, downLoad, recycleBin and findcontactbytagAll:
//! absent means "not given" (no terms, `any`); a bad `tagMode` or a `q` over 100 characters
//! is a 400 naming the parameter that reaches no store (the mocks of the bad cases expect
//! nothing, so a call would fail the test).

use actix_web::http::StatusCode;
use scrm_domain::search::TagMode;

use crate::expecting;
use crate::support::{Mocks, assert_error, call, call_json, enc, get};

const ENDPOINTS: [&str; 4] = [
    "/wechat_api/customer/customerPage",
    "/wechat_api/customer/downLoad",
    "/wechat_api/customer/recycleBin",
    "/wechat_api/customer/findcontactbytagAll",
];

#[actix_web::test]
async fn a_bad_tag_mode_is_a_400_naming_it_on_every_endpoint() {
    for path in ENDPOINTS {
        for bad in ["some", "1", "any,all"] {
            let uri = format!("{path}?tagIds=1&tagMode={}", enc(bad));
            let (status, body) = call_json(Mocks::new(), get(&uri)).await;
            assert_error(
                status,
                &body,
                StatusCode::BAD_REQUEST,
                "tagMode: must be any, all or none",
            );
        }
    }
}

#[actix_web::test]
async fn a_q_over_100_characters_is_a_400_naming_it() {
    for path in &ENDPOINTS[..3] {
        let long = "王".repeat(101);
        let uri = format!("{path}?q={}", enc(&long));
        let (status, body) = call_json(Mocks::new(), get(&uri)).await;
        assert_error(
            status,
            &body,
            StatusCode::BAD_REQUEST,
            "q: at most 100 characters",
        );
    }
}

#[actix_web::test]
async fn a_repeated_q_is_a_400_naming_it() {
    for path in &ENDPOINTS[..3] {
        let uri = format!("{path}?q=wang&q=li");
        let (status, body) = call_json(Mocks::new(), get(&uri)).await;
        assert_error(
            status,
            &body,
            StatusCode::BAD_REQUEST,
            "q: must be one value, not a list",
        );
    }
}

/// downLoad's mocks expecting no terms and `any`.
fn download_any() -> Mocks {
    expecting::export(|f| f.terms.is_empty() && f.tag_mode == TagMode::Any)
}

/// recycleBin's mocks expecting no terms and `any`.
fn recycle_bin_any() -> Mocks {
    expecting::recycle_bin(|f| f.terms.is_empty() && f.tag_mode == TagMode::Any)
}

/// findcontactbytagAll's mocks expecting `any`.
fn find_contacts_any() -> Mocks {
    expecting::contacts(|q| q.tag_mode == TagMode::Any)
}

/// The other endpoints read a blank `q` and `tagMode` as customerPage does.
#[actix_web::test]
async fn blank_means_no_terms_and_any_on_every_endpoint() {
    let expecting: [fn() -> Mocks; 3] = [download_any, recycle_bin_any, find_contacts_any];
    for (path, mocks) in ENDPOINTS[1..].iter().zip(expecting) {
        let uri = format!("{path}?q=%20&tagMode=&tagIds=1");
        let (status, _, body) = call(mocks(), get(&uri)).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&body)
        );
    }
}

#[actix_web::test]
async fn absent_or_blank_means_no_terms_and_any() {
    let mocks = expecting::page(|f| f.terms.is_empty() && f.tag_mode == TagMode::Any);
    let (status, body) = call_json(
        mocks,
        get("/wechat_api/customer/customerPage?q=%20&tagMode="),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mocks = expecting::page(|f| {
        f.terms.len() == 1 && f.terms[0].text == "王".repeat(100) && f.tag_mode == TagMode::Any
    });
    let uri = format!(
        "/wechat_api/customer/customerPage?q={}",
        enc(&"王".repeat(100))
    );
    let (status, body) = call_json(mocks, get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[actix_web::test]
async fn find_contact_by_tag_takes_the_mode() {
    let mocks = expecting::contacts(|q| q.tag_mode == TagMode::All && q.tag_ids.len() == 2);
    let (status, body) = call_json(
        mocks,
        get("/wechat_api/customer/findcontactbytagAll?tagIds=1,2&tagMode=ALL"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
