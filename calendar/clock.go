package calendar

import (
	"errors"
	"slices"
	"strconv"
)

// Unit is what a clock counts.
type Unit uint8

// The units a clock can count. A month or year clock steps as AddMonths
// does; holds and day extensions on it count calendar days.
const (
	CalendarDays Unit = iota + 1
	BusinessDays
	Months
	Years
)

// String returns the unit in words, as explanations use it.
func (u Unit) String() string {
	switch u {
	case CalendarDays:
		return "calendar days"
	case BusinessDays:
		return "business days"
	case Months:
		return "months"
	case Years:
		return "years"
	}
	return "unit " + strconv.Itoa(int(u))
}

// dayUnit is the unit in which holds, day extensions and the days left on
// the clock are counted.
func (u Unit) dayUnit() Unit {
	if u == BusinessDays {
		return BusinessDays
	}
	return CalendarDays
}

// State is where a clock stands on a day. The values are the rules
// engine's deadline statuses, so a stored status converts with State(s).
type State string

// The states of a clock.
const (
	StateOpen   State = "OPEN"   // running, not yet due or due today
	StateMet    State = "MET"    // completed on or before the due date
	StateMissed State = "MISSED" // past due and not completed, or completed late
	StatePaused State = "PAUSED" // a hold is in force on the day
)

// Entry is one line of a clock's ledger: a Hold, a Lift, an Extension or a
// Revocation. Entries are numbered from 1 in the order appended, the way a
// docket numbers its entries, and none is ever removed: a mistake is undone
// by a Revocation, which stays in the ledger with its authority.
type Entry interface {
	kind() string
}

// Hold pauses the clock on every day from From to To, both included: a
// held day is not counted, and the clock resumes the day after. A zero To
// means the hold is in force until a Lift ends it. Days held by two holds
// count once.
type Hold struct {
	From, To  Date
	Reason    string
	Authority string // the order or rule that imposed it, e.g. "court order ECF 123"
}

// Lift ends a hold that was imposed without an end date; To is the last day
// held. A hold with an end date is changed by revoking it and appending
// another.
type Lift struct {
	Entry     int // the number of the hold
	To        Date
	Reason    string
	Authority string
}

// Extension moves the due date. Exactly one of Days, Months and Until is
// set:
//
//   - Days adds days in the clock's day unit (business days on a business
//     day clock, calendar days otherwise);
//   - Months adds months to a month or year clock, as AddMonths does (the
//     2025 order added one year or six months to such clocks);
//   - Until sets a new due date outright. The order that sets it is taken
//     to have weighed the holds already in the ledger, so only holds and
//     extensions appended after it move that date again, and only by days
//     from On onwards.
type Extension struct {
	On        Date // the day it was granted
	Days      int
	Months    int
	Until     Date
	Reason    string
	Authority string // required: an order, a stipulation or a rule id
}

// Revocation undoes an earlier hold, lift or extension: the clock runs as
// if that entry had never been made. A revocation cannot itself be
// revoked; the entry is appended again instead.
type Revocation struct {
	Entry     int // the number of the entry revoked
	Reason    string
	Authority string
}

func (Hold) kind() string       { return "hold" }
func (Lift) kind() string       { return "lift" }
func (Extension) kind() string  { return "extension" }
func (Revocation) kind() string { return "revocation" }

// LedgerError reports an entry that was refused, naming the entry's number
// (the one it would have had), its kind and the field at fault. The
// ledger is unchanged when Append returns one.
type LedgerError struct {
	Entry   int
	Kind    string
	Field   string
	Message string // begins with the field's name
}

func (e *LedgerError) Error() string {
	return "ledger entry " + strconv.Itoa(e.Entry) + " (" + e.Kind + "): " + e.Message
}

