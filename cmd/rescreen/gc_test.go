package main

import (
	"runtime/debug"
	"testing"
)

// The server's garbage-collector percentage applies unless GOGC is set,
// and the function returned puts back the one before.
func TestGCPercent(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	restore := gcPercent(serveGCPercent)
	if got := debug.SetGCPercent(serveGCPercent); got != serveGCPercent {
		t.Errorf("with GOGC unset: percentage %d, want %d", got, serveGCPercent)
	}
	inner := gcPercent(100)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("nested: percentage %d, want 100", got)
	}
	inner()
	if got := debug.SetGCPercent(serveGCPercent); got != serveGCPercent {
		t.Errorf("after the nested restore: percentage %d, want %d", got, serveGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after restore: percentage %d, want 100", got)
	}

	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	restore = gcPercent(serveGCPercent)
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("with GOGC=150: percentage %d, want it left at 150", got)
	}
	restore()
}
