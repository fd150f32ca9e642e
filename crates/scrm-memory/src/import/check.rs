//! The column limits of the MySQL schema, checked on a plan before it is applied: a value the
//! database would refuse in strict mode (too long for its column, out of a TINYINT's range)
//! fails the whole import here too.

use scrm_domain::StoreError;
use scrm_domain::import::ImportPlan;

type Texts<'a> = [(&'static str, Option<&'a str>, usize)];

fn texts(table: &str, id: i64, columns: &Texts<'_>) -> Result<(), StoreError> {
    for (column, value, max) in columns {
        if value.is_some_and(|v| v.chars().count() > *max) {
            return Err(StoreError::Unexpected(format!(
                "import: {table} {id}: {column} is longer than {max} characters"
            )));
        }
    }
    Ok(())
}

fn tinyints(table: &str, id: i64, columns: &[(&'static str, i32)]) -> Result<(), StoreError> {
    for (column, value) in columns {
        if !(-128..=127).contains(value) {
            return Err(StoreError::Unexpected(format!(
                "import: {table} {id}: {column} {value} is out of range"
            )));
        }
    }
    Ok(())
}

/// Checks every value of the plan against its column.
pub(super) fn check(plan: &ImportPlan) -> Result<(), StoreError> {
    for a in &plan.accounts {
        let columns = [
            ("login_name", Some(a.login_name.as_str()), 64),
            ("real_name", a.real_name.as_deref(), 128),
            ("password_hash", a.password_hash.as_deref(), 255),
        ];
        texts("admin_user", a.id, &columns)?;
        tinyints(
            "admin_user",
            a.id,
            &[("is_open_after_call", a.is_open_after_call)],
        )?;
    }
    for d in &plan.departments {
        texts("department", d.id, &[("name", d.name.as_deref(), 128)])?;
    }
    for w in &plan.wechat_users {
        let columns = [
            ("uin", w.uin.as_deref(), 64),
            ("user_name", w.user_name.as_deref(), 128),
            ("nick_name", w.nick_name.as_deref(), 128),
            ("alias", w.alias.as_deref(), 128),
            ("head_img_url", w.head_img_url.as_deref(), 512),
        ];
        texts("wechat_user", w.id, &columns)?;
        tinyints("wechat_user", w.id, &[("is_online", w.is_online)])?;
    }
    for tag in &plan.tags {
        texts("tag", tag.id, &[("name", tag.name.as_deref(), 128)])?;
    }
    for c in &plan.contacts {
        let d = &c.doc;
        let columns = [
            ("uin", d.uin.as_deref(), 64),
            ("user_name", d.user_name.as_deref(), 128),
            ("nick_name", d.nick_name.as_deref(), 128),
            ("remark_name", d.remark_name.as_deref(), 128),
            ("alias", d.alias.as_deref(), 128),
            ("sex", d.sex.as_deref(), 8),
            ("head_img_url", d.head_img_url.as_deref(), 512),
            ("province", d.province.as_deref(), 64),
            ("city", d.city.as_deref(), 64),
            ("py_initial", d.py_initial.as_deref(), 128),
            ("py_quan_pin", d.py_quan_pin.as_deref(), 512),
            ("remark_py_initial", d.remark_py_initial.as_deref(), 128),
            ("remark_py_quan_pin", d.remark_py_quan_pin.as_deref(), 512),
            ("verify_flag", d.verify_flag.as_deref(), 16),
            ("contact_flag", d.contact_flag.as_deref(), 16),
        ];
        texts("wechat_contact", c.id, &columns)?;
        let flags = [
            ("is_delete", d.is_delete.unwrap_or(0)),
            ("is_saving", d.is_saving.unwrap_or(0)),
            ("is_star", d.is_star.unwrap_or(0)),
        ];
        tinyints("wechat_contact", c.id, &flags)?;
    }
    for c in &plan.customers {
        let mut columns = vec![
            ("customer_name", c.customer_name.as_deref(), 128),
            ("customer_phone", c.customer_phone.as_deref(), 32),
            ("phone_digits", c.phone_digits.as_deref(), 32),
            ("nick_name", c.nick_name.as_deref(), 128),
            ("remarks", c.remarks.as_deref(), 512),
        ];
        columns.extend(c.xfields.iter().map(|x| ("xfield", x.as_deref(), 255)));
        texts("customer", c.id, &columns)?;
    }
    for n in &plan.nick_names {
        let columns = [
            ("cust_name", n.cust_name.as_deref(), 128),
            ("nick_name", n.nick_name.as_deref(), 128),
        ];
        texts("contact_nick_name", n.wechat_contact_id, &columns)?;
    }
    for m in &plan.manual_entries {
        let columns = [
            ("customer_name", m.customer_name.as_deref(), 128),
            ("customer_phone", m.customer_phone.as_deref(), 32),
            ("phone_digits", m.phone_digits.as_deref(), 32),
            ("address", m.address.as_deref(), 512),
            ("company", m.company.as_deref(), 128),
            ("nick_name", m.nick_name.as_deref(), 128),
            ("user_name", m.user_name.as_deref(), 128),
            ("uin", m.uin.as_deref(), 64),
            ("phone_geo", m.phone_geo.as_deref(), 128),
            ("tags", m.tags.as_deref(), 512),
            ("remarks", m.remarks.as_deref(), 512),
            ("v1", m.v1.as_deref(), 512),
        ];
        texts("manual_entry", m.id.0, &columns)?;
        let flags = [
            ("dial_status", m.dial_status),
            ("add_status", m.add_status),
            ("syn", m.syn),
        ];
        tinyints("manual_entry", m.id.0, &flags)?;
    }
    Ok(())
}
