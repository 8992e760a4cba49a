// Package hostile holds the test that feeds the hostile input corpus
// (testdata/hostile at the repository root, plus files too big to commit
// that the test writes) to the log and master imports. The package has no
// code of its own; see hostile_test.go.
package hostile
