package rules

import (
	"time"

	"tenken/internal/domain"
)

// cev is an event kept for evidence in a fifth of the memory of a
// domain.Event (64 bytes against 288): its strings are numbers in the
// engine's tables — the context of a row (name, terminal, system,
// function, action, result, device, kind) as one number, as the store
// keeps it — and it becomes a domain.Event again only when it is evidence
// of a finding. Drafts keep their evidence this way, and so do the rules
// that keep rows past their stream group (the exports and writes of
// EXPORT_THEN_DEVICE, SHARED_ID's terminal runs).
type cev struct {
	sec, records, seq, batch, size int64
	line                           int32
	ctx                            uint32 // evCtx number
	staff, subj                    uint32 // string numbers
	extra                          uint32 // evExtra number, 0 when the row has no file, mail or attachment
}

// evCtx is the part of a row that repeats on nearly every row.
type evCtx struct {
	name, terminal, system, function string
	action                           domain.Action
	raw, result, device              string
	kind                             domain.LogKind
}

// evExtra is the part of a row that endpoint and mail logs fill.
type evExtra struct{ file, to, attach string }

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
	x := evCtx{ev.StaffName, ev.Terminal, ev.System, ev.Function, ev.Action, ev.RawAction, ev.Result, ev.Device, ev.Kind}
	ci, ok := e.ctxIdx[x]
	if !ok {
		ci = uint32(len(e.ctxs))
		e.ctxs = append(e.ctxs, x)
		e.ctxIdx[x] = ci
	}
	c := cev{sec: wallSec(ev.Time), records: ev.Records, seq: ev.Seq, batch: ev.Batch, size: ev.AttachSize, line: int32(ev.Line),
		ctx: ci, staff: e.str(ev.StaffID), subj: e.str(ev.SubjectID)}
	if ev.File != "" || ev.MailTo != "" || ev.Attachment != "" {
		y := evExtra{ev.File, ev.MailTo, ev.Attachment}
		xi, ok := e.extraIdx[y]
		if !ok {
			xi = uint32(len(e.extras))
			e.extras = append(e.extras, y)
			e.extraIdx[y] = xi
		}
		c.extra = xi
	}
	return c
}

// expand returns the event c was made from (its time in the UTC carrier).
func (e *engine) expand(c *cev) domain.Event {
	x := &e.ctxs[c.ctx]
	y := &e.extras[c.extra]
	return domain.Event{
		Time: time.Unix(c.sec, 0).UTC(), StaffID: e.strs[c.staff], StaffName: x.name, Terminal: x.terminal,
		System: x.system, Function: x.function, Action: x.action, RawAction: x.raw,
		SubjectID: e.strs[c.subj], Records: c.records, Result: x.result, Device: x.device,
		File: y.file, MailTo: y.to, Attachment: y.attach, AttachSize: c.size,
		Kind: x.kind, Batch: c.batch, Line: int(c.line), Seq: c.seq,
	}
}

// same reports whether two compact events are the same row.
func (a *cev) same(b *cev) bool {
	return a.sec == b.sec && a.line == b.line && a.batch == b.batch && a.staff == b.staff && a.ctx == b.ctx && a.subj == b.subj
}
