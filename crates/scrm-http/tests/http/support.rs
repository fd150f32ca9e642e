//! Test support: the app over the domain's mocks, request builders, sample records and JSON
//! shape assertions.
//!
//! The session mock answers a lookup only after yielding to the runtime once, as Redis does:
//! `Caller` is still pending while the other extractors of a handler run, which is the order
//! the real server sees (a test over an instant session store would hide an extractor that
//! answers before the caller is known).

use std::sync::Arc;

use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test::{self, TestRequest};
use actix_web::web::Bytes;
use actix_web::{App, web};
use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use scrm_domain::account::{MockAccountRepository, MockPasswordHasher};
use scrm_domain::call::{CallService, MockCallerLookup};
use scrm_domain::contact::{ContactProfile, ContactRecord, ContactService, MockContactRepository};
use scrm_domain::customer::{
    CustomerRecord, CustomerService, MockCustomerIndex, MockCustomerRepository,
};
use scrm_domain::directory::{DirectoryService, MockDirectoryRepository};
use scrm_domain::health::{HealthProbe, MockHealthProbe};
use scrm_domain::manual::{ManualEntryService, MockFriendRequestQueue, MockManualEntryRepository};
use scrm_domain::message::{ChatService, MockMessageStore};
use scrm_domain::session::{AuthService, MockSessionStore, SessionData, SessionStore};
use scrm_domain::throttle::MockLoginThrottle;
use scrm_domain::{
    AdminUserId, ContactId, CustomerId, Page, Scope, StoreError, TagId, WechatUserId,
};
use scrm_http::{AppState, Metrics, PoolGauge};
use serde_json::Value;

/// The token the session mock knows.
pub const TOKEN: &str = "good-token";

/// The caller behind `TOKEN`: a main account (tenant 1).
pub fn scope() -> Scope {
    Scope::for_account(AdminUserId(1), None)
}

pub fn zone() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// 2019-08-07 15:55:17.924 +08:00.
pub fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(1_565_164_517_924).expect("valid time")
}

/// Every port as a mock; tests set expectations, then build the app.
pub struct Mocks {
    pub accounts: MockAccountRepository,
    pub sessions: MockSessionStore,
    pub hasher: MockPasswordHasher,
    /// Admits every login and takes every success unless a test replaces it.
    pub throttle: MockLoginThrottle,
    pub customers: MockCustomerRepository,
    /// The customer index (none, as with `SCRM_INDEX=off`, unless a test sets one).
    pub index: Option<MockCustomerIndex>,
    pub contacts: MockContactRepository,
    pub entries: MockManualEntryRepository,
    pub callers: MockCallerLookup,
    pub queue: MockFriendRequestQueue,
    pub messages: MockMessageStore,
    pub directory: MockDirectoryRepository,
    pub probes: Vec<MockHealthProbe>,
    /// The pools `/metrics` reports (none unless a test adds a fake).
    pub pools: Vec<Arc<dyn PoolGauge>>,
    /// Proxies whose `X-Forwarded-For` counts (none unless a test sets them).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Mocks {
    /// Mocks whose session store knows `TOKEN` (and nothing else).
    pub fn new() -> Self {
        let mut sessions = MockSessionStore::new();
        sessions.expect_get().returning(|token| {
            Ok((token == TOKEN).then_some(SessionData {
                admin_user_id: AdminUserId(1),
                tenant_id: AdminUserId(1),
            }))
        });
        Self::with_sessions(sessions)
    }

    /// `new()` whose customer store answers every page with `customer(1)` alone.
    pub fn with_one_customer() -> Self {
        let mut mocks = Self::new();
        mocks.customers.expect_page().returning(|_, _, _| {
            Ok(Page {
                items: vec![customer(1)],
                total: 1,
            })
        });
        mocks
    }

    /// Mocks with this session store.
    pub fn with_sessions(sessions: MockSessionStore) -> Self {
        Self {
            accounts: MockAccountRepository::new(),
            sessions,
            hasher: MockPasswordHasher::new(),
            throttle: admitting_throttle(),
            customers: MockCustomerRepository::new(),
            index: None,
            contacts: MockContactRepository::new(),
            entries: MockManualEntryRepository::new(),
            callers: MockCallerLookup::new(),
            queue: MockFriendRequestQueue::new(),
            messages: MockMessageStore::new(),
            directory: MockDirectoryRepository::new(),
            probes: Vec::new(),
            pools: Vec::new(),
            trusted_proxies: Vec::new(),
        }
    }

