package app

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"rescreen"
	"rescreen/access"
	"rescreen/sqlstore"
)

// This file is where the service applies access control (package access):
// the units a family's records name, the reach of a list, and the masking
// of what a principal may not read. A call whose context carries no
// principal is the process's own (the command line, the background jobs)
// and sees everything; the server puts a principal on every request it
// answers for a user (see docs/design.md, "Access control").

// familyUnits returns the units the records name, sorted and each once:
// the asylum offices of the screenings and appointments, the DHS
// facilities and the ORR shelters of the custody episodes, the counsel's
// organisations, and the users (by name) who are the officers of the
// screenings or appointments or made the contact attempts.
func familyUnits(d *rescreen.Dataset) []string {
	var out []string
	add := func(kind, id string) {
		if u := access.UnitOf(kind, id); u != "" {
			out = append(out, u)
		}
	}
	for i := range d.Screenings {
		add("office", d.Screenings[i].Office)
		add("user", d.Screenings[i].Officer)
	}
	for i := range d.Appointments {
		add("office", d.Appointments[i].Office)
		add("user", d.Appointments[i].Officer)
	}
	for i := range d.Custody {
		c := &d.Custody[i]
		switch c.Kind {
		case rescreen.CustodyORRShelter, rescreen.CustodyORRFoster:
			add("shelter", c.Facility)
		case rescreen.CustodyCBP, rescreen.CustodyICE, rescreen.CustodyFamily:
			add("facility", c.Facility)
		}
	}
	for i := range d.Counsel {
		add("org", d.Counsel[i].Organization)
	}
	for i := range d.Contacts {
		add("user", d.Contacts[i].By)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// reach returns the filter of a list for the need: off for the process's
// own calls, else the principal's units (or every family under an All
// scope). A principal who may not use the group at all gets EFORBIDDEN.
func reach(ctx context.Context, need access.Need) (sqlstore.Reach, error) {
	p, ok := access.FromContext(ctx)
	if !ok {
		return sqlstore.Reach{}, nil
	}
	r := p.Reach(need)
	if !r.Any {
		return sqlstore.Reach{}, rescreen.Errorf(rescreen.EFORBIDDEN, "No role of yours may %s %s.", need.Level.Verb(), need.Group)
	}
	if r.All {
		return sqlstore.Reach{}, nil
	}
	return sqlstore.Reach{On: true, Units: r.Units}, nil
}

// Resource returns what the access policy needs to know of a family: the
// units its records name (ENOTFOUND if there is no such family).
func (s *Service) Resource(ctx context.Context, id rescreen.FamilyID) (*access.Resource, error) {
	units, found, err := s.DB.UnitsOfFamily(ctx, id)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, rescreen.Errorf(rescreen.ENOTFOUND, "family %s not found", id)
	}
	return &access.Resource{Family: string(id), Units: units}, nil
}

// levels answers what the principal may do with each group of one family.
type levels func(access.Group) access.Level

// levelsFor returns the levels of the request's principal on the family;
// everything for the process's own calls.
func (s *Service) levelsFor(ctx context.Context, id rescreen.FamilyID, units []string) levels {
	p, ok := access.FromContext(ctx)
	if !ok {
		return func(access.Group) access.Level { return access.Write }
	}
	res := &access.Resource{Family: string(id), Units: units}
	return func(g access.Group) access.Level { return p.Level(g, res) }
}

// levelsOf returns levelsFor each family, reading their units in one
// query; nil for the process's own calls.
func (s *Service) levelsOf(ctx context.Context, ids []rescreen.FamilyID) (map[rescreen.FamilyID]levels, error) {
	if _, ok := access.FromContext(ctx); !ok {
		return nil, nil
	}
	// The units the request's policy check read, for a read, are the
	// units it was allowed on; the others are read here.
	out := make(map[rescreen.FamilyID]levels, len(ids))
	var rest []rescreen.FamilyID
	for _, id := range ids {
		if res, ok := access.ResourceFrom(ctx, string(id)); ok {
			out[id] = s.levelsFor(ctx, id, res.Units)
		} else {
			rest = append(rest, id)
		}
	}
	if len(rest) == 0 {
		return out, nil
	}
	units, err := s.DB.FamilyUnits(ctx, rest...)
	if err != nil {
		return nil, err
	}
	for _, id := range rest {
		out[id] = s.levelsFor(ctx, id, units[id])
	}
	return out, nil
}

// canRead reports whether lv allows reading g; a nil lv is the process's
// own, which reads everything.
func canRead(lv levels, g access.Group) bool { return lv == nil || lv(g) >= access.Read }

// isMinor reports whether a person is a minor as of today: a child whose
// birth date is unknown or less than 18 years before today.
func isMinor(role rescreen.Role, birth, today rescreen.Date) bool {
	if role != rescreen.RoleChild {
		return false
	}
	return birth.IsZero() || birth.AgeOn(today) < 18
}

// identityHidden reports whether a person's names, birth date and
// identifiers are hidden from lv.
func identityHidden(lv levels, role rescreen.Role, birth, today rescreen.Date) bool {
	if !canRead(lv, access.Identity) {
		return true
	}
	return isMinor(role, birth, today) && !canRead(lv, access.Minors)
}

// Initials masks a name as the initials of its words: "María José López"
// becomes "M. J. L.".
func Initials(name string) string {
	var parts []string
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r, _ := utf8.DecodeRuneInString(w)
		parts = append(parts, string(unicode.ToUpper(r))+".")
	}
	return strings.Join(parts, " ")
}

