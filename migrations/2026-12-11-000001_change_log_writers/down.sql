DROP TRIGGER IF EXISTS customer_change_lane;

CREATE TRIGGER customer_change_lane BEFORE INSERT ON customer_change FOR EACH ROW
BEGIN
  IF @@wsrep_on THEN
    SET NEW.lane = @@auto_increment_offset * 16 + CONNECTION_ID() MOD 16;
    INSERT INTO customer_change_lane (lane, writes) VALUES (NEW.lane, 1)
      ON DUPLICATE KEY UPDATE writes = writes + 1;
  END IF;
END;

DROP TABLE IF EXISTS customer_change_writer;
