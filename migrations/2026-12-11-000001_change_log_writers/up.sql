-- The connections that have written this database's change log (docs/architecture.md "Exact
-- across instances"). On one server the reader closes a gap in the log's numbers when
-- `information_schema.innodb_trx` shows no transaction old enough to hold it, and counted only
-- the transactions of connections on this database or on none: a writer connected to another
-- database that wrote this one's tables by qualified names (`UPDATE scrm.customer ..`) was left
-- out, so a gap it held could close, and its rows, committed after, stayed below the reader's
-- floor and never reached the index. Now the log's BEFORE INSERT trigger first puts its
-- connection's id in `customer_change_writer`, before the row's number is taken, and the clock
-- counts those connections' transactions too, on whatever database they are.
--
-- The row is written in the writer's transaction: the clock reads the table READ UNCOMMITTED,
-- so it sees the row at once, and a rollback takes it away with the log rows it came with. It
-- is InnoDB so that the writers lock only their own row: a MEMORY table is locked whole for
-- every statement whose triggers name it (prelocking), and held the bulk loader's parallel
-- loads up against each other. The trigger looks before it inserts rather than `INSERT
-- IGNORE`: an ignored duplicate inside a trigger, in a session with `unique_checks = 0` and
-- `foreign_key_checks = 0` (a dump being restored, the seed's `after_load`) writing into an
-- empty table, which MariaDB then fills in bulk, silently threw away all but the last row of
-- the statement (seen on MariaDB 10.11). A row stays after its transaction commits; the
-- reader's trim deletes the rows of connections that are gone. The seed's bulk sessions
-- (`@scrm_bulk_load`) are on this database, so counted anyway, and skip the look. A Galera
-- node keeps lanes instead and writes no row here.
CREATE TABLE customer_change_writer (
  conn BIGINT UNSIGNED NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

DROP TRIGGER IF EXISTS customer_change_lane;

CREATE TRIGGER customer_change_lane BEFORE INSERT ON customer_change FOR EACH ROW
BEGIN
  IF @@wsrep_on THEN
    SET NEW.lane = @@auto_increment_offset * 16 + CONNECTION_ID() MOD 16;
    INSERT INTO customer_change_lane (lane, writes) VALUES (NEW.lane, 1)
      ON DUPLICATE KEY UPDATE writes = writes + 1;
  ELSEIF @scrm_bulk_load IS NULL
      AND NOT EXISTS (SELECT 1 FROM customer_change_writer WHERE conn = CONNECTION_ID()) THEN
    INSERT INTO customer_change_writer (conn) VALUES (CONNECTION_ID());
  END IF;
END;
