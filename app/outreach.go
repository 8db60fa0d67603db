package app

import (
	"context"
	"slices"
	"strings"

	"rescreen"
	"rescreen/access"
	"rescreen/sqlstore"
)

// The outreach queue: the people who must be reached and are not. Many
// parents removed in 2018 could not be found for months; the queue keeps
// each of them in view, with the attempts made, until someone reaches
// them. It is a projection (table outreach, migration 0013) that the
// derivation writes from the family's own records in the transaction of
// every change, so the page reads one index in order instead of every
// family's records.

// outreachKinds are the kinds of record the queue is projected from
// besides persons and contact attempts (which already make a family's
// derived state stale): a change to one of them must derive the family
// again even for a service without rules.
var outreachKinds = map[rescreen.Kind]bool{
	rescreen.KindCustody: true, rescreen.KindNotices: true, rescreen.KindReturnRequests: true,
}

// failedDelivery are the outcomes of a notice that put its person on the
// queue.
var failedDelivery = map[rescreen.DeliveryOutcome]bool{
	rescreen.DeliveryReturned: true, rescreen.DeliveryNotReached: true, rescreen.DeliveryRefused: true,
}

// outreachOf projects the family's queue rows from its records, one per
// person on the queue, sorted by person:
//
//   - a parent (an adult member) whose latest custody episode is a
//     removal, who has not come back (no return request with an arrival
//     or in state RETURNED, and no later custody episode), and whom no
//     contact attempt dated on or after the removal reached;
//   - anyone whose latest notice addressed to them (by date, then by the
//     order it was recorded) came back RETURNED, NOT_REACHED or REFUSED.
//     A notice with a recipient went to someone else on the person's
//     behalf (counsel, a parent): it neither reaches the person nor
//     fails to, so it decides nothing here. A contact attempt does not
//     take the person off for this reason: the notice still has not
//     been given. Recording its delivery, or giving the person a later
//     notice, does.
//
// Since is the earlier of the removal and the failed notice's date.
func outreachOf(d *rescreen.Dataset) []sqlstore.OutreachRow {
	var out []sqlstore.OutreachRow
	for i := range d.Persons {
		p := &d.Persons[i]
		key := p.Key()
		row := sqlstore.OutreachRow{Person: key, PersonID: rescreen.PersonID(p.ID)}
		var since rescreen.Date
		if p.Role.IsAdult() {
			var latest *rescreen.Custody
			for j := range d.Custody {
				if c := &d.Custody[j]; c.Person == key && (latest == nil || laterCustody(c, latest)) {
					latest = c
				}
			}
			if latest != nil && latest.Kind == rescreen.CustodyRemoved && !returned(d, key) && !reachedSince(d, key, latest.Start) {
				row.Reasons = append(row.Reasons, rescreen.OutreachRemoved)
				since = latest.Start
			}
		}
		var last *rescreen.Notice
		for j := range d.Notices {
			n := &d.Notices[j]
			if n.Person == key && n.Recipient == "" && (last == nil || n.On.After(last.On) || (n.On == last.On && strings.Compare(n.ID, last.ID) > 0)) {
				last = n
			}
		}
		if last != nil && failedDelivery[last.Outcome] {
			row.Reasons = append(row.Reasons, rescreen.OutreachNoticeFailed)
			row.NoticeID, row.NoticeKind, row.NoticeOutcome = last.ID, string(last.Kind), string(last.Outcome)
			if since.IsZero() || last.On.Before(since) {
				since = last.On
			}
		}
		if len(row.Reasons) == 0 {
			continue
		}
		row.Since = since.String()
		if len(p.Languages) > 0 {
			row.Language = p.Languages[0]
		}
		var lastAttempt *rescreen.ContactAttempt
		for j := range d.Contacts {
			c := &d.Contacts[j]
			if c.Person != key {
				continue
			}
			row.Attempts++
			if lastAttempt == nil || c.On.After(lastAttempt.On) || (c.On == lastAttempt.On && strings.Compare(c.ID, lastAttempt.ID) > 0) {
				lastAttempt = c
			}
		}
		if lastAttempt != nil {
			row.LastOn, row.LastChannel, row.LastOutcome = lastAttempt.On.String(), string(lastAttempt.Channel), string(lastAttempt.Outcome)
		}
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b sqlstore.OutreachRow) int { return strings.Compare(string(a.Person), string(b.Person)) })
	return out
}