// Clock is a deadline: a start, a length in a unit, an optional completion
// date and an append-only ledger. Append is the only way to change the
// ledger; a Clock is used through a pointer, because copies share it. Due,
// Status and Explain only read, so they may run at the same time, but not
// at the same time as Append or Complete.
//
// A service that stores a ledger rebuilds the clock with NewClock and one
// Append per stored entry, in order; the checks then run again.
type Clock struct {
	start     Date
	length    int
	unit      Unit
	completed Date

	entries   []Entry
	revokedBy []int // per entry: the number of the revocation that undid it, or 0
	liftedBy  []int // per hold: the number of the lift in force, or 0

	// The effect of the ledger, worked out on every Append so that Due and
	// Status read it without allocating.
	all    []span // every hold in force, merged and sorted
	prior  []span // the holds in force that precede the fixing extension
	fixing int    // index of the last Extension with Until in force, or -1
	days   int    // day extensions that count (after the fixing one)
	months int    // month extensions that count (after the fixing one)
}

// span is a run of held days, as day numbers, both ends included.
type span struct{ from, to int }

// openEnd marks a span with no end. noClose asks for open spans to be
// left open; any other closeAt ends them on that day.
const (
	openEnd = int(^uint(0) >> 1)
	noClose = openEnd
)

// NewClock returns a clock that starts on start (day 0, not counted) and
// runs length units.
func NewClock(start Date, length int, unit Unit) (*Clock, error) {
	switch {
	case !start.Valid():
		return nil, errors.New("calendar: clock start " + start.String() + " is not a valid date")
	case length < 0:
		return nil, errors.New("calendar: clock length " + strconv.Itoa(length) + " is negative")
	case unit < CalendarDays || unit > Years:
		return nil, errors.New("calendar: clock " + unit.String() + " is not a unit")
	}
	return &Clock{start: start, length: length, unit: unit, fixing: -1}, nil
}

// Start returns the clock's day 0.
func (c *Clock) Start() Date { return c.start }

// Length returns the clock's length before the ledger.
func (c *Clock) Length() int { return c.length }

// Unit returns what the clock counts.
func (c *Clock) Unit() Unit { return c.unit }

// Completed returns the day the clock was met, or the zero Date.
func (c *Clock) Completed() Date { return c.completed }

// Complete records the day the thing the clock waits for was done (the
// interview held, the request filed); the zero Date clears it. Completion
// is a fact about the case, not a ledger entry, so it can be corrected.
func (c *Clock) Complete(on Date) error {
	if !on.IsZero() && !on.Valid() {
		return errors.New("calendar: completion date " + on.String() + " is not a valid date")
	}
	c.completed = on
	return nil
}

// Entries returns a copy of the ledger; entry n is at index n-1.
func (c *Clock) Entries() []Entry { return slices.Clone(c.entries) }

// RevokedBy returns the number of the revocation that undid entry n, or 0.
func (c *Clock) RevokedBy(n int) int {
	if n < 1 || n > len(c.entries) {
		return 0
	}
	return c.revokedBy[n-1]
}

// Append adds e to the ledger and returns its number. An entry that fails
// validation is refused with a *LedgerError and the ledger is unchanged.
func (c *Clock) Append(e Entry) (int, error) {
	e = deref(e)
	n := len(c.entries) + 1
	if err := c.check(n, e); err != nil {
		return 0, err
	}
	c.entries = append(c.entries, e)
	c.revokedBy = append(c.revokedBy, 0)
	c.liftedBy = append(c.liftedBy, 0)
	switch v := e.(type) {
	case Lift:
		c.liftedBy[v.Entry-1] = n
	case Revocation:
		c.revokedBy[v.Entry-1] = n
		if l, ok := c.entries[v.Entry-1].(Lift); ok && c.liftedBy[l.Entry-1] == v.Entry {
			c.liftedBy[l.Entry-1] = 0 // the hold is open again
		}
	}
	c.rebuild()
	return n, nil
}

