-- Schema version 1: the walking skeleton.
-- Times of events are stored as INTEGER seconds of the JST wall clock
-- counted as if it were UTC (no zone conversion anywhere).

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE import_batch (
    id          INTEGER PRIMARY KEY,
    file        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    encoding    TEXT    NOT NULL,
    system      TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    mapping     TEXT    NOT NULL,
    rows_read   INTEGER NOT NULL,
    accepted    INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    duplicate   INTEGER NOT NULL,
    imported_at TEXT    NOT NULL,
    min_ts      INTEGER,
    max_ts      INTEGER,
    UNIQUE (sha256, system)
) STRICT;

CREATE TABLE event (
    id         INTEGER PRIMARY KEY,
    batch_id   INTEGER NOT NULL REFERENCES import_batch(id),
    ts         INTEGER NOT NULL,
    staff_id   TEXT    NOT NULL,
    staff_name TEXT    NOT NULL,
    terminal   TEXT    NOT NULL,
    system     TEXT    NOT NULL,
    function   TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    raw_action TEXT    NOT NULL,
    subject_id TEXT    NOT NULL,
    records    INTEGER NOT NULL,
    result     TEXT    NOT NULL,
    device     TEXT    NOT NULL,
    file       TEXT    NOT NULL,
    mail_to    TEXT    NOT NULL,
    line       INTEGER NOT NULL,
    fp         INTEGER NOT NULL
) STRICT;

-- Serves both the rules (staff, time order) and duplicate detection across
-- overlapping exports: the same row (fingerprint) of the same staff at the
-- same second is stored once.
CREATE UNIQUE INDEX event_staff_ts_fp ON event (staff_id, ts, fp);

CREATE TABLE reject (
    batch_id INTEGER NOT NULL REFERENCES import_batch(id),
    line     INTEGER NOT NULL,
    col      TEXT    NOT NULL,
    reason   TEXT    NOT NULL,
    raw      TEXT    NOT NULL
) STRICT;
CREATE INDEX reject_batch ON reject (batch_id, line);

CREATE TABLE master_import (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    file        TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    rows_read   INTEGER NOT NULL,
    accepted    INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    imported_at TEXT    NOT NULL
) STRICT;

CREATE TABLE staff (
    id          TEXT PRIMARY KEY,
    name        TEXT    NOT NULL,
    dept        TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    employment  TEXT    NOT NULL,
    start_date  TEXT    NOT NULL,
    end_date    TEXT    NOT NULL,
    usb         INTEGER NOT NULL,
    subject_id  TEXT    NOT NULL,
    systems     TEXT    NOT NULL,
    line        INTEGER NOT NULL
) STRICT;

CREATE TABLE access_grant (
    id         INTEGER PRIMARY KEY,
    staff_id   TEXT NOT NULL,
    dept       TEXT NOT NULL,
    system     TEXT NOT NULL,
    permission TEXT NOT NULL,
    from_date  TEXT NOT NULL,
    to_date    TEXT NOT NULL
) STRICT;

CREATE TABLE run (
    id        INTEGER PRIMARY KEY,
    from_date TEXT    NOT NULL,
    to_date   TEXT    NOT NULL,
    at        TEXT    NOT NULL,
    config    TEXT    NOT NULL,
    findings  INTEGER NOT NULL
) STRICT;

CREATE TABLE finding (
    id        INTEGER PRIMARY KEY,
    run_id    INTEGER NOT NULL REFERENCES run(id),
    rule      TEXT    NOT NULL,
    staff_id  TEXT    NOT NULL,
    date      TEXT    NOT NULL,
    severity  TEXT    NOT NULL,
    count     INTEGER NOT NULL,
    detail    TEXT    NOT NULL,
    evidence  TEXT    NOT NULL,
    excluded  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX finding_run ON finding (run_id);
