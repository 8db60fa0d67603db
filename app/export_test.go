package app

import (
	"context"

	"rescreen"
)

// RescoreAfterRead is Rescore with a function run between its reads and
// its transaction, where a test plays a change made while a run works.
func (s *Service) RescoreAfterRead(ctx context.Context, th rescreen.LinkThresholds, afterRead func()) (LinkSummary, error) {
	return s.scorePersons(ctx, th, false, afterRead)
}
