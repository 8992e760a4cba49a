package store

import (
	"context"
	"strings"
)

// BaselineAction is the audit action of the entry that records the state
// a database was in when it was first opened by a Tenken that audits
// imports and inspection runs (schema *_integrity.sql). Verify replays the
// audit log from it: rows older than it have no audit entry of their own,
// and are checked against the digests it holds instead. A database
// created by such a Tenken has none (it starts empty).
const BaselineAction = "integrity.baseline"

// Baseline is the after of the integrity.baseline entry: the last import
// batch and inspection run stored before it, and the digests of the
// hearing sheet's answers and of each master as they were.
type Baseline struct {
	Batch   int64             `json:"batch"`
	Run     int64             `json:"run"`
	Hearing string            `json:"hearing"`
	Masters map[string]string `json:"-"` // kind → digest; flattened into the JSON object
}

// baselineFile is the migration step after which the baseline is taken.
const baselineFile = "_integrity.sql"

// writeBaseline appends the integrity.baseline entry inside the migration
// step's transaction, when the database already holds data.
func writeBaseline(ctx context.Context, db DBTX) error {
	var b Baseline
	var data int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce((SELECT max(id) FROM import_batch), 0), coalesce((SELECT max(id) FROM run), 0)`).Scan(&b.Batch, &b.Run); err != nil {
		return err
	}
	data = b.Batch + b.Run
	kv, err := hearingSettings(ctx, db)
	if err != nil {
		return err
	}
	for _, v := range kv {
		if v != "" {
			data++
		}
	}
	b.Hearing = settingsDigest(kv)
	b.Masters = map[string]string{}
	for _, kind := range MasterKinds {
		var exists int64
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", masterTables[kind]).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			continue
		}
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+masterTables[kind]).Scan(&n); err != nil {
			return err
		}
		data += n
		if b.Masters[kind], err = masterDigest(ctx, db, kind); err != nil {
			return err
		}
	}
	if data == 0 {
		return nil
	}
	_, err = appendAudit(ctx, db, Audit{User: "Tenken", Action: BaselineAction, Target: "schema", After: b.values()})
	return err
}

// values is the baseline as the flat JSON object the audit entry holds.
func (b Baseline) values() map[string]any {
	m := map[string]any{"batch": b.Batch, "run": b.Run, "hearing": b.Hearing}
	for k, v := range b.Masters {
		m["master."+k] = v
	}
	return m
}

// parseBaseline reads an integrity.baseline entry's after.
func parseBaseline(m map[string]any) Baseline {
	b := Baseline{Masters: map[string]string{}}
	b.Batch, b.Run = jsonInt(m["batch"]), jsonInt(m["run"])
	b.Hearing, _ = m["hearing"].(string)
	for k, v := range m {
		if kind, ok := strings.CutPrefix(k, "master."); ok {
			b.Masters[kind], _ = v.(string)
		}
	}
	return b
}

func jsonInt(v any) int64 {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case int64:
		return x
	}
	return 0
}
