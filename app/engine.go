package app

import (
	"context"
	"time"

	"tenken/internal/domain"
	"tenken/internal/workspace"
)

// Engine is what the GUI needs from a workspace. *workspace.Workspace
// satisfies it; tests drive the view with a fake. Every method may be slow
// and is called off the UI goroutine.
type Engine interface {
	Summary(ctx context.Context) (workspace.Summary, error)
	ImportLog(ctx context.Context, path string, opt workspace.ImportOptions, progress workspace.ProgressFunc) (domain.ImportBatch, []domain.Reject, error)
	ImportMaster(ctx context.Context, kind workspace.MasterKind, path string) (workspace.MasterResult, error)
	Inspect(ctx context.Context, from, to time.Time, progress workspace.ProgressFunc) (domain.Run, error)
	Findings(ctx context.Context) ([]domain.Finding, error)
	WriteReport(ctx context.Context, out string, progress workspace.ProgressFunc) error
	LoadSample(ctx context.Context, progress workspace.ProgressFunc) (workspace.SampleResult, error)
}

var _ Engine = (*workspace.Workspace)(nil)
