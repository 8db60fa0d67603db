package app

import (
	"bytes"
	"context"

	"rescreen"
	"rescreen/report"
)

// RescoreAfterRead is Rescore with a function run between its reads and
// its transaction, where a test plays a change made while a run works.
func (s *Service) RescoreAfterRead(ctx context.Context, th rescreen.LinkThresholds, afterRead func()) (LinkSummary, error) {
	return s.scorePersons(ctx, th, false, afterRead)
}

// StatusReportByEvaluation is the status report made by evaluating every
// family, without reading the stored contributions.
func (s *Service) StatusReportByEvaluation(ctx context.Context, eng Evaluator, asOf rescreen.Date, workers int) ([]byte, error) {
	t, err := s.reportByEvaluation(ctx, eng, asOf, workers)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	r := t.Report("Status report", report.Snapshot{}, eng.Version())
	if err := s.addCourtRows(ctx, r); err != nil {
		return nil, err
	}
	err = r.WriteJSON(&b)
	return b.Bytes(), err
}
