-- Schema version 4 (data): the log's own running number (通番) on every
-- event, the staff master's mail addresses, and the 受付簿 (reception
-- register). Independent of the other helpers' migrations: it adds a
-- column to event_data and staff, which nobody else adds, and one table.

-- 通番 as the log wrote it; NULL when the log has none (domain.Event.Seq
-- is then 0).
ALTER TABLE event_data ADD COLUMN seq INTEGER;

-- The view gains seq; the rest is as in 002.
DROP VIEW event_v;
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
       e.line        AS line,
       e.seq         AS seq
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

-- 職員マスタ メールアドレス (domain.Staff.Email), a list like systems.
ALTER TABLE staff ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- 受付簿: one row per 受付 (domain.Reception). A town imports one file a
-- month, or one per 所属; an import replaces, for each 所属 it names, the
-- stored rows of the days its file spans (see store.ImportReception).
CREATE TABLE reception (
    id         INTEGER PRIMARY KEY,
    import_id  INTEGER NOT NULL, -- master_import.id of the file it came from
    ts         INTEGER NOT NULL, -- 受付日時 as wall-clock seconds, like event_data.ts; midnight when only the day is known
    has_clock  INTEGER NOT NULL, -- 1 when ts carries a time of day
    day        TEXT    NOT NULL, -- 受付日, YYYY-MM-DD
    no         TEXT    NOT NULL, -- 受付番号
    dept       TEXT    NOT NULL, -- 所属 (窓口) as written
    dept_key   TEXT    NOT NULL, -- 所属 folded for comparison (NFKC, no spaces, lower case)
    procedure  TEXT    NOT NULL, -- 手続名
    subject_id TEXT    NOT NULL, -- 宛名番号
    staff_id   TEXT    NOT NULL, -- 受付者ID, '' when not recorded
    line       INTEGER NOT NULL  -- line in the source file
) STRICT;
-- The rules read the 受付簿 of a period (and the 30 days before it).
CREATE INDEX reception_ts ON reception (ts);
CREATE INDEX reception_dept_day ON reception (dept_key, day);
