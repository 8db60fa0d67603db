package rescreen

import "context"

// Deadline views: the work queues of the tasks page.
const (
	DeadlinesOverdue = "overdue" // missed, or open and past due
	DeadlinesDueSoon = "soon"    // open and due within the window
	DeadlinesOpen    = "open"    // every open or missed deadline
)

// Whose deadlines a list holds, within the reach of the user's roles.
const (
	DeadlinesAll  = "all"  // every family the user may see
	DeadlinesMine = "mine" // the families whose records name the user as officer or contact maker
	DeadlinesTeam = "team" // the families of the user's units: an office, a facility, a shelter, an organisation
)

// DeadlineFilter selects deadlines from the families' current
// determinations: a view, whose (all when empty), the window of the due-soon view in days (0
// means 14), today's date (zero: the service's today), a keyset cursor and
// a limit (0 means 50).
type DeadlineFilter struct {
	View   string
	Whose  string
	Within int
	Today  Date
	After  string
	Limit  int
}

// DeadlineItem is one deadline a member's determination carries, as the
// family was last evaluated.
type DeadlineItem struct {
	FamilyID FamilyID `json:"family_id"`
	Person   Ref      `json:"person"`
	Clock    string   `json:"clock"` // the rules' clock id, such as T-2
	Title    string   `json:"title"`
	Due      Date     `json:"due"`
	Status   string   `json:"status"` // OPEN or MISSED when last evaluated
	Overdue  bool     `json:"overdue"`
}

// DeadlineService lists the deadlines the rules set, overdue first.
type DeadlineService interface {
	Deadlines(ctx context.Context, f DeadlineFilter) (Page[DeadlineItem], error)
}
