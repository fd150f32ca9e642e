//! Every benchmark case in one place: who sends it, the request scrm gets, and the floor
//! operation (`floors`) it is measured against.

use crate::params::{Conversation, Params};

/// Rows per page in every paged case.
pub const PAGE_LIMIT: u64 = 20;

/// Who sends the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// The main account of the big tenant: scope `tenant_id = ?`.
    Main,
    /// Its sub-account with the most customers: scope `admin_user_id = ?`.
    Sub,
}

/// One filter of customerPage.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    None,
    /// `customerName`: contained in one of three columns.
    Name(String),
    /// `customerPhone`: digits contained in the phone digits.
    PhoneDigits(String),
    /// `tagIds` with one tag.
    Tag(i64),
}

/// The work of one floor operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Floor {
    /// getCustomerInfoByCall: customers by phone, then pool entries, then hand-entered ones.
    CallByPhone { digits: String },
    /// customerPage: count, the page's ids, then the records of those ids.
    CustomerPage { filter: Filter, page_no: u64 },
    /// getManualTaskList: the distinct count and the grouped page.
    ManualList,
    /// getManualTaskDetail: count and page of one assignee's entries.
    ManualDetail { assignee: i64 },
    /// getRedisMessageRecord: the conversations of the scope (SQL), then three pipelines.
    MessagePage { conversations: Vec<Conversation> },
    /// downLoad: `mariadb --batch` of `EXPORT_SQL`, rows per second.
    Export,
}

/// One case variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Its name in the table and results.json.
    pub name: String,
    /// The case number of the issue (1 to 10); its target ratio follows from it.
    pub group: u8,
    pub login: Login,
    /// Path and query of the request to scrm.
    pub path: String,
    pub floor: Floor,
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn page_case(name: &str, group: u8, login: Login, filter: Filter, page_no: u64) -> Case {
    let query = match &filter {
        Filter::None => String::new(),
        Filter::Name(n) => format!("customerName={}&", enc(n)),
        Filter::PhoneDigits(d) => format!("customerPhone={}&", enc(d)),
        Filter::Tag(t) => format!("tagIds={t}&"),
    };
    Case {
        name: name.to_owned(),
        group,
        login,
        path: format!(
            "/wechat_api/customer/customerPage?{query}pageNo={page_no}&limit={PAGE_LIMIT}"
        ),
        floor: Floor::CustomerPage { filter, page_no },
    }
}

fn call_case(name: &str, raw: &str, digits: &str) -> Case {
    Case {
        name: name.to_owned(),
        group: 1,
        login: Login::Main,
        path: format!(
            "/wechat_api/customer/getCustomerInfoByCall?phone={}",
            enc(raw)
        ),
        floor: Floor::CallByPhone {
            digits: digits.to_owned(),
        },
    }
}

fn message_case(name: &str, conversations: &[Conversation]) -> Case {
    let join = |f: fn(&Conversation) -> i64| {
        conversations
            .iter()
            .map(|c| f(c).to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    Case {
        name: name.to_owned(),
        group: 10,
        login: Login::Main,
        path: format!(
            "/wechat_api/message/getRedisMessageRecord?wechatUserIds={}&wechatContactIds={}&pageNo=1&limit={PAGE_LIMIT}",
            enc(&join(|c| c.wechat_user_id)),
            enc(&join(|c| c.wechat_contact_id)),
        ),
        floor: Floor::MessagePage {
            conversations: conversations.to_vec(),
        },
    }
}

/// The cases of the issue for the resolved parameters, in order.
pub fn cases(p: &Params) -> Vec<Case> {
    let formatted = format_cn(&p.phone_hit);
    let deep = format!("customerPage page {}", p.deep_page);
    let main_pages = [
        ("customerPage + count", 2, Filter::None, 1),
        (
            "name: common surname",
            3,
            Filter::Name(p.surname.clone()),
            1,
        ),
        ("name: rare name", 3, Filter::Name(p.rare_name.clone()), 1),
        (
            "name: two characters",
            3,
            Filter::Name(p.two_char_name.clone()),
            1,
        ),
        ("tag: most popular", 4, Filter::Tag(p.tag_popular), 1),
        ("tag: rare", 4, Filter::Tag(p.tag_rare), 1),
        (
            "phone suffix (4 digits)",
            5,
            Filter::PhoneDigits(p.phone_suffix.clone()),
            1,
        ),
        (deep.as_str(), 6, Filter::None, p.deep_page),
    ];
    let mut cases = vec![
        call_case("call: phone hits", &p.phone_hit, &p.phone_hit),
        call_case("call: phone misses", &p.phone_miss, &p.phone_miss),
        call_case("call: +86 formatted", &formatted, &p.phone_hit),
    ];
    cases.extend(
        main_pages
            .into_iter()
            .map(|(name, group, filter, page_no)| {
                page_case(name, group, Login::Main, filter, page_no)
            }),
    );
    cases.push(page_case(
        "customerPage as sub-account",
        7,
        Login::Sub,
        Filter::None,
        1,
    ));
    cases.extend([
        Case {
            name: "downLoad whole tenant (rows/s)".to_owned(),
            group: 8,
            login: Login::Main,
            path: "/wechat_api/customer/downLoad".to_owned(),
            floor: Floor::Export,
        },
        Case {
            name: "getManualTaskList".to_owned(),
            group: 9,
            login: Login::Main,
            path: format!("/wechat_api/customer/getManualTaskList?pageNo=1&limit={PAGE_LIMIT}"),
            floor: Floor::ManualList,
        },
        Case {
            name: "getManualTaskDetail".to_owned(),
            group: 9,
            login: Login::Main,
            path: format!(
                "/wechat_api/customer/getManualTaskDetail?adminUserId={}&pageNo=1&limit={PAGE_LIMIT}",
                p.manual_assignee
            ),
            floor: Floor::ManualDetail {
                assignee: p.manual_assignee,
            },
        },
        message_case(
            "messages: 1 conversation",
            &p.conversations[..1.min(p.conversations.len())],
        ),
        message_case("messages: merged over 10", &p.conversations),
    ]);
    cases
}

/// `13912345678` as `+86 139 1234 5678`.
pub fn format_cn(digits: &str) -> String {
    if digits.len() != 11 || !digits.is_ascii() {
        return format!("+86 {digits}");
    }
    format!("+86 {} {} {}", &digits[..3], &digits[3..7], &digits[7..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_paths() {
        assert_eq!(format_cn("13912345678"), "+86 139 1234 5678");
        assert_eq!(enc("+86 王-1"), "%2B86%20%E7%8E%8B%2D1");
    }

    #[test]
    fn every_case_number_is_covered_with_main_and_sub_scopes() {
        let p = Params::example();
        let cases = cases(&p);
        let mut groups: Vec<u8> = cases.iter().map(|c| c.group).collect();
        groups.dedup();
        assert_eq!(groups, (1..=10).collect::<Vec<u8>>());
        let sub = cases.iter().filter(|c| c.login == Login::Sub).count();
        assert_eq!(sub, 1);
        let deep = cases.iter().find(|c| c.group == 6).map(|c| c.path.clone());
        assert_eq!(
            deep.as_deref(),
            Some("/wechat_api/customer/customerPage?pageNo=7&limit=20")
        );
    }
}