// MaskANumber keeps the last four digits of an A-number: A012345678
// becomes A-XXX-XX5-678. Another identifier keeps its last two
// characters.
func MaskANumber(v string) string {
	if len(v) == 10 && v[0] == 'A' {
		return "A-XXX-XX" + v[6:7] + "-" + v[7:]
	}
	if len(v) <= 2 {
		return strings.Repeat("X", len(v))
	}
	return strings.Repeat("X", len(v)-2) + v[len(v)-2:]
}

// maskDossier removes or masks, in place, what lv may not read: the
// records of each group below Read, the free-text notes without
// SCREENING_NOTES, and the names, birth dates and identifiers of persons
// without IDENTITY (adults) or MINORS (minors). Masked names become
// initials; birth dates are removed; identifiers keep their last digits.
func maskDossier(dos *rescreen.Dossier, lv levels, today rescreen.Date) {
	if lv == nil {
		return
	}
	d := &dos.Records
	if !canRead(lv, access.Custody) {
		d.Custody, d.Proceedings, d.Separations = nil, nil, nil
	}
	if !canRead(lv, access.Screenings) {
		d.Screenings, d.Evidence, d.Appointments = nil, nil, nil
	}
	if !canRead(lv, access.ScreeningNotes) {
		for i := range d.Screenings {
			d.Screenings[i].Notes = ""
		}
		for i := range d.Evidence {
			d.Evidence[i].Description = ""
		}
		for i := range d.Separations {
			d.Separations[i].Narrative = ""
		}
		for i := range d.Families {
			d.Families[i].Notes = ""
		}
		for i := range d.Persons {
			d.Persons[i].Notes = ""
		}
		for i := range d.Contacts {
			d.Contacts[i].Notes = ""
		}
		for i := range d.Appointments {
			d.Appointments[i].Notes = ""
		}
		for i := range d.Notices {
			d.Notices[i].Notes = ""
		}
	}
	if !canRead(lv, access.Elections) {
		d.Elections, d.Preferences = nil, nil
	}
	if !canRead(lv, access.Elections) || !canRead(lv, access.Screenings) {
		dos.Waits = nil // the W9 clock tells of both
	}
	if !canRead(lv, access.Contact) {
		d.Contacts, d.Counsel, d.Notices = nil, nil, nil
	}
	if !canRead(lv, access.Returns) {
		d.ReturnRequests = nil
	}
	if !canRead(lv, access.Status) {
		dos.Determination = nil
		d.Benefits = nil
	}
	hidden := map[rescreen.Ref]bool{}
	for i := range d.Persons {
		p := &d.Persons[i]
		if !identityHidden(lv, p.Role, p.BirthDate, today) {
			continue
		}
		hidden[p.Key()] = true
		p.GivenNames, p.FirstSurname, p.SecondSurname = Initials(p.GivenNames), Initials(p.FirstSurname), Initials(p.SecondSurname)
		p.BirthDate, p.BirthEstimate = rescreen.Date{}, nil
	}
	if len(hidden) == 0 {
		return
	}
	d.Names = slices.DeleteFunc(d.Names, func(n rescreen.NameVariant) bool { return hidden[n.Person] })
	for i := range d.Identifiers {
		if hidden[d.Identifiers[i].Person] {
			d.Identifiers[i].Value = MaskANumber(d.Identifiers[i].Value)
		}
	}
	for i := range d.Elections {
		if hidden[d.Elections[i].Person] {
			d.Elections[i].Signer = Initials(d.Elections[i].Signer)
		}
	}
	for i := range d.Notices {
		if hidden[d.Notices[i].Person] {
			d.Notices[i].Signer = Initials(d.Notices[i].Signer)
		}
	}
}

