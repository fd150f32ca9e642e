-- The whole schema of the customer query module (DESIGN section 3).
-- Every row that belongs to a tenant carries `tenant_id` (the main account's id) and, where
-- data belongs to an account, `admin_user_id`, so a scope is one equality and every query is
-- reached by tenant (ready for TiDB/Vitess sharding). Times are UTC DATETIME(3).
-- No foreign keys: integrity is kept by the import plan and the repositories, and sharded
-- engines do not enforce them.

CREATE TABLE admin_user (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  login_name VARCHAR(64) NOT NULL,
  real_name VARCHAR(128) NULL,
  parent_id BIGINT NULL,
  depart_id BIGINT NULL,
  password_hash VARCHAR(255) NULL,
  is_open_after_call TINYINT NOT NULL DEFAULT 0,
  UNIQUE KEY uk_admin_user_login (login_name),
  KEY idx_admin_user_tenant (tenant_id, id),
  KEY idx_admin_user_depart (depart_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE department (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  name VARCHAR(128) NULL,
  KEY idx_department_tenant (tenant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE wechat_user (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  admin_user_id BIGINT NOT NULL,
  uin VARCHAR(64) NULL,
  user_name VARCHAR(128) NULL,
  nick_name VARCHAR(128) NULL,
  alias VARCHAR(128) NULL,
  head_img_url VARCHAR(512) NULL,
  is_online TINYINT NOT NULL DEFAULT 0,
  KEY idx_wechat_user_tenant (tenant_id),
  KEY idx_wechat_user_admin (admin_user_id),
  KEY idx_wechat_user_uin (tenant_id, uin)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE tag (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  name VARCHAR(128) NULL,
  KEY idx_tag_tenant (tenant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

CREATE TABLE wechat_contact (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  admin_user_id BIGINT NOT NULL,
  wechat_user_id BIGINT NOT NULL,
  uin VARCHAR(64) NULL,
  user_name VARCHAR(128) NULL,
  nick_name VARCHAR(128) NULL,
  remark_name VARCHAR(128) NULL,
  alias VARCHAR(128) NULL,
  sex VARCHAR(8) NULL,
  head_img_url VARCHAR(512) NULL,
  province VARCHAR(64) NULL,
  city VARCHAR(64) NULL,
  py_initial VARCHAR(128) NULL,
  py_quan_pin VARCHAR(512) NULL,
  remark_py_initial VARCHAR(128) NULL,
  remark_py_quan_pin VARCHAR(512) NULL,
  verify_flag VARCHAR(16) NULL,
  contact_flag VARCHAR(16) NULL,
  contact_type INT NOT NULL DEFAULT 0,
  is_delete TINYINT NOT NULL DEFAULT 0,
  is_saving TINYINT NOT NULL DEFAULT 0,
  is_star TINYINT NOT NULL DEFAULT 0,
  create_time DATETIME(3) NOT NULL,
  KEY idx_contact_wechat_user (wechat_user_id, id),
  KEY idx_contact_tenant (tenant_id, id),
  KEY idx_contact_admin (admin_user_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- A contact's tags (a customer's tags are its contact's), with the contact's owner copied in.
CREATE TABLE contact_tag (
  contact_id BIGINT NOT NULL,
  tag_id BIGINT NOT NULL,
  tenant_id BIGINT NOT NULL,
  admin_user_id BIGINT NOT NULL,
  PRIMARY KEY (contact_id, tag_id),
  KEY idx_contact_tag_tenant (tenant_id, tag_id, contact_id),
  KEY idx_contact_tag_admin (admin_user_id, tag_id, contact_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- The CRM profile of a contact. `deleted_at` set = in the recycle bin.
CREATE TABLE customer (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  admin_user_id BIGINT NOT NULL,
  wechat_user_id BIGINT NOT NULL,
  wechat_contact_id BIGINT NOT NULL,
  customer_name VARCHAR(128) NULL,
  customer_phone VARCHAR(32) NULL,
  phone_digits VARCHAR(32) NULL,
  phone_digits_rev VARCHAR(32) NULL,
  nick_name VARCHAR(128) NULL,
  remarks VARCHAR(512) NULL,
  xfield1 VARCHAR(255) NULL,
  xfield2 VARCHAR(255) NULL,
  xfield3 VARCHAR(255) NULL,
  xfield4 VARCHAR(255) NULL,
  xfield5 VARCHAR(255) NULL,
  xfield6 VARCHAR(255) NULL,
  xfield7 VARCHAR(255) NULL,
  xfield8 VARCHAR(255) NULL,
  xfield9 VARCHAR(255) NULL,
  xfield10 VARCHAR(255) NULL,
  is_cust INT NOT NULL DEFAULT 0,
  create_time DATETIME(3) NOT NULL,
  last_update_time DATETIME(3) NOT NULL,
  deleted_at DATETIME(3) NULL,
  UNIQUE KEY uk_customer_contact (wechat_contact_id),
  KEY idx_customer_tenant_list (tenant_id, deleted_at, create_time, id),
  KEY idx_customer_admin_list (admin_user_id, deleted_at, create_time, id),
  KEY idx_customer_tenant_phone (tenant_id, phone_digits),
  KEY idx_customer_tenant_phone_rev (tenant_id, phone_digits_rev)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- The personal form of address (個性稱呼) of a contact.
CREATE TABLE contact_nick_name (
  wechat_contact_id BIGINT NOT NULL PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  cust_name VARCHAR(128) NULL,
  nick_name VARCHAR(128) NULL,
  KEY idx_nick_name_tenant (tenant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- Call-list rows. task_id -1 = entered by hand, > 0 = assigned from a pool task.
-- xfield1..xfield10 are kept as one JSON array (never filtered on).
CREATE TABLE manual_entry (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id BIGINT NOT NULL,
  admin_user_id BIGINT NOT NULL,
  task_id BIGINT NOT NULL DEFAULT -1,
  order_num BIGINT NOT NULL DEFAULT 0,
  customer_name VARCHAR(128) NULL,
  customer_phone VARCHAR(32) NULL,
  phone_digits VARCHAR(32) NULL,
  address VARCHAR(512) NULL,
  company VARCHAR(128) NULL,
  nick_name VARCHAR(128) NULL,
  user_name VARCHAR(128) NULL,
  uin VARCHAR(64) NULL,
  phone_geo VARCHAR(128) NULL,
  tags VARCHAR(512) NULL,
  remarks VARCHAR(512) NULL,
  v1 VARCHAR(512) NULL,
  xfields TEXT NULL,
  dial_status TINYINT NOT NULL DEFAULT 0,
  add_status TINYINT NOT NULL DEFAULT 0,
  syn TINYINT NOT NULL DEFAULT 0,
  assign_time DATETIME(3) NULL,
  create_time DATETIME(3) NOT NULL,
  last_update_time DATETIME(3) NOT NULL,
  deleted_at DATETIME(3) NULL,
  KEY idx_manual_admin_list (admin_user_id, task_id, deleted_at, order_num),
  KEY idx_manual_tenant (tenant_id, task_id, deleted_at),
  KEY idx_manual_admin_phone (admin_user_id, phone_digits),
  KEY idx_manual_tenant_phone (tenant_id, phone_digits)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
