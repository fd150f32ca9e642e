DROP TABLE scrm_backfill;
DROP TABLE customer_spelling_gram;
DROP TABLE customer_spelling;
