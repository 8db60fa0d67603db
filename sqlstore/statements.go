package sqlstore

import (
	"slices"
	"sync"
)

// seen holds the distinct statement texts the store has prepared on
// SQLite in this process, up to maxSeen, for Statements.
var seen struct {
	sync.Mutex
	texts map[string]struct{}
}

// maxSeen bounds the texts kept: the store's own statements are a few
// hundred, and those built with a varying number of placeholders more.
const maxSeen = 8192

// saw records a statement text the store is preparing on SQLite.
func saw(q string) {
	seen.Lock()
	defer seen.Unlock()
	if seen.texts == nil {
		seen.texts = map[string]struct{}{}
	}
	if len(seen.texts) < maxSeen {
		seen.texts[q] = struct{}{}
	}
}

// Statements returns, sorted, the distinct statement texts the store has
// prepared on SQLite in this process (at most 8,192). The query-plan
// check (package sqlstore/plancheck) asks SQLite how it would run each,
// after a package's tests have run the store's statements, so that a
// statement that reads a whole large table for want of an index fails
// the tests that ran it instead of a large registry.
func Statements() []string {
	seen.Lock()
	defer seen.Unlock()
	out := make([]string, 0, len(seen.texts))
	for q := range seen.texts {
		out = append(out, q)
	}
	slices.Sort(out)
	return out
}
