package ingest

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"tenken/internal/colmap"
	"tenken/internal/csvin"
	"tenken/internal/domain"
	"tenken/internal/privacy"
	"tenken/internal/profile"
	"tenken/internal/table"
)

// Preview is what a file would import as, read without writing anything:
// how it was read, where its header is, how its columns map (with the
// gaps), its first rows and which of them would be rejected.
type Preview struct {
	File       string
	Encoding   string
	Delimiter  string
	Sheets     []string
	Sheet      string
	HeaderLine int
	Headers    []string
	Columns    []colmap.Column // mapped columns, in column order
	Missing    []string        // Japanese names of required fields no column provides
	Problem    string          // why the file cannot be imported as it is ("" = it can)
	Kind       domain.LogKind
	Rows       [][]string
	Rejects    []domain.Reject
}

// PreviewFile reads the header and up to maxRows data rows of the file at
// path. Only a file that cannot be read at all is an error; a mapping that
// lacks required fields is reported in Missing and Problem.
func PreviewFile(ctx context.Context, path string, opt Options, maxRows int) (*Preview, error) {
	name := filepath.Base(path)
	sheet := opt.Sheet
	if sheet == "" && opt.Profile != nil {
		sheet = opt.Profile.Sheet
	}
	src, err := table.Open(path, table.Options{Sheet: sheet, TmpDir: table.TmpDir(ctx)})
	if err != nil {
		return nil, err
	}
	defer func() { src.Close() }()
	mapFn := mapLog
	if opt.Profile != nil {
		mapFn = profileMapper(opt.Profile)
	}
	p := &Preview{File: name, Sheets: src.Sheets(), Sheet: src.Sheet()}
	hdr, m, best, err := locateHeader(src, name, LogFields, mapFn)
	if err != nil {
		return nil, err
	}
	if m == nil {
		if best == nil {
			p.Problem = "データがありません（空のファイルか、見出し行がありません）。"
			p.Encoding, p.Delimiter = src.Encoding(), src.Delimiter()
			return p, nil
		}
		hdr = *best
		_, merr := mapFn(best.Fields)
		if merr != nil {
			p.Problem = merr.Error()
		}
		var me *colmap.MissingError
		if errors.As(merr, &me) {
			for _, f := range me.Missing {
				p.Missing = append(p.Missing, f.Label)
			}
		}
		var pe *ProfileMismatchError
		if errors.As(merr, &pe) {
			p.Missing = append(p.Missing, pe.Missing...)
		}
		if opt.Profile == nil {
			m = colmap.MapAll(best.Fields, LogFields)
		} else {
			m = colmap.FromColumns(best.Fields, nil)
		}
		// The search for a header read past the rows to show: read the
		// file again from the row after the best candidate.
		src.Close()
		if src, err = table.Open(path, table.Options{Sheet: sheet, TmpDir: table.TmpDir(ctx)}); err != nil {
			return nil, err
		}
		for {
			row, err := src.Next()
			var pe *csvin.ParseError
			if (err != nil && !errors.As(err, &pe)) || (err == nil && row.Line >= hdr.Line) {
				break
			}
		}
	}
	p.HeaderLine, p.Headers, p.Columns = hdr.Line, hdr.Fields, m.Columns
	p.Kind = opt.Kind
	if p.Kind == "" && opt.Profile != nil {
		p.Kind = opt.Profile.Kind
	}
	if p.Kind == "" {
		p.Kind = DetectKind(m)
	}
	var prof *profile.Profile = opt.Profile
	conv := newConverter(m, opt.System, name, p.Kind, prof)
	canConvert := p.Problem == ""
	var ev domain.Event
	for len(p.Rows) < maxRows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		row, err := src.Next()
		if err == io.EOF {
			break
		}
		var pe *csvin.ParseError
		if errors.As(err, &pe) {
			p.Rows = append(p.Rows, nil)
			p.Rejects = append(p.Rejects, domain.Reject{Line: pe.StartLine, Column: strconv.Itoa(pe.Column) + "列目", Reason: pe.Err.Error(), Raw: maskRaw(row.Raw)})
			continue
		}
		if err != nil {
			return nil, err
		}
		if IsBlank(row.Fields) {
			continue
		}
		// A 個人番号 is not shown even in a preview (the row will be
		// rejected for it).
		shown := make([]string, len(row.Fields))
		for i, f := range row.Fields {
			shown[i] = f
			if privacy.IsMyNumber(strings.TrimSpace(f)) {
				shown[i] = privacy.MaskMyNumber(f)
			}
		}
		p.Rows = append(p.Rows, shown)
		if canConvert {
			if rj := conv.event(row, &ev); rj != nil {
				rj.Raw, rj.Reason = maskRaw(rj.Raw), maskRaw(rj.Reason)
				p.Rejects = append(p.Rejects, *rj)
			}
		}
	}
	// Drop the placeholders of unreadable rows: they are in Rejects.
	rows := p.Rows[:0]
	for _, r := range p.Rows {
		if r != nil {
			rows = append(rows, r)
		}
	}
	p.Rows = rows
	p.Encoding, p.Delimiter = src.Encoding(), src.Delimiter()
	return p, nil
}