// check validates e as entry n against the ledger as it stands.
func (c *Clock) check(n int, e Entry) error {
	if e == nil {
		return &LedgerError{Entry: n, Kind: "none", Field: "entry", Message: "entry is missing"}
	}
	bad := func(field, msg string) error {
		return &LedgerError{Entry: n, Kind: e.kind(), Field: field, Message: msg}
	}
	var authority string
	switch v := e.(type) {
	case Hold:
		authority = v.Authority
		switch {
		case v.From.IsZero():
			return bad("from", "from is required")
		case !v.From.Valid():
			return bad("from", "from "+v.From.String()+" is not a valid date")
		case !v.To.IsZero() && !v.To.Valid():
			return bad("to", "to "+v.To.String()+" is not a valid date")
		case !v.To.IsZero() && v.To.Compare(v.From) < 0:
			return bad("to", "to "+v.To.String()+" is before from "+v.From.String())
		}
	case Lift:
		authority = v.Authority
		if err := c.checkTarget(v.Entry, bad); err != nil {
			return err
		}
		h, ok := c.entries[v.Entry-1].(Hold)
		switch {
		case !ok:
			return bad("entry", "entry "+strconv.Itoa(v.Entry)+" is a "+c.entries[v.Entry-1].kind()+", not a hold")
		case !h.To.IsZero():
			return bad("entry", "the hold of entry "+strconv.Itoa(v.Entry)+" already ends on "+h.To.String()+"; revoke it and append another")
		case c.liftedBy[v.Entry-1] != 0:
			return bad("entry", "the hold of entry "+strconv.Itoa(v.Entry)+" is already lifted by entry "+strconv.Itoa(c.liftedBy[v.Entry-1]))
		case v.To.IsZero():
			return bad("to", "to is required")
		case !v.To.Valid():
			return bad("to", "to "+v.To.String()+" is not a valid date")
		case v.To.Compare(h.From) < 0:
			return bad("to", "to "+v.To.String()+" is before the hold's start "+h.From.String())
		}
	case Extension:
		authority = v.Authority
		set := 0
		for _, b := range [3]bool{v.Days != 0, v.Months != 0, !v.Until.IsZero()} {
			if b {
				set++
			}
		}
		switch {
		case v.On.IsZero():
			return bad("on", "on is required")
		case !v.On.Valid():
			return bad("on", "on "+v.On.String()+" is not a valid date")
		case set == 0:
			return bad("days", "days, months or until is required")
		case set > 1:
			return bad("days", "days, months and until are exclusive; set one")
		case v.Days < 0:
			return bad("days", "days must be positive, not "+strconv.Itoa(v.Days))
		case v.Months < 0:
			return bad("months", "months must be positive, not "+strconv.Itoa(v.Months))
		case v.Months > 0 && c.unit != Months && c.unit != Years:
			return bad("months", "months apply only to a clock counted in months or years, not in "+c.unit.String())
		case !v.Until.IsZero() && !v.Until.Valid():
			return bad("until", "until "+v.Until.String()+" is not a valid date")
		case !v.Until.IsZero() && v.Until.Compare(c.start) < 0:
			return bad("until", "until "+v.Until.String()+" is before the clock's start "+c.start.String())
		}
	case Revocation:
		authority = v.Authority
		if err := c.checkTarget(v.Entry, bad); err != nil {
			return err
		}
		if _, ok := c.entries[v.Entry-1].(Revocation); ok {
			return bad("entry", "entry "+strconv.Itoa(v.Entry)+" is a revocation, which cannot be revoked; append the entry again")
		}
	default:
		return &LedgerError{Entry: n, Kind: e.kind(), Field: "entry", Message: "entry is of an unknown kind"}
	}
	if authority == "" {
		return bad("authority", "authority is required")
	}
	return nil
}

// checkTarget checks that entry m exists and has not been revoked.
func (c *Clock) checkTarget(m int, bad func(field, msg string) error) error {
	switch {
	case m < 1 || m > len(c.entries):
		return bad("entry", "entry "+strconv.Itoa(m)+" does not exist")
	case c.revokedBy[m-1] != 0:
		return bad("entry", "entry "+strconv.Itoa(m)+" is already revoked by entry "+strconv.Itoa(c.revokedBy[m-1]))
	}
	return nil
}

// deref turns a pointer to an entry into the entry, so that the ledger
// holds values no caller can change afterwards; a nil pointer becomes nil.
func deref(e Entry) Entry {
	switch v := e.(type) {
	case *Hold:
		if v != nil {
			return *v
		}
	case *Lift:
		if v != nil {
			return *v
		}
	case *Extension:
		if v != nil {
			return *v
		}
	case *Revocation:
		if v != nil {
			return *v
		}
	default:
		return e
	}
	return nil
}

