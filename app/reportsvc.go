package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"slices"
	"sync"
	"time"

	"rescreen"
	"rescreen/access"
	"rescreen/report"
)

// Reports hands the court status report to the server
// (rescreen.ReportService). A report reads and evaluates every family, which
// takes seconds on a large registry, while the dashboard shows it on every
// view; so a report is kept and handed out again until the registry
// changes. The key is the report's date and the store's change marker (the
// newest audit event that records a change, sqlstore.DB.ChangeMarker): not
// the chain's head, which every page view moves, since reads are audited
// too. A report for a key is computed at most once at a time, however many
// ask for it together, and one report is computed at a time in all, so
// requests for many dates queue instead of sharing the cores.
//
// The marker is read before the report's families, so a change committed
// while a report is computed may be in it, and the next request, seeing a
// newer marker, computes the report again: a report is never handed out
// for a registry older than the one it counts.
type Reports struct {
	svc *Service
	// Workers is how many cores a report uses; 0 means all.
	Workers int
	// Keep is how many reports are kept (by date and marker, the least
	// recently used dropped first); 0 means 8.
	Keep int

	sem     chan struct{} // one computation at a time
	mu      sync.Mutex
	entries map[reportKey]*reportEntry
	tick    uint64
}

// NewReports returns the report service over s: its store, its rules
// engine (Service.Rules) and its clock for "today".
func NewReports(s *Service) *Reports {
	return &Reports{svc: s, sem: make(chan struct{}, 1), entries: map[reportKey]*reportEntry{}}
}

var _ rescreen.ReportService = (*Reports)(nil)

type reportKey struct {
	asOf   rescreen.Date
	marker int64
}

// reportEntry is one report, computed or being computed. Its fields other
// than the waiters' count are written once, before done is closed.
type reportEntry struct {
	done    chan struct{}
	cancel  context.CancelFunc
	waiters int // guarded by Reports.mu
	used    uint64
	rep     *report.Report
	out     *rescreen.StatusReport
	err     error

	fileMu sync.Mutex
	files  map[rescreen.ReportFormat]*rescreen.ReportFile
}

// StatusReport returns the report as of asOf (today by the service's
// clock if zero); see rescreen.ReportService.
func (r *Reports) StatusReport(ctx context.Context, asOf rescreen.Date) (*rescreen.StatusReport, error) {
	e, err := r.entry(ctx, asOf)
	if err != nil {
		return nil, err
	}
	out := *e.out
	out.Rows = slices.Clone(e.out.Rows)
	out.Meanings = slices.Clone(e.out.Meanings)
	return &out, nil
}

// StatusReportFile returns the report as of asOf written in a format, each
// format written once per report.
func (r *Reports) StatusReportFile(ctx context.Context, asOf rescreen.Date, f rescreen.ReportFormat) (*rescreen.ReportFile, error) {
	if !slices.Contains(rescreen.ReportFormats, f) {
		return nil, rescreen.Errorf(rescreen.EINVALID, "The report has no format %q; it is written as pdf, es.pdf, csv or json.", string(f))
	}
	e, err := r.entry(ctx, asOf)
	if err != nil {
		return nil, err
	}
	e.fileMu.Lock()
	defer e.fileMu.Unlock()
	if file := e.files[f]; file != nil {
		return file, nil
	}
	var buf bytes.Buffer
	if err := e.rep.WriteFormat(&buf, f); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(buf.Bytes())
	file := &rescreen.ReportFile{Name: f.FileName(e.rep.AsOf), ContentType: f.ContentType(), Body: buf.Bytes(), SHA256: hex.EncodeToString(sum[:])}
	if e.files == nil {
		e.files = map[rescreen.ReportFormat]*rescreen.ReportFile{}
	}
	e.files[f] = file
	return file, nil
}

// CheckReportDate checks the date a court status report is to be made as
// of, for the pages and the command line alike: a day of a year from 1900
// to 2100, as every date of the records is, and not after today. Each new
// date costs an evaluation of every family, so a date no report can mean
// is refused before anything is read, with EINVALID naming it.
func CheckReportDate(asOf, today rescreen.Date) error {
	switch {
	case asOf.Year < 1900 || asOf.Year > 2100:
		return rescreen.Errorf(rescreen.EINVALID, "The report cannot be made as of %s: the year must be between 1900 and 2100.", asOf)
	case asOf.After(today):
		return rescreen.Errorf(rescreen.EINVALID, "The report cannot be made as of %s, a date after today (%s).", asOf, today)
	}
	return nil
}

