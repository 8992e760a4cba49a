-- Schema version 2: dictionary-encoded events.
-- The strings that repeat on nearly every row (staff, name, terminal,
-- system, function, action, result, device, kind, and the residents'
-- subject_id, bounded by the town's population) are stored once in dict
-- and referenced by integer key; this halves the cost of a bulk import and
-- the size of the table. Values that may be distinct on every row (file,
-- mail_to, attachment) stay inline, NULL when empty. Everyone else reads
-- events through the view event_v, which restores the plain columns.

CREATE TABLE dict (
    id    INTEGER PRIMARY KEY,
    field INTEGER NOT NULL, -- 1 staff_id, 2 staff_name, 3 terminal, 4 system, 5 function, 6 action, 7 raw_action, 8 result, 9 device, 10 kind, 11 subject_id
    s     TEXT    NOT NULL
) STRICT;
-- (s, field) rather than (field, s): a filter on a view column (staff_id = ?)
-- can then use it. Not UNIQUE: the importer keeps a bounded cache of the
-- dictionary, and a string that fell out of it may be stored again.
CREATE INDEX dict_s ON dict (s, field);

-- The context of a row (who by name, where, which system, function and
-- action, with what result, on which device, from which kind of log) takes
-- few distinct values in a whole year's log; it is stored once per
-- distinct combination, so an event row binds 8 values instead of 15.
-- Every column is a key into dict.
CREATE TABLE event_ctx (
    id         INTEGER PRIMARY KEY,
    name       INTEGER NOT NULL,
    terminal   INTEGER NOT NULL,
    system     INTEGER NOT NULL,
    function   INTEGER NOT NULL,
    action     INTEGER NOT NULL,
    raw_action INTEGER NOT NULL,
    result     INTEGER NOT NULL,
    device     INTEGER NOT NULL,
    kind       INTEGER NOT NULL
) STRICT;

-- No foreign keys: checking them costs a lookup per inserted row, and only
-- the store writes these tables.
CREATE TABLE event_data (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL,
    ts          INTEGER NOT NULL,
    staff       INTEGER NOT NULL, -- dict key
    ctx         INTEGER NOT NULL, -- event_ctx key
    subject_id  INTEGER NOT NULL, -- dict key
    records     INTEGER NOT NULL,
    attach_size INTEGER NOT NULL,
    line        INTEGER NOT NULL,
    fp          INTEGER NOT NULL,
    file        TEXT,
    mail_to     TEXT,
    attachment  TEXT
) STRICT;

INSERT INTO dict (field, s)
          SELECT 1, staff_id FROM event
    UNION SELECT 2, staff_name FROM event
    UNION SELECT 3, terminal FROM event
    UNION SELECT 4, system FROM event
    UNION SELECT 5, function FROM event
    UNION SELECT 6, action FROM event
    UNION SELECT 7, raw_action FROM event
    UNION SELECT 8, result FROM event
    UNION SELECT 9, device FROM event
    UNION SELECT 10, kind FROM import_batch
    UNION SELECT 11, subject_id FROM event;

CREATE TEMP TABLE old_ctx AS
SELECT DISTINCT
       (SELECT id FROM dict WHERE field = 2 AND s = e.staff_name) AS name,
       (SELECT id FROM dict WHERE field = 3 AND s = e.terminal) AS terminal,
       (SELECT id FROM dict WHERE field = 4 AND s = e.system) AS system,
       (SELECT id FROM dict WHERE field = 5 AND s = e.function) AS function,
       (SELECT id FROM dict WHERE field = 6 AND s = e.action) AS action,
       (SELECT id FROM dict WHERE field = 7 AND s = e.raw_action) AS raw_action,
       (SELECT id FROM dict WHERE field = 8 AND s = e.result) AS result,
       (SELECT id FROM dict WHERE field = 9 AND s = e.device) AS device,
       (SELECT d.id FROM dict d JOIN import_batch b ON d.field = 10 AND d.s = b.kind WHERE b.id = e.batch_id) AS kind
FROM event e;
INSERT INTO event_ctx (name, terminal, system, function, action, raw_action, result, device, kind)
SELECT name, terminal, system, function, action, raw_action, result, device, kind FROM old_ctx;
DROP TABLE old_ctx;

INSERT INTO event_data (id, batch_id, ts, staff, ctx, subject_id, records, attach_size, line, fp, file, mail_to, attachment)
SELECT e.id, e.batch_id, e.ts,
       (SELECT id FROM dict WHERE field = 1 AND s = e.staff_id),
       (SELECT c.id FROM event_ctx c WHERE
            c.name = (SELECT id FROM dict WHERE field = 2 AND s = e.staff_name) AND
            c.terminal = (SELECT id FROM dict WHERE field = 3 AND s = e.terminal) AND
            c.system = (SELECT id FROM dict WHERE field = 4 AND s = e.system) AND
            c.function = (SELECT id FROM dict WHERE field = 5 AND s = e.function) AND
            c.action = (SELECT id FROM dict WHERE field = 6 AND s = e.action) AND
            c.raw_action = (SELECT id FROM dict WHERE field = 7 AND s = e.raw_action) AND
            c.result = (SELECT id FROM dict WHERE field = 8 AND s = e.result) AND
            c.device = (SELECT id FROM dict WHERE field = 9 AND s = e.device) AND
            c.kind = (SELECT d.id FROM dict d JOIN import_batch b ON d.field = 10 AND d.s = b.kind WHERE b.id = e.batch_id)),
       (SELECT id FROM dict WHERE field = 11 AND s = e.subject_id),
       e.records, 0, e.line, e.fp, nullif(e.file, ''), nullif(e.mail_to, ''), NULL
FROM event e ORDER BY e.id;

DROP TABLE event;

-- Serves duplicate detection across overlapping exports: the same row
-- (fingerprint) of the same staff at the same second is stored once.
CREATE UNIQUE INDEX event_key ON event_data (staff, ts, fp);

-- The LEFT JOINs on primary keys are dropped by SQLite's planner when a
-- query does not use their column, so a query pays only for the columns it
-- reads.
CREATE VIEW event_v AS
SELECT e.id          AS id,
       e.batch_id    AS batch_id,
       e.ts          AS ts,
       d1.s          AS staff_id,
       d2.s          AS staff_name,
       d3.s          AS terminal,
       d4.s          AS system,
       d5.s          AS function,
       d6.s          AS action,
       d7.s          AS raw_action,
       d11.s         AS subject_id,
       e.records     AS records,
       d8.s          AS result,
       d9.s          AS device,
       coalesce(e.file, '')       AS file,
       coalesce(e.mail_to, '')    AS mail_to,
       coalesce(e.attachment, '') AS attachment,
       e.attach_size AS attach_size,
       d10.s         AS kind,
       e.line        AS line
FROM event_data e
LEFT JOIN event_ctx c ON c.id  = e.ctx
LEFT JOIN dict d1  ON d1.id  = e.staff
LEFT JOIN dict d2  ON d2.id  = c.name
LEFT JOIN dict d3  ON d3.id  = c.terminal
LEFT JOIN dict d4  ON d4.id  = c.system
LEFT JOIN dict d5  ON d5.id  = c.function
LEFT JOIN dict d6  ON d6.id  = c.action
LEFT JOIN dict d7  ON d7.id  = c.raw_action
LEFT JOIN dict d8  ON d8.id  = c.result
LEFT JOIN dict d9  ON d9.id  = c.device
LEFT JOIN dict d10 ON d10.id = c.kind
LEFT JOIN dict d11 ON d11.id = e.subject_id;