// rebuild works out the effect of the ledger.
func (c *Clock) rebuild() {
	c.fixing, c.days, c.months = -1, 0, 0
	for i, e := range c.entries {
		if x, ok := e.(Extension); ok && c.revokedBy[i] == 0 && !x.Until.IsZero() {
			c.fixing = i
		}
	}
	c.all, c.prior = c.all[:0], c.prior[:0]
	for i, e := range c.entries {
		if c.revokedBy[i] != 0 {
			continue
		}
		switch v := e.(type) {
		case Extension:
			if i > c.fixing {
				c.days += v.Days
				c.months += v.Months
			}
		case Hold:
			s := span{v.From.Days(), openEnd}
			if l := c.liftedBy[i]; l != 0 {
				s.to = c.entries[l-1].(Lift).To.Days()
			} else if !v.To.IsZero() {
				s.to = v.To.Days()
			}
			c.all = append(c.all, s)
			if i < c.fixing {
				c.prior = append(c.prior, s)
			}
		}
	}
	c.all = merge(c.all)
	c.prior = merge(c.prior)
}

// merge sorts spans and joins those that overlap or touch, so that a day
// held twice is counted once.
func merge(ss []span) []span {
	slices.SortFunc(ss, func(a, b span) int { return cmp(a.from, b.from) })
	out := ss[:0]
	for _, s := range ss {
		if k := len(out) - 1; k >= 0 && (out[k].to == openEnd || s.from <= out[k].to+1) {
			out[k].to = max(out[k].to, s.to)
			continue
		}
		out = append(out, s)
	}
	return out
}

// end returns the last day of s, with an open span ended on closeAt; an
// open span that begins after closeAt comes out empty (end < from).
func end(s span, closeAt int) int {
	if s.to != openEnd || closeAt == noClose {
		return s.to
	}
	if s.from <= closeAt {
		return closeAt
	}
	return s.from - 1
}

// Due returns the due date after the ledger. It reports false while a hold
// with no end stops the clock before it runs out: the due date is then not
// known until the hold is lifted (Status gives the date the clock would
// reach if it were lifted at the end of a given day).
func (c *Clock) Due() (Date, bool) {
	due, ok := c.due(noClose)
	if !ok {
		return Date{}, false
	}
	return FromDays(due), true
}

// due works out the due date as a day number. The clock needs a number of
// counted days (days of its unit that are not held) after its anchor: the
// start, or the day a fixing extension was granted. The base date is what
// the clock reaches with nothing held; every counted day that holds take
// from the run up to it, plus the day extensions, is then counted on past
// it, skipping held days again. Holds a fixing extension already weighed
// (prior) take nothing from its date.
func (c *Clock) due(closeAt int) (int, bool) {
	anchor, base := c.anchorBase()
	x := c.held(c.all, anchor, base, closeAt) - c.held(c.prior, anchor, base, closeAt) + c.days
	return c.step(base, x, closeAt)
}

// anchorBase returns the anchor and the base date as day numbers.
func (c *Clock) anchorBase() (anchor, base int) {
	if c.fixing >= 0 {
		x := c.entries[c.fixing].(Extension)
		anchor = max(x.On.Days(), c.start.Days())
		return anchor, AddMonths(x.Until, c.months).Days()
	}
	anchor = c.start.Days()
	switch c.unit {
	case BusinessDays:
		base = AddBusinessDays(c.start, c.length).Days()
	case Months:
		base = AddMonths(c.start, c.length+c.months).Days()
	case Years:
		base = AddMonths(c.start, 12*c.length+c.months).Days()
	default:
		base = anchor + c.length
	}
	return anchor, base
}

// countsDay reports whether day n is a day of the clock's day unit.
func (c *Clock) countsDay(n int) bool { return c.unit != BusinessDays || isBusinessDays(n) }

// held counts the days of the clock's day unit in (a, b] that spans hold.
func (c *Clock) held(ss []span, a, b, closeAt int) int {
	n := 0
	for _, s := range ss {
		from, to := max(s.from, a+1), min(end(s, closeAt), b)
		if c.unit != BusinessDays {
			n += max(0, to-from+1)
			continue
		}
		for d := from; d <= to; d++ {
			if isBusinessDays(d) {
				n++
			}
		}
	}
	return n
}