// entry returns the computed report for the date and the store as it is
// now, computing it if no one has, or waiting for the computation under
// way. A caller who gives up stops waiting; when the last one has, the
// computation is cancelled. A date CheckReportDate refuses is EINVALID.
func (r *Reports) entry(ctx context.Context, asOf rescreen.Date) (*reportEntry, error) {
	if _, err := reach(ctx, access.Need{Group: access.Counts, Level: access.Read}); err != nil {
		return nil, err
	}
	if r.svc.Rules == nil {
		return nil, rescreen.Errorf(rescreen.EINVALID, "status report: no rules are configured")
	}
	today := rescreen.DateOf(r.svc.Now().UTC())
	if asOf.IsZero() {
		asOf = today
	}
	if err := CheckReportDate(asOf, today); err != nil {
		return nil, err
	}
	marker, err := r.svc.DB.ChangeMarker(ctx)
	if err != nil {
		return nil, err
	}
	key := reportKey{asOf, marker}
	r.mu.Lock()
	e := r.entries[key]
	if e == nil {
		e = &reportEntry{done: make(chan struct{})}
		// The report counts the whole registry whoever asks (COUNTS is
		// no family's), so it is computed as the process's own call,
		// without the caller's principal, and outlives the caller's
		// request while someone waits for it.
		cctx, cancel := context.WithCancel(rescreen.WithActor(context.Background(), rescreen.ActorFrom(ctx)))
		e.cancel = cancel
		r.entries[key] = e
		r.evict(key)
		go r.compute(cctx, key, e)
	}
	r.tick++
	e.used = r.tick
	e.waiters++
	r.mu.Unlock()

	select {
	case <-e.done:
	case <-ctx.Done():
	}
	r.mu.Lock()
	e.waiters--
	select {
	case <-e.done:
	default:
		if e.waiters == 0 {
			// Nobody waits for it any more: stop it, and let the next
			// request start afresh.
			e.cancel()
			if r.entries[key] == e {
				delete(r.entries, key)
			}
		}
	}
	r.mu.Unlock()
	select {
	case <-e.done:
	default:
		return nil, rescreen.WrapError(rescreen.EINTERNAL, "status report", ctx.Err(), "The report was not finished: the request ended first.")
	}
	if e.err != nil {
		return nil, e.err
	}
	return e, nil
}

// evict drops, under r.mu, the reports of the key's date made before the
// registry's latest change, and then the least recently used beyond Keep.
func (r *Reports) evict(key reportKey) {
	for k, e := range r.entries {
		if k.asOf == key.asOf && k.marker < key.marker && e.waiters == 0 {
			delete(r.entries, k)
		}
	}
	keep := r.Keep
	if keep <= 0 {
		keep = 8
	}
	for len(r.entries) > keep {
		var oldest reportKey
		var used uint64
		found := false
		for k, e := range r.entries {
			if k != key && e.waiters == 0 && (!found || e.used < used) {
				oldest, used, found = k, e.used, true
			}
		}
		if !found {
			return
		}
		delete(r.entries, oldest)
	}
}

// compute makes the report of the key, one at a time, and closes done.
func (r *Reports) compute(ctx context.Context, key reportKey, e *reportEntry) {
	defer close(e.done)
	defer e.cancel()
	fail := func(err error) {
		e.err = err
		r.mu.Lock()
		if r.entries[key] == e {
			delete(r.entries, key) // an error is not kept: the next request tries again
		}
		r.mu.Unlock()
	}
	select {
	case r.sem <- struct{}{}:
		defer func() { <-r.sem }()
	case <-ctx.Done():
		fail(rescreen.WrapError(rescreen.EINTERNAL, "status report", ctx.Err(), ""))
		return
	}
	workers := r.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	rep, err := r.svc.StatusReport(ctx, r.svc.Rules, key.asOf, workers)
	if err != nil {
		fail(err)
		return
	}
	e.rep = rep
	e.out = statusReportOf(rep, r.svc.Now().UTC(), time.Since(start))
}

// statusReportOf copies a report into the root package's form, with the
// definitions' names and statements in every language they are written
// in.
func statusReportOf(rep *report.Report, computedAt time.Time, elapsed time.Duration) *rescreen.StatusReport {
	out := &rescreen.StatusReport{
		Title: rep.Title, AsOf: rep.AsOf, RuleSet: rep.RuleSet, Definitions: rep.Definitions,
		Snapshot:   rescreen.ReportSnapshot{AuditSeq: rep.Snapshot.AuditSeq, AuditHash: rep.Snapshot.AuditHash, At: rep.Snapshot.At},
		Rows:       make([]rescreen.ReportRow, len(rep.Rows)),
		ComputedAt: computedAt, Elapsed: elapsed,
	}
	for i, x := range rep.Rows {
		out.Rows[i] = rescreen.ReportRow{ID: x.ID, Metric: x.Metric, Group: x.Group, Value: x.Value}
	}
	for _, id := range rep.IDs() {
		d := rescreen.ReportDefinition{ID: id, Metric: map[string]string{"en": rep.Metric(id, "en")}, Text: map[string]string{}}
		for _, lang := range report.Languages {
			if m := report.MetricName(id, lang); m != "" {
				d.Metric[lang] = m
			}
			if t := report.DefinitionText(id, lang); t != "" {
				d.Text[lang] = t
			}
		}
		out.Meanings = append(out.Meanings, d)
	}
	return out
}