// maskBooking removes, in place, what lv may not read of a booking's
// answer, as maskDossier does on the family page: the notices (CONTACT:
// they name counsel and the document sent) and, without SCREENING_NOTES,
// the appointment's and the notices' notes. Notices left out leave an
// empty list, so that the answer has the same shape for every caller.
func maskBooking(b *rescreen.Booking, lv levels) {
	if lv == nil {
		return
	}
	if !canRead(lv, access.Contact) {
		b.Notices = []rescreen.Notice{}
	}
	if !canRead(lv, access.ScreeningNotes) {
		b.Appointment.Notes = ""
		for i := range b.Notices {
			b.Notices[i].Notes = ""
		}
	}
}

// groupOf is the field group a kind of record belongs to, for writing.
var groupOf = map[rescreen.Kind]access.Group{
	rescreen.KindFamilies:       access.Identity,
	rescreen.KindPersons:        access.Identity,
	rescreen.KindNames:          access.Identity,
	rescreen.KindIdentifiers:    access.Identity,
	rescreen.KindRelationships:  access.Identity,
	rescreen.KindSeparations:    access.Custody,
	rescreen.KindCustody:        access.Custody,
	rescreen.KindProceedings:    access.Custody,
	rescreen.KindBenefits:       access.Custody,
	rescreen.KindScreenings:     access.Screenings,
	rescreen.KindEvidence:       access.Screenings,
	rescreen.KindElections:      access.Elections,
	rescreen.KindPreferences:    access.Elections,
	rescreen.KindCounsel:        access.Contact,
	rescreen.KindContacts:       access.Contact,
	rescreen.KindReturnRequests: access.Returns,
	rescreen.KindAppointments:   access.Screenings,
	rescreen.KindNotices:        access.Contact,
}

// mayWrite refuses, with EFORBIDDEN naming the kind, a write of a kind of
// record the request's principal may not change in the family; the
// process's own calls may write anything.
func mayWrite(ctx context.Context, res *access.Resource, kinds []rescreen.Kind) error {
	p, ok := access.FromContext(ctx)
	if !ok {
		return nil
	}
	slices.Sort(kinds)
	for _, k := range slices.Compact(kinds) {
		g, known := groupOf[k]
		if !known {
			return rescreen.Errorf(rescreen.EINVALID, "kind %q is not a kind of record", k)
		}
		if d := access.Decide(p, access.Need{Group: g, Level: access.Write}, res); !d.Allow {
			return rescreen.Errorf(rescreen.EFORBIDDEN, "You may not change the %s of this family: %s.", k, d.Reason)
		}
	}
	return nil
}
