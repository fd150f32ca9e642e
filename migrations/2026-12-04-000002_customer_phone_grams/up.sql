-- Phone "contains" (customerPhone, compared by digits): every 3-digit substring of each
-- customer's phone digits, one row per customer and distinct gram. A needle of three digits
-- is one `gram = ?`, a longer one every one of its 3-digit substrings (a few, spread) with
-- the `LIKE` kept on the candidates; one or two digits match too many customers to need it.
-- Kept with the phone in the transactions that write it or move a customer between tenants
-- (customers/grams.rs); the seed at scale bulk-loads it.
CREATE TABLE customer_phone_gram (
  customer_id BIGINT NOT NULL,
  gram CHAR(3) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  tenant_id BIGINT NOT NULL,
  PRIMARY KEY (customer_id, gram),
  KEY idx_customer_phone_gram (tenant_id, gram)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

INSERT IGNORE INTO customer_phone_gram (customer_id, gram, tenant_id)
WITH RECURSIVE pos (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM pos WHERE n < 30)
SELECT c.id, SUBSTRING(c.phone_digits, pos.n, 3), c.tenant_id
FROM customer c
JOIN pos ON pos.n <= CHAR_LENGTH(c.phone_digits) - 2
WHERE c.phone_digits REGEXP '^[0-9]+$';