    pub fn state(self) -> web::Data<AppState> {
        let accounts = Arc::new(self.accounts);
        let customers = Arc::new(self.customers);
        let contacts = Arc::new(self.contacts);
        let entries = Arc::new(self.entries);
        web::Data::new(AppState {
            auth: Arc::new(AuthService::new(
                accounts.clone(),
                Arc::new(Deferred(self.sessions)),
                Arc::new(self.hasher),
                Arc::new(self.throttle),
            )),
            customers: Arc::new(match self.index {
                Some(index) => CustomerService::with_index(customers.clone(), Arc::new(index)),
                None => CustomerService::new(customers.clone()),
            }),
            contacts: Arc::new(ContactService::new(contacts.clone())),
            calls: Arc::new(CallService::new(accounts.clone(), Arc::new(self.callers))),
            manual: Arc::new(ManualEntryService::new(entries, Arc::new(self.queue))),
            chat: Arc::new(ChatService::new(
                accounts,
                contacts,
                Arc::new(self.messages),
            )),
            directory: Arc::new(DirectoryService::new(Arc::new(self.directory))),
            probes: self
                .probes
                .into_iter()
                .map(|p| Arc::new(p) as Arc<dyn HealthProbe>)
                .collect(),
            metrics: Metrics::new(),
            pools: self.pools,
            trusted_proxies: self.trusted_proxies,
            zone: zone(),
        })
    }
}

/// A session store that answers (as its mock says) only after yielding once, as a store
/// across the network does.
struct Deferred(MockSessionStore);

#[async_trait]
impl SessionStore for Deferred {
    async fn create(&self, data: SessionData) -> Result<String, StoreError> {
        self.0.create(data).await
    }

    async fn get(&self, token: &str) -> Result<Option<SessionData>, StoreError> {
        tokio::task::yield_now().await;
        self.0.get(token).await
    }

    async fn delete(&self, token: &str) -> Result<(), StoreError> {
        self.0.delete(token).await
    }

    async fn delete_account(&self, account: AdminUserId) -> Result<(), StoreError> {
        self.0.delete_account(account).await
    }

    fn ttl_secs(&self) -> u64 {
        self.0.ttl_secs()
    }
}

/// A throttle that admits every login attempt.
fn admitting_throttle() -> MockLoginThrottle {
    let mut throttle = MockLoginThrottle::new();
    throttle.expect_admit().returning(|_, _| Ok(None));
    throttle.expect_record_success().returning(|_, _| Ok(()));
    throttle
}

/// Sends one request to a fresh app over the mocks.
pub async fn send(mocks: Mocks, req: TestRequest) -> ServiceResponse {
    let state = mocks.state();
    let app =
        test::init_service(App::new().configure(|cfg| scrm_http::configure(cfg, state.clone())))
            .await;
    test::call_service(&app, req.to_request()).await
}

/// Status, headers and body of one request.
pub async fn call(mocks: Mocks, req: TestRequest) -> (StatusCode, HeaderMap, Bytes) {
    let resp = send(mocks, req).await;
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = test::read_body(resp).await;
    (status, headers, body)
}

/// Status and JSON body of one request.
pub async fn call_json(mocks: Mocks, req: TestRequest) -> (StatusCode, Value) {
    let (status, _, body) = call(mocks, req).await;
    let json = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&body)));
    (status, json)
}

fn authed(req: TestRequest) -> TestRequest {
    req.insert_header(("Authorization", format!("Bearer {TOKEN}")))
}

/// An authenticated GET of `uri` (path and query).
pub fn get(uri: &str) -> TestRequest {
    authed(TestRequest::get().uri(uri))
}

/// An authenticated POST with a JSON body.
pub fn post_json(uri: &str, body: &Value) -> TestRequest {
    authed(TestRequest::post().uri(uri)).set_json(body)
}

/// An authenticated POST with a form body (already encoded).
pub fn post_form(uri: &str, body: &str) -> TestRequest {
    authed(TestRequest::post().uri(uri))
        .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
        .set_payload(body.to_owned())
}

/// Percent-encodes a form/query value.
pub fn enc(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).expect("encodes")[2..].to_owned()
}

/// Asserts the error envelope: `code` = status, the message, `data: null`.
pub fn assert_error(status: StatusCode, body: &Value, expected: StatusCode, msg: &str) {
    assert_eq!(status, expected, "body: {body}");
    assert_eq!(body["code"], expected.as_u16(), "body: {body}");
    assert_eq!(body["msg"], msg, "body: {body}");
    assert!(body["data"].is_null(), "body: {body}");
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(3),
        "only code, msg, data: {body}"
    );
}

