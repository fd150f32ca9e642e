DROP TABLE customer_count;
