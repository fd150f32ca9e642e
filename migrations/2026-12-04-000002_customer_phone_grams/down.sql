DROP TABLE customer_phone_gram;