/// Asserts the spec's 503 envelope of a store that is down.
pub fn assert_unavailable(status: StatusCode, body: &Value) {
    assert_error(
        status,
        body,
        StatusCode::SERVICE_UNAVAILABLE,
        "服務暫時不可用,請稍後重試",
    );
}

/// A page with no items and no matches, what a mocked store answers when nothing matches.
pub fn empty_page<T>() -> Page<T> {
    Page {
        items: vec![],
        total: 0,
    }
}

/// The JSON type a key must have.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Num,
    Str,
    Null,
    Arr,
    Obj,
    /// A string, or null when the store has no value.
    StrOrNull,
}

/// Asserts that `obj` has exactly these keys with these types.
pub fn assert_shape(obj: &Value, expected: &[(&str, Kind)]) {
    let map = obj
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {obj}"));
    let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
    let mut want: Vec<&str> = expected.iter().map(|(k, _)| *k).collect();
    keys.sort_unstable();
    want.sort_unstable();
    assert_eq!(keys, want, "keys of {obj}");
    for (key, kind) in expected {
        let v = &map[*key];
        let ok = match kind {
            Kind::Num => v.is_i64() || v.is_u64(),
            Kind::Str => v.is_string(),
            Kind::Null => v.is_null(),
            Kind::Arr => v.is_array(),
            Kind::Obj => v.is_object(),
            Kind::StrOrNull => v.is_string() || v.is_null(),
        };
        assert!(ok, "{key} should be {kind:?}, is {v}");
    }
}

/// A customer with every field set.
pub fn customer(id: i64) -> CustomerRecord {
    let mut xfields: [Option<String>; 10] = Default::default();
    xfields[0] = Some("x1".into());
    xfields[9] = Some("=cmd|' /C calc'!A0".into());
    CustomerRecord {
        id: CustomerId(id),
        wechat_contact_id: ContactId(19_564_131),
        wechat_user_id: WechatUserId(13_806),
        admin_user_id: AdminUserId(1),
        customer_name: Some("售前-紅海".into()),
        customer_phone: Some("11111122222".into()),
        nick_name: Some("售前紅海".into()),
        remarks: Some("售前-紅海哥".into()),
        xfields,
        is_cust: 0,
        create_time: Utc
            .with_ymd_and_hms(2019, 8, 7, 7, 55, 17)
            .single()
            .expect("valid"),
        last_update_time: t0(),
        tags: vec![TagId(3), TagId(7)],
        tag_names: vec!["VIP".into(), "老客".into()],
        contact_nick_name: Some("紅海".into()),
        remark_name: Some("-備注".into()),
        head_img_url: Some("http://wx.qlogo.cn/x/132".into()),
        is_star: 1,
        wechat_user_nick_name: Some("你看那茶樹滿山".into()),
        customer_nick_name: Some("海哥".into()),
        deleted_at: None,
    }
}

/// A contact with every field set.
pub fn contact(id: i64) -> ContactRecord {
    ContactRecord {
        id: ContactId(id),
        wechat_user_id: WechatUserId(13_806),
        admin_user_id: AdminUserId(1),
        profile: ContactProfile {
            uin: Some("0".into()),
            user_name: Some("wxid_8twmv8pkgvox22".into()),
            nick_name: Some("售前-紅海".into()),
            remark_name: Some(String::new()),
            alias: Some("zzzslcn".into()),
            sex: Some("1".into()),
            head_img_url: Some("http://wx.qlogo.cn/x/132".into()),
            province: Some(String::new()),
            city: Some(String::new()),
            py_initial: Some("SQHH".into()),
            py_quan_pin: Some("shouqianhonghai".into()),
            remark_py_initial: Some(String::new()),
            remark_py_quan_pin: Some(String::new()),
            verify_flag: Some("0".into()),
            contact_flag: Some("3".into()),
            contact_type: 0,
            is_delete: 0,
            is_saving: 0,
            is_star: 1,
        },
        tags: vec![TagId(3)],
        create_time: t0(),
        wechat_user_name: Some("wxid_oo8w553uj5g612".into()),
        wechat_user_nick_name: Some("你看那茶樹滿山".into()),
        wechat_user_uin: Some("663329897".into()),
        customer_nick_name: None,
    }
}
