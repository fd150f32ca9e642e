//! The `DirectoryRepository` contract: what a scope can pick from (accounts, departments,
//! WeChat accounts, tags), each ordered by id, and nothing of another tenant or sibling.

use scrm_domain::directory::{AccountSummary, Directory};
use scrm_domain::{AdminUserId, DepartmentId, Scope, TagId, WechatUserId};

use crate::contracts::RelationalPorts;
use crate::contracts::fixture::{MAIN_A, MAIN_B, SUB1, SUB2, loaded};

async fn directory(ports: &RelationalPorts, scope: &Scope) -> Directory {
    ports.directory.directory(scope).await.unwrap().unwrap()
}

fn ids<T, I: Copy>(items: &[T], id: impl Fn(&T) -> I) -> Vec<I> {
    items.iter().map(id).collect()
}

pub async fn a_main_account_sees_its_tenant(factory: impl AsyncFn() -> RelationalPorts) {
    let ports = loaded(factory).await;
    let d = directory(&ports, &MAIN_A).await;
    assert_eq!(
        d.tenant,
        AccountSummary {
            id: AdminUserId(100),
            login_name: "a_main".into(),
            real_name: "甲公司".into(),
            parent_id: None,
            depart_id: None,
        }
    );
    assert_eq!(
        ids(&d.accounts, |a| a.id.0),
        [100, 101, 102],
        "{:?}",
        d.accounts
    );
    assert_eq!(d.accounts[1].real_name, "銷售一");
    assert_eq!(d.accounts[1].parent_id, Some(AdminUserId(100)));
    assert_eq!(d.accounts[1].depart_id, Some(DepartmentId(10)));
    assert_eq!(ids(&d.departments, |x| x.id), [DepartmentId(10)]);
    assert_eq!(d.departments[0].name.as_deref(), Some("電銷一部"));
    assert_eq!(
        ids(&d.wechat_users, |w| w.id),
        [WechatUserId(1000), WechatUserId(1001), WechatUserId(1002)]
    );
    let offline = &d.wechat_users[2];
    assert_eq!(offline.admin_user_id, AdminUserId(102));
    assert_eq!(offline.uin.as_deref(), Some("u1002"));
    assert_eq!(offline.user_name.as_deref(), Some("wxid_s2"));
    assert_eq!(offline.nick_name.as_deref(), Some("銷售二號"));
    assert!(!offline.is_online);
    assert!(d.wechat_users[1].is_online);
    assert_eq!(ids(&d.tags, |t| t.id), [TagId(11), TagId(12), TagId(13)]);
    assert_eq!(d.tags[2].name.as_deref(), Some("50%折扣"));
}

pub async fn a_sub_account_sees_only_its_own(factory: impl AsyncFn() -> RelationalPorts) {
    let ports = loaded(factory).await;
    let d = directory(&ports, &SUB1).await;
    assert_eq!(d.tenant.id, AdminUserId(100));
    assert_eq!(ids(&d.accounts, |a| a.id.0), [101]);
    assert_eq!(ids(&d.departments, |x| x.id), [DepartmentId(10)]);
    assert_eq!(ids(&d.wechat_users, |w| w.id), [WechatUserId(1001)]);
    // Tags belong to the tenant.
    assert_eq!(ids(&d.tags, |t| t.id), [TagId(11), TagId(12), TagId(13)]);

    let d = directory(&ports, &SUB2).await;
    assert_eq!(ids(&d.accounts, |a| a.id.0), [102]);
    assert!(d.departments.is_empty(), "{:?}", d.departments);
    assert_eq!(ids(&d.wechat_users, |w| w.id), [WechatUserId(1002)]);
}

pub async fn another_tenant_is_apart_and_a_missing_tenant_is_none(
    factory: impl AsyncFn() -> RelationalPorts,
) {
    let ports = loaded(factory).await;
    let d = directory(&ports, &MAIN_B).await;
    assert_eq!(d.tenant.login_name, "b_main");
    assert_eq!(ids(&d.accounts, |a| a.id.0), [200]);
    assert!(d.departments.is_empty());
    assert_eq!(ids(&d.wechat_users, |w| w.id), [WechatUserId(1201)]);
    assert_eq!(ids(&d.tags, |t| t.id), [TagId(21)]);

    // A scope naming a tenant that is not a main account, or no account at all.
    let forged = Scope {
        account: AdminUserId(101),
        tenant: AdminUserId(101),
    };
    assert!(ports.directory.directory(&forged).await.unwrap().is_none());
    let gone = Scope::for_account(AdminUserId(9999), None);
    assert!(ports.directory.directory(&gone).await.unwrap().is_none());
}
