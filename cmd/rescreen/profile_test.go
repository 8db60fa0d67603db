package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestProfilesOnLoopbackOnly: the runtime profiles are served on a
// loopback address and refused on any other.
func TestProfilesOnLoopbackOnly(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:6060", "example.org:6060", "6060"} {
		if _, stop, err := startProfiling(addr, log); err == nil {
			stop()
			t.Errorf("%s: profiles served off the loopback interface", addr)
		}
	}
	a, stop, err := startProfiling("127.0.0.1:0", log)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := http.Get("http://" + a.String() + "/debug/pprof/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "goroutine") {
		t.Errorf("profile index: %d %.80q", resp.StatusCode, body)
	}
}
