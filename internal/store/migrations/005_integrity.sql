-- Schema version 5 (integrity): the digest of the rows each import batch
-- stored, also carried by the batch's log.import audit entry, so that
-- verify can tell deleted or edited events from the rows as imported.
-- Batches stored before this version have ''. When this step runs on a
-- database that already holds data, Open records the state it starts from
-- in an integrity.baseline audit entry (store/baseline.go).
ALTER TABLE import_batch ADD COLUMN rows_digest TEXT NOT NULL DEFAULT '';