// returned reports whether the records show the parent back in the United
// States after a removal: a return request with an arrival date, or in
// state RETURNED.
func returned(d *rescreen.Dataset, parent rescreen.Ref) bool {
	for i := range d.ReturnRequests {
		r := &d.ReturnRequests[i]
		if r.Parent == parent && (!r.ArrivedOn.IsZero() || r.State == "RETURNED") {
			return true
		}
	}
	return false
}

// reachedSince reports whether a contact attempt on or after the day
// reached the person.
func reachedSince(d *rescreen.Dataset, person rescreen.Ref, day rescreen.Date) bool {
	for i := range d.Contacts {
		c := &d.Contacts[i]
		if c.Person == person && c.Outcome == "REACHED" && !c.On.Before(day) {
			return true
		}
	}
	return false
}

// Outreach returns a page of the outreach queue, the longest unreached
// first, within the caller's reach of the CONTACT group. Names are masked
// as on every other list.
func (s *Service) Outreach(ctx context.Context, after string, limit int) (rescreen.OutreachPage, error) {
	today := rescreen.DateOf(s.Now().UTC())
	page := rescreen.OutreachPage{AsOf: today, Items: []rescreen.OutreachItem{}}
	r, err := reach(ctx, access.Need{Group: access.Contact, Level: access.Read})
	if err != nil {
		return page, err
	}
	switch {
	case limit == 0:
		limit = defaultLimit
	case limit < 0 || limit > maxLimit:
		return page, rescreen.Errorf(rescreen.EINVALID, "limit: must be between 1 and %d", maxLimit)
	}
	q := sqlstore.OutreachQuery{Reach: r, Limit: limit + 1}
	if after != "" {
		parts := strings.Split(after, "|")
		if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
			return page, rescreen.Errorf(rescreen.EINVALID, "after: not a position in the outreach queue")
		}
		if _, err := rescreen.ParseDate(parts[0]); err != nil {
			return page, rescreen.Errorf(rescreen.EINVALID, "after: not a position in the outreach queue")
		}
		q.After, q.HasAfter = [3]string{parts[0], parts[1], parts[2]}, true
	}
	rows, err := s.DB.Outreach(ctx, q)
	if err != nil {
		return page, err
	}
	if page.Total, err = s.DB.OutreachCount(ctx, r); err != nil {
		return page, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		l := rows[limit-1]
		page.Next = l.Since + "|" + string(l.FamilyID) + "|" + string(l.Person)
	}
	fams := make([]rescreen.FamilyID, len(rows))
	for i, row := range rows {
		fams[i] = row.FamilyID
	}
	lvs, err := s.levelsOf(ctx, fams)
	if err != nil {
		return page, err
	}
	for _, row := range rows {
		it := rescreen.OutreachItem{
			FamilyID: row.FamilyID, Person: row.Person, PersonID: row.PersonID, Name: row.Name, Role: row.Role,
			Language: row.Language, Reasons: row.Reasons, Attempts: row.Attempts,
			LastChannel: rescreen.Channel(row.LastChannel), LastOutcome: rescreen.ContactOutcome(row.LastOutcome),
			NoticeID: row.NoticeID, NoticeKind: rescreen.NoticeKind(row.NoticeKind), NoticeOutcome: rescreen.DeliveryOutcome(row.NoticeOutcome),
		}
		it.Since, _ = rescreen.ParseDate(row.Since)
		it.LastOn, _ = rescreen.ParseDate(row.LastOn)
		if !it.Since.IsZero() {
			it.Days = max(0, int(today.Time().Sub(it.Since.Time()).Hours()/24))
		}
		birth, _ := rescreen.ParseDate(row.BirthDate)
		if lvs != nil && identityHidden(lvs[row.FamilyID], row.Role, birth, today) {
			it.Name = Initials(it.Name)
		}
		page.Items = append(page.Items, it)
	}
	return page, nil
}