// step returns the day on which the x-th counted day after day falls, or
// false if an open hold stops the count first.
func (c *Clock) step(day, x, closeAt int) (int, bool) {
	j := 0
	for x > 0 {
		day++
		for j < len(c.all) && end(c.all[j], closeAt) < day {
			j++
		}
		if j < len(c.all) && c.all[j].from <= day {
			e := end(c.all[j], closeAt)
			if e == openEnd {
				return 0, false
			}
			day = e // the loop resumes the day after the hold
			continue
		}
		if c.countsDay(day) {
			x--
		}
	}
	return day, true
}

// heldOn reports whether a hold is in force on day n.
func (c *Clock) heldOn(n int) bool {
	for _, s := range c.all {
		if s.from <= n && n <= end(s, n) {
			return true
		}
	}
	return false
}

// Status is where a clock stands on a day.
type Status struct {
	State State
	// Due is the due date as of that day: a hold still in force is taken
	// to be lifted at the end of it, so a paused clock shows the date it
	// would reach if the hold ended then.
	Due Date
	// Remaining is the number of counted days left (business days on a
	// business day clock, calendar days otherwise), not counting held
	// days; negative, the days overdue. For a completed clock it is
	// counted from the completion date.
	Remaining int
}

// Status returns where the clock stands on asOf. A completion after asOf
// is not yet known on asOf and is ignored; a completion after the due
// date is MISSED, as the rules report a late filing.
func (c *Clock) Status(asOf Date) Status {
	n := asOf.Days()
	due, _ := c.due(n) // open holds end on asOf, so the count ends
	st := Status{Due: FromDays(due)}
	if !c.completed.IsZero() && c.completed.Days() <= n {
		done := c.completed.Days()
		st.Remaining = c.remaining(done, due, n)
		st.State = StateMet
		if done > due {
			st.State = StateMissed
		}
		return st
	}
	st.Remaining = c.remaining(n, due, n)
	switch {
	case n > due:
		st.State = StateMissed
	case n >= c.start.Days() && c.heldOn(n):
		st.State = StatePaused
	default:
		st.State = StateOpen
	}
	return st
}

// remaining counts the days left from day n to due: counted days in (n,
// due], or minus the days of the day unit in [due, n) once n is past due.
// Before the start, the clock's whole run is left.
func (c *Clock) remaining(n, due, closeAt int) int {
	if n > due {
		if c.unit == BusinessDays {
			return BusinessDaysBetween(FromDays(n), FromDays(due))
		}
		return due - n
	}
	n = max(n, c.start.Days())
	days := due - n
	if c.unit == BusinessDays {
		days = BusinessDaysBetween(FromDays(n), FromDays(due))
	}
	return days - c.held(c.all, n, due, closeAt)
}

