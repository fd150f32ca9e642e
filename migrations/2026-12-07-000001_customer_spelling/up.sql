-- `q` (search as people type) matches the pinyin of the three searchable names (the
-- customer's name, its contact's WeChat nickname and remark name): their full pinyin and
-- initials, lower case, no tones, no separators, one row per distinct spelling of a customer
-- (every reading of a polyphonic character, at most 16 combinations per name). Pinyin cannot
-- be computed in SQL: the rows are written from Rust (`scrm_domain::search::spellings`) in
-- the transactions that write the names (customers/grams.rs), bulk-loaded by the seed, and
-- backfilled after this migration by `scrm migrate` (the `scrm_backfill` row below, see
-- migrate.rs). Binary collation: spellings and terms are both lower-cased in Rust, so a
-- `LIKE` here compares exactly as the memory store's `contains`.
CREATE TABLE customer_spelling (
  customer_id BIGINT NOT NULL,
  seq SMALLINT NOT NULL,
  spelling VARCHAR(800) NOT NULL,
  tenant_id BIGINT NOT NULL,
  PRIMARY KEY (customer_id, seq),
  KEY idx_customer_spelling_tenant (tenant_id, customer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The 2-character substrings (and last characters) of the spellings, as customer_name_gram
-- holds those of the names: a term's spelling search starts from the customers holding its
-- grams, and the `LIKE` on customer_spelling keeps it exact.
CREATE TABLE customer_spelling_gram (
  customer_id BIGINT NOT NULL,
  gram VARCHAR(2) NOT NULL,
  tenant_id BIGINT NOT NULL,
  PRIMARY KEY (customer_id, gram),
  KEY idx_customer_spelling_gram (tenant_id, gram)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Data steps a migration leaves to `scrm migrate` (computed in Rust), by name; a step's row
-- is deleted once it is done.
CREATE TABLE scrm_backfill (
  step VARCHAR(64) NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT INTO scrm_backfill (step) VALUES ('customer_spelling');
