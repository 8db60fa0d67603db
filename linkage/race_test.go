//go:build race

package linkage

// raceEnabled is true under the race detector, whose instrumentation
// changes inlining and allocation counts; the allocation tests skip then,
// as the standard library's do.
const raceEnabled = true