// Explain says in a few sentences how the due date was reached: the base
// due date, then every entry of the ledger with its reason and authority
// (and whether it was revoked or lifted), then the days held and the due
// date.
func (c *Clock) Explain() string {
	b := make([]byte, 0, 256)
	du := c.unit.dayUnit()
	b = appendCount(b, c.length, c.unit)
	b = append(b, " from "...)
	b = AppendDate(b, c.start)
	b = append(b, ": base due date "...)
	base := c.baseDate()
	b = AppendDate(b, base)
	b = append(b, '.')
	for i, e := range c.entries {
		b = append(b, " Entry "...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, ", "...)
		var reason, authority string
		switch v := e.(type) {
		case Hold:
			reason, authority = v.Reason, v.Authority
			b = append(b, "hold from "...)
			b = AppendDate(b, v.From)
			switch l := c.liftedBy[i]; {
			case !v.To.IsZero():
				b = append(b, " to "...)
				b = AppendDate(b, v.To)
			case l != 0:
				b = append(b, " to "...)
				b = AppendDate(b, c.entries[l-1].(Lift).To)
				b = append(b, " (lifted by entry "...)
				b = strconv.AppendInt(b, int64(l), 10)
				b = append(b, ')')
			default:
				b = append(b, ", until lifted"...)
			}
		case Lift:
			reason, authority = v.Reason, v.Authority
			b = append(b, "lift of the hold of entry "...)
			b = strconv.AppendInt(b, int64(v.Entry), 10)
			b = append(b, " after "...)
			b = AppendDate(b, v.To)
		case Extension:
			reason, authority = v.Reason, v.Authority
			b = append(b, "extension "...)
			switch {
			case !v.Until.IsZero():
				b = append(b, "to "...)
				b = AppendDate(b, v.Until)
			case v.Months != 0:
				b = append(b, "of "...)
				b = appendCount(b, v.Months, Months)
			default:
				b = append(b, "of "...)
				b = appendCount(b, v.Days, du)
			}
			b = append(b, " granted "...)
			b = AppendDate(b, v.On)
		case Revocation:
			reason, authority = v.Reason, v.Authority
			b = append(b, "revocation of entry "...)
			b = strconv.AppendInt(b, int64(v.Entry), 10)
		}
		if r := c.revokedBy[i]; r != 0 {
			b = append(b, " (revoked by entry "...)
			b = strconv.AppendInt(b, int64(r), 10)
			b = append(b, ')')
		}
		if reason != "" {
			b = append(b, ": "...)
			b = append(b, reason...)
		}
		b = append(b, " ("...)
		b = append(b, authority...)
		b = append(b, ")."...)
	}
	if c.fixing >= 0 {
		b = append(b, " Entry "...)
		b = strconv.AppendInt(b, int64(c.fixing+1), 10)
		b = append(b, " set the due date; only later entries move it."...)
	}
	due, ok := c.due(noClose)
	if !ok {
		b = append(b, " A hold with no end stops the clock: no due date until it is lifted."...)
		return string(b)
	}
	anchor, _ := c.anchorBase()
	if h := c.held(c.all, anchor, due, noClose) - c.held(c.prior, anchor, due, noClose); h > 0 {
		b = append(b, " Held: "...)
		b = appendCount(b, h, du)
		b = append(b, '.')
	}
	b = append(b, " Due date "...)
	b = AppendDate(b, FromDays(due))
	b = append(b, '.')
	return string(b)
}

// baseDate is the due date with an empty ledger.
func (c *Clock) baseDate() Date {
	switch c.unit {
	case BusinessDays:
		return AddBusinessDays(c.start, c.length)
	case Months:
		return AddMonths(c.start, c.length)
	case Years:
		return AddYears(c.start, c.length)
	}
	return AddDays(c.start, c.length)
}

// appendCount appends "n unit", singular for one.
func appendCount(b []byte, n int, u Unit) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, ' ')
	s := u.String()
	if n == 1 || n == -1 {
		s = s[:len(s)-1]
	}
	return append(b, s...)
}

// Deadline is one deadline as a work queue sees it; the service fills it
// from whatever it stores.
type Deadline struct {
	ID    string
	Due   Date
	State State
}

// Overdue returns the deadlines that are MISSED, or OPEN with a due date
// before asOf, most overdue first (earliest due date, then ID). A paused
// or met deadline is not overdue.
func Overdue(ds []Deadline, asOf Date) []Deadline {
	var out []Deadline
	for _, d := range ds {
		if d.State == StateMissed || d.State == StateOpen && d.Due.Compare(asOf) < 0 {
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, byDue)
	return out
}

// DueSoon returns the OPEN deadlines due from asOf through the horizon-th
// business day after it, earliest first (then by ID). A horizon of 0 keeps
// those due on asOf. The horizon counts business days because staff work
// the queue on business days: a Friday's five-day view reaches the next
// Friday, not the Wednesday.
func DueSoon(ds []Deadline, asOf Date, horizon int) []Deadline {
	last := AddBusinessDays(asOf, max(horizon, 0))
	var out []Deadline
	for _, d := range ds {
		if d.State == StateOpen && d.Due.Compare(asOf) >= 0 && d.Due.Compare(last) <= 0 {
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, byDue)
	return out
}

func byDue(a, b Deadline) int {
	if c := a.Due.Compare(b.Due); c != 0 {
		return c
	}
	switch {
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}
