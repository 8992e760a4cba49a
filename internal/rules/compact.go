package rules

import (
	"time"

	"tenken/internal/domain"
)

// cev is an event kept for evidence past its stream group in a third of
// the memory of a domain.Event: its strings are numbers in the engine's
// string table. The rules that keep one row per session or per candidate
// over a whole year (SHARED_ID's terminal runs) use it; the row becomes a
// domain.Event again only when it is evidence of a finding.
type cev struct {
	sec                                    int64
	records, attachSize, batch, seq        int64
	line                                   int32
	staff, name, term, sys, fn, act, raw   uint32
	subj, result, device, file, to, attach uint32
	kind                                   uint32
}

// str returns the number of s in the string table, registering it. The
// strings of events come from the store's dictionary, so the table costs
// one entry per distinct string.
func (e *engine) str(s string) uint32 {
	if i, ok := e.strIdx[s]; ok {
		return i
	}
	i := uint32(len(e.strs))
	e.strs = append(e.strs, s)
	e.strIdx[s] = i
	return i
}

// compact returns ev in compact form.
func (e *engine) compact(ev *domain.Event) cev {
	return cev{
		sec: wallSec(ev.Time), records: ev.Records, attachSize: ev.AttachSize, batch: ev.Batch, seq: ev.Seq, line: int32(ev.Line),
		staff: e.str(ev.StaffID), name: e.str(ev.StaffName), term: e.str(ev.Terminal), sys: e.str(ev.System),
		fn: e.str(ev.Function), act: e.str(string(ev.Action)), raw: e.str(ev.RawAction), subj: e.str(ev.SubjectID),
		result: e.str(ev.Result), device: e.str(ev.Device), file: e.str(ev.File), to: e.str(ev.MailTo),
		attach: e.str(ev.Attachment), kind: e.str(string(ev.Kind)),
	}
}

// expand returns the event c was made from (its time in the UTC carrier).
func (e *engine) expand(c *cev) domain.Event {
	return domain.Event{
		Time: time.Unix(c.sec, 0).UTC(), StaffID: e.strs[c.staff], StaffName: e.strs[c.name], Terminal: e.strs[c.term],
		System: e.strs[c.sys], Function: e.strs[c.fn], Action: domain.Action(e.strs[c.act]), RawAction: e.strs[c.raw],
		SubjectID: e.strs[c.subj], Records: c.records, Result: e.strs[c.result], Device: e.strs[c.device],
		File: e.strs[c.file], MailTo: e.strs[c.to], Attachment: e.strs[c.attach], AttachSize: c.attachSize,
		Kind: domain.LogKind(e.strs[c.kind]), Batch: c.batch, Line: int(c.line), Seq: c.seq,
	}
}
