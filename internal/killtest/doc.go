// Package killtest holds the crash tests of Tenken's command line: the CLI
// is killed with SIGKILL at random moments while it imports a log, runs an
// inspection and writes the report, and after every kill the workspace must
// open, verify, and still hold everything that had been committed.
//
// The package has no code of its own; see kill_test.go.
package killtest
