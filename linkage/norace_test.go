//go:build !race

package linkage

// raceEnabled: see race_test.go.
const raceEnabled = false
