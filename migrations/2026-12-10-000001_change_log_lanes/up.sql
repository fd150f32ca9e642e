-- Lanes of the change log, for a multi-primary cluster (Galera; docs/architecture.md "On a
-- multi-primary cluster"). On one server the reader closes a gap in the log's numbers when
-- `information_schema.innodb_trx` shows no transaction old enough to hold it; a Galera node
-- cannot see the transactions running on the other nodes, so a number another node's long
-- transaction holds could not be told from one that will never come. With lanes it need not
-- be: on a node with wsrep on, every log row goes into a lane (the node's
-- `auto_increment_offset` * 16 + the connection id's rest by 16) and its transaction first
-- writes the lane's row in `customer_change_lane`, which it then holds until it commits.
-- So within a lane, numbers are taken one transaction after the other and commit in the
-- order they were taken, on every node: a transaction that writes the lane row after another
-- node's did is certified after it, or it conflicts and rolls back (a node whose offset
-- changed when the membership did), and its node has applied the earlier rows, so its
-- auto-increment counter is above them. A reader that has read a lane up to a number has
-- every change of the lane at or below it that will ever commit. Writers on one node share
-- its 16 lanes (two connections with the same rest wait for each other's commit); the nodes
-- never wait for each other. On a server without wsrep the rows have no lane and nothing
-- changes: no lane row, no wait.
ALTER TABLE customer_change ADD COLUMN lane INT NULL,
  ADD KEY idx_customer_change_lane (lane, seq);

CREATE TABLE customer_change_lane (
  lane INT NOT NULL PRIMARY KEY,
  writes BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- BEFORE INSERT: the lane row is written before the log row's number is taken (at the row's
-- insert, after this trigger). The counter only makes the lane row part of the transaction's
-- write set, so that Galera certifies two writers of one lane against each other.
CREATE TRIGGER customer_change_lane BEFORE INSERT ON customer_change FOR EACH ROW
BEGIN
  IF @@wsrep_on THEN
    SET NEW.lane = @@auto_increment_offset * 16 + CONNECTION_ID() MOD 16;
    INSERT INTO customer_change_lane (lane, writes) VALUES (NEW.lane, 1)
      ON DUPLICATE KEY UPDATE writes = writes + 1;
  END IF;
END;
