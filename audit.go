package rescreen

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"time"
)

// AuditEvent is one entry of the append-only audit log. Every change to the
// registry is written together with its event, in the same transaction.
// Events are hash-chained: Hash covers every field of the event and the
// previous event's hash, so an edited, deleted or inserted event breaks the
// chain at that point.
type AuditEvent struct {
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	Actor    string          `json:"actor"`
	Action   string          `json:"action"`
	FamilyID FamilyID        `json:"family_id,omitempty"`
	Subject  string          `json:"subject,omitempty"` // what changed: a record key, a file, a user
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// GenesisHash is the PrevHash of the first event.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the hex SHA-256 of the event's fields and PrevHash.
// Every variable-length field is length-prefixed, so no two different events
// hash the same input.
func (e *AuditEvent) ComputeHash() string {
	h := sha256.New()
	var n [8]byte
	put := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	put([]byte(e.At.UTC().Format(time.RFC3339Nano)))
	put([]byte(e.Actor))
	put([]byte(e.Action))
	put([]byte(e.FamilyID))
	put([]byte(e.Subject))
	put(e.Before)
	put(e.After)
	put([]byte(e.PrevHash))
	return hex.EncodeToString(h.Sum(nil))
}

// ChainProblem describes the first event at which an audit chain fails.
type ChainProblem struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

// ChainReport is the result of verifying the audit chain.
type ChainReport struct {
	Events  int64         `json:"events"`
	Head    string        `json:"head"` // hash of the newest event
	HeadSeq int64         `json:"head_seq"`
	Problem *ChainProblem `json:"problem,omitempty"`
}

// OK reports whether the chain verified.
func (r *ChainReport) OK() bool { return r.Problem == nil }

// ChainVerifier checks a chain one event at a time, in sequence order. It is
// shared by every store so that all of them verify by the same rules.
type ChainVerifier struct {
	report    ChainReport
	prevHash  string
	prevSeq   int64
	wantHead  string
	foundHead bool
}

// NewChainVerifier returns a verifier at the start of the chain. wantHead is
// a head hash kept elsewhere (empty for none): the chain must contain it.
func NewChainVerifier(wantHead string) *ChainVerifier {
	return &ChainVerifier{prevHash: GenesisHash, wantHead: wantHead}
}

// Add checks the next event. It returns false once the chain has failed;
// Report then tells where and why.
func (v *ChainVerifier) Add(e *AuditEvent) bool {
	if v.report.Problem != nil {
		return false
	}
	fail := func(reason string) bool {
		v.report.Problem = &ChainProblem{Seq: e.Seq, Reason: reason}
		return false
	}
	switch {
	case e.Seq != v.prevSeq+1:
		if e.Seq > v.prevSeq+1 {
			return fail("events are missing before this one (a gap in the sequence)")
		}
		return fail("the sequence number repeats or goes back (an inserted event)")
	case e.PrevHash != v.prevHash:
		return fail("the previous-hash link does not match the event before it (an event was removed, inserted or edited)")
	case e.ComputeHash() != e.Hash:
		return fail("the event's content does not match its hash (the event was edited)")
	}
	v.prevHash, v.prevSeq = e.Hash, e.Seq
	if e.Hash == v.wantHead {
		v.foundHead = true
	}
	v.report.Events++
	v.report.Head, v.report.HeadSeq = e.Hash, e.Seq
	return true
}

// Finish returns the report. Cutting off the newest events leaves a chain
// that verifies on its own; only a head hash kept elsewhere reveals it, so
// when one was given, the chain must contain it.
func (v *ChainVerifier) Finish() ChainReport {
	if v.report.Problem == nil && v.wantHead != "" && !v.foundHead {
		v.report.Problem = &ChainProblem{Seq: v.prevSeq + 1,
			Reason: "the chain does not contain the kept head " + v.wantHead + " (newest events were cut off, or the head is from another store)"}
	}
	return v.report
}

type actorKey struct{}

// WithActor returns a context that carries the acting user or process, for
// the audit log.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns the actor of the context, or "system".
func ActorFrom(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}
