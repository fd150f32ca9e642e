//! The diesel table definitions of `migrations/` (TINYINT columns are read and written as
//! `Integer`: diesel's MySQL integer reads widen any integer width).

diesel::table! {
    admin_user (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        login_name -> Varchar,
        real_name -> Nullable<Varchar>,
        parent_id -> Nullable<BigInt>,
        depart_id -> Nullable<BigInt>,
        password_hash -> Nullable<Varchar>,
        is_open_after_call -> Integer,
    }
}

diesel::table! {
    department (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Nullable<Varchar>,
    }
}

diesel::table! {
    wechat_user (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        admin_user_id -> BigInt,
        uin -> Nullable<Varchar>,
        user_name -> Nullable<Varchar>,
        nick_name -> Nullable<Varchar>,
        alias -> Nullable<Varchar>,
        head_img_url -> Nullable<Varchar>,
        is_online -> Integer,
    }
}

diesel::table! {
    tag (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Nullable<Varchar>,
    }
}

diesel::table! {
    wechat_contact (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        admin_user_id -> BigInt,
        wechat_user_id -> BigInt,
        uin -> Nullable<Varchar>,
        user_name -> Nullable<Varchar>,
        nick_name -> Nullable<Varchar>,
        remark_name -> Nullable<Varchar>,
        alias -> Nullable<Varchar>,
        sex -> Nullable<Varchar>,
        head_img_url -> Nullable<Varchar>,
        province -> Nullable<Varchar>,
        city -> Nullable<Varchar>,
        py_initial -> Nullable<Varchar>,
        py_quan_pin -> Nullable<Varchar>,
        remark_py_initial -> Nullable<Varchar>,
        remark_py_quan_pin -> Nullable<Varchar>,
        verify_flag -> Nullable<Varchar>,
        contact_flag -> Nullable<Varchar>,
        contact_type -> Integer,
        is_delete -> Integer,
        is_saving -> Integer,
        is_star -> Integer,
        create_time -> Datetime,
    }
}

diesel::table! {
    contact_tag (contact_id, tag_id) {
        contact_id -> BigInt,
        tag_id -> BigInt,
        tenant_id -> BigInt,
        admin_user_id -> BigInt,
    }
}

diesel::table! {
    customer (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        admin_user_id -> BigInt,
        wechat_user_id -> BigInt,
        wechat_contact_id -> BigInt,
        customer_name -> Nullable<Varchar>,
        customer_phone -> Nullable<Varchar>,
        phone_digits -> Nullable<Varchar>,
        nick_name -> Nullable<Varchar>,
        remarks -> Nullable<Varchar>,
        xfield1 -> Nullable<Varchar>,
        xfield2 -> Nullable<Varchar>,
        xfield3 -> Nullable<Varchar>,
        xfield4 -> Nullable<Varchar>,
        xfield5 -> Nullable<Varchar>,
        xfield6 -> Nullable<Varchar>,
        xfield7 -> Nullable<Varchar>,
        xfield8 -> Nullable<Varchar>,
        xfield9 -> Nullable<Varchar>,
        xfield10 -> Nullable<Varchar>,
        is_cust -> Integer,
        create_time -> Datetime,
        last_update_time -> Datetime,
        deleted_at -> Nullable<Datetime>,
    }
}

diesel::table! {
    /// Exact counts of an account's live and binned customers (`customers/counts.rs`).
    customer_count (tenant_id, admin_user_id) {
        tenant_id -> BigInt,
        admin_user_id -> BigInt,
        live -> BigInt,
        binned -> BigInt,
    }
}

diesel::table! {
    /// The name grams of customerPage's name search (`customers/grams.rs`).
    customer_name_gram (customer_id, gram) {
        customer_id -> BigInt,
        gram -> Varchar,
        tenant_id -> BigInt,
    }
}

diesel::table! {
    /// The phone grams of customerPage's phone search (`customers/grams.rs`).
    customer_phone_gram (customer_id, gram) {
        customer_id -> BigInt,
        gram -> Char,
        tenant_id -> BigInt,
    }
}

diesel::table! {
    /// The pinyin spellings of the names, for `q` (`customers/grams.rs`).
    customer_spelling (customer_id, seq) {
        customer_id -> BigInt,
        seq -> SmallInt,
        spelling -> Varchar,
        tenant_id -> BigInt,
    }
}

diesel::table! {
    /// The grams of the spellings (`customers/grams.rs`).
    customer_spelling_gram (customer_id, gram) {
        customer_id -> BigInt,
        gram -> Varchar,
        tenant_id -> BigInt,
    }
}

diesel::table! {
    contact_nick_name (wechat_contact_id) {
        wechat_contact_id -> BigInt,
        tenant_id -> BigInt,
        cust_name -> Nullable<Varchar>,
        nick_name -> Nullable<Varchar>,
    }
}

diesel::table! {
    manual_entry (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        admin_user_id -> BigInt,
        task_id -> BigInt,
        order_num -> BigInt,
        customer_name -> Nullable<Varchar>,
        customer_phone -> Nullable<Varchar>,
        phone_digits -> Nullable<Varchar>,
        address -> Nullable<Varchar>,
        company -> Nullable<Varchar>,
        nick_name -> Nullable<Varchar>,
        user_name -> Nullable<Varchar>,
        uin -> Nullable<Varchar>,
        phone_geo -> Nullable<Varchar>,
        tags -> Nullable<Varchar>,
        remarks -> Nullable<Varchar>,
        v1 -> Nullable<Varchar>,
        xfields -> Nullable<Text>,
        dial_status -> Integer,
        add_status -> Integer,
        syn -> Integer,
        assign_time -> Nullable<Datetime>,
        create_time -> Datetime,
        last_update_time -> Datetime,
        deleted_at -> Nullable<Datetime>,
    }
}

diesel::joinable!(customer -> wechat_contact (wechat_contact_id));
diesel::joinable!(wechat_contact -> wechat_user (wechat_user_id));
diesel::joinable!(contact_tag -> tag (tag_id));
diesel::joinable!(contact_tag -> wechat_contact (contact_id));

diesel::table! {
    /// The customer index's change log, written by triggers (migrations
    /// `2026-12-06-000002_customer_change_log`, `2026-12-08-000001_manual_change_log`).
    customer_change (seq) {
        seq -> BigInt,
        tenant_id -> BigInt,
        customer_id -> Nullable<BigInt>,
        contact_id -> Nullable<BigInt>,
        created_at -> Datetime,
        manual_entry_id -> Nullable<BigInt>,
        lane -> Nullable<Integer>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    admin_user,
    department,
    wechat_user,
    tag,
    wechat_contact,
    contact_tag,
    customer,
    customer_count,
    customer_name_gram,
    customer_phone_gram,
    customer_change,
    customer_spelling,
    customer_spelling_gram,
    contact_nick_name,
    manual_entry,
);
