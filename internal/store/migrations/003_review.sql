-- Schema version 3: masters versioned by 有効期間, the other masters
-- (要注意対象, 時間外申請), exclusions, reviews, the hash-chained audit log
-- and tamper evidence for inspection runs. Independent of 002 (events).

-- The 職員マスタ keeps every version of a person: one row per (ID, 着任日).
-- A transfer (異動) ends one row and starts the next in another 所属.
CREATE TABLE staff_v3 (
    id          TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    dept        TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    employment  TEXT    NOT NULL,
    start_date  TEXT    NOT NULL,
    end_date    TEXT    NOT NULL,
    usb         INTEGER NOT NULL,
    subject_id  TEXT    NOT NULL,
    systems     TEXT    NOT NULL,
    accounts    TEXT    NOT NULL DEFAULT '',
    line        INTEGER NOT NULL,
    PRIMARY KEY (id, start_date)
) STRICT;
INSERT INTO staff_v3(id, name, dept, title, employment, start_date, end_date, usb, subject_id, systems, accounts, line)
    SELECT id, name, dept, title, employment, start_date, end_date, usb, subject_id, systems, '', line FROM staff;
DROP TABLE staff;
ALTER TABLE staff_v3 RENAME TO staff;

-- Where a master file was read from, so verify can compare its SHA-256.
ALTER TABLE master_import ADD COLUMN path TEXT NOT NULL DEFAULT '';
ALTER TABLE master_import ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE master_import ADD COLUMN mode TEXT NOT NULL DEFAULT 'replace';

-- Where a log file was read from (kept apart from import_batch, which the
-- log import owns).
CREATE TABLE batch_source (
    batch_id INTEGER PRIMARY KEY,
    path     TEXT NOT NULL
) STRICT;

CREATE TABLE watch_entry (
    id         INTEGER PRIMARY KEY,
    subject_id TEXT    NOT NULL,
    category   TEXT    NOT NULL,
    depts      TEXT    NOT NULL,
    staff_id   TEXT    NOT NULL,
    from_date  TEXT    NOT NULL,
    to_date    TEXT    NOT NULL,
    line       INTEGER NOT NULL
) STRICT;
CREATE INDEX watch_entry_subject ON watch_entry (subject_id);

CREATE TABLE overtime (
    id       INTEGER PRIMARY KEY,
    staff_id TEXT    NOT NULL,
    date     TEXT    NOT NULL,
    from_min INTEGER NOT NULL,
    to_min   INTEGER NOT NULL,
    line     INTEGER NOT NULL
) STRICT;
CREATE INDEX overtime_staff_date ON overtime (staff_id, date);

-- Exclusions are never deleted; a withdrawn one is marked revoked.
CREATE TABLE exclusion (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    staff_id      TEXT NOT NULL,
    rule          TEXT NOT NULL,
    date          TEXT NOT NULL,
    reason        TEXT NOT NULL,
    by_name       TEXT NOT NULL,
    at            TEXT NOT NULL,
    revoked_at    TEXT NOT NULL DEFAULT '',
    revoke_reason TEXT NOT NULL DEFAULT '',
    revoked_by    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TRIGGER exclusion_no_delete BEFORE DELETE ON exclusion
BEGIN
    SELECT RAISE(ABORT, 'exclusions are never deleted');
END;

-- The current review of a finding, keyed like domain.FindingKey so that a
-- review carries over to the next run; its history is in audit_log.
CREATE TABLE review (
    rule     TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    date     TEXT NOT NULL,
    status   TEXT NOT NULL,
    comment  TEXT NOT NULL,
    by_name  TEXT NOT NULL,
    at       TEXT NOT NULL,
    PRIMARY KEY (rule, staff_id, date)
) STRICT;

-- Append-only, hash-chained: hash = sha256(prev || canonical fields).
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_name TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL,
    before    TEXT NOT NULL,
    after     TEXT NOT NULL,
    prev      TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Digest of a run's findings as stored, so a deleted or edited finding is
-- detected by verify. Runs stored before this version have ''.
ALTER TABLE run ADD COLUMN digest TEXT NOT NULL DEFAULT '';
