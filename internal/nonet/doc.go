// Package nonet holds the tests that Tenken never reaches the network: the
// demo run in process with the network hooks made to fail and record,
// the list of packages that import the network ones, and the command line
// run without a network and under strace. It has no code of its own.
package nonet
