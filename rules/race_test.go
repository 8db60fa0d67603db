//go:build race

package rules

// raceEnabled scales the random-family test down under the race detector,
// which slows evaluation about tenfold; the assertions are the same.
const raceEnabled = true
