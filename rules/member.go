package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"rescreen"
)

// Validities of an election form.
const (
	valValid   = "VALID"
	valInvalid = "INVALID"
	valNeeds   = "NEEDS_INFORMATION"
	valManual  = "MANUAL_REVIEW"
)

// elSeen reports whether an election is on record as of the as-of date:
// signed and received by then (a form still on its way is not returned).
func (ev *evaluator) elSeen(x *rescreen.Election) bool {
	return ev.seen(x.SignedOn) && ev.seen(x.ReceivedOn)
}

func elDate(x *rescreen.Election) rescreen.Date {
	if !x.ReceivedOn.IsZero() {
		return x.ReceivedOn
	}
	return x.SignedOn
}

func hasLang(langs []string, l string) bool {
	for _, x := range langs {
		if x == l {
			return true
		}
	}
	return false
}

// w3Read is how one reader understands a form (W3).
type w3Read uint8

const (
	w3Direct    w3Read = iota // the form's language
	w3Interp                  // the interpreter's language
	w3No                      // neither
	w3UnkLangs                // the reader's languages are not recorded
	w3UnkInterp               // not the form's language; the interpreter has no language code
)

// w3Reads says how a reader with the languages given understands form x.
func w3Reads(langs []string, x *rescreen.Election) w3Read {
	switch {
	case len(langs) == 0:
		return w3UnkLangs
	case hasLang(langs, x.Language):
		return w3Direct
	case x.Interpreter == "":
		return w3No
	case !rescreen.IsLanguage(x.Interpreter):
		return w3UnkInterp
	case hasLang(langs, x.Interpreter):
		return w3Interp
	}
	return w3No
}

// w3Says writes how a reader understands form x.
func (ev *evaluator) w3Says(r w3Read, langs []string, x *rescreen.Election) {
	switch r {
	case w3Direct:
		ev.s(" understands it")
	case w3Interp:
		ev.s(" understands it through the interpreter")
	case w3No:
		if langs != nil {
			ev.s(" (understands: ")
			ev.langs(langs)
			ev.s(")")
		}
		if x.Interpreter == "" {
			ev.s(" does not understand it, and no interpreter is recorded")
		} else {
			ev.s(" understands neither it nor the interpreter's language")
		}
	case w3UnkLangs:
		ev.s(": the languages understood are not recorded")
	case w3UnkInterp:
		ev.s(" does not understand it, and the interpreter is recorded without the language interpreted into")
	}
}

// linkedAdults calls fn for each parent or guardian of child pi linked by a
// separation or a PARENT_OF or GUARDIAN_OF relationship.
func (ev *evaluator) linkedAdults(pi int, fn func(a int)) {
	check := func(a int) {
		if a >= 0 && a < len(ev.ps) && ev.ps[a].adult {
			fn(a)
		}
	}
	ev.childSeps(pi, func(_ int, _ *rescreen.Separation, a int) { check(a) })
	for i := range ev.d.Relationships {
		r := &ev.d.Relationships[i]
		if (r.Kind == rescreen.RelParentOf || r.Kind == rescreen.RelGuardianOf) && ev.person(r.To, r.Source) == int32(pi) {
			check(int(ev.person(r.From, r.Source)))
		}
	}
}

// parentsUnderstand says, for a form a parent signed for child pi when the
// signer is not identified, how the best-placed linked adult understands
// it: the signature goes to manual review (W4) either way.
func (ev *evaluator) parentsUnderstand(pi int, x *rescreen.Election) w3Read {
	best := w3UnkLangs
	rank := [...]int{w3Direct: 0, w3Interp: 1, w3UnkInterp: 2, w3No: 3, w3UnkLangs: 4}
	ev.linkedAdults(pi, func(a int) {
		if r := w3Reads(ev.ps[a].p.Languages, x); rank[r] < rank[best] {
			best = r
		}
	})
	return best
}

// electionChecks checks every election form on record (W1 to W7) and sums
// up each person's elections (W2, W10).
func (ev *evaluator) electionChecks() {
	for pi := range ev.ps {
		ps := &ev.ps[pi]
		a := int32(len(ev.elcs))
		hasA, hasB, unkChoice := false, false, false
		anyValid, anyNeeds, anyManual, anyInvalid := false, false, false, false
		var govDate rescreen.Date
		govUndated := false
		back := ev.returnedOn(pi)
		for i := range ev.d.Elections {
			if ev.elOwner[i] != int32(pi) {
				continue
			}
			x := &ev.d.Elections[i]
			if !ev.elSeen(x) {
				continue
			}
			out := ev.checkElection(pi, i)
			ev.elcs = append(ev.elcs, out)
			// D-7: a member removed and returned elects again; a form
			// signed before the return (the waiver the removal carried
			// out, which a court may since have found coerced, D-6) is
			// kept on record but elects nothing.
			if !back.IsZero() && !x.SignedOn.IsZero() && x.SignedOn.Before(back) {
				continue
			}
			switch x.Choice {
			case rescreen.ChoiceRemain:
				hasA = true
			case rescreen.ChoiceReturn:
				hasB = true
				switch out.validity {
				case valValid:
					anyValid = true
				case valNeeds:
					anyNeeds = true
				case valManual:
					anyManual = true
				default:
					anyInvalid = true
				}
			default:
				unkChoice = true
			}
			d := elDate(x)
			switch {
			case d.IsZero():
				govUndated = true
			case ps.govEl < 0 || d.After(govDate):
				ps.govEl, govDate = i, d
			}
		}
		ps.elc = span{a, int32(len(ev.elcs))}
		ps.anyForm = ps.elc.b > ps.elc.a
		ps.change = hasA && hasB
		switch {
		case ps.change:
		case unkChoice:
			ps.waiverUnk = true
		case hasB:
			switch {
			case anyValid:
				ps.waived = true
			case anyNeeds:
				ps.waiverUnk = true
			case anyManual:
				ps.waiverMan = true
			case anyInvalid && ev.c.invalidFormManual:
				ps.invalidMan = true
			}
		case hasA:
			ps.choiceA = true
			if ps.govEl >= 0 && !govUndated {
				ps.electedOn = govDate
			}
		}
	}
}

// checkElection checks one form against W1 and W3 to W7.
func (ev *evaluator) checkElection(pi, ei int) elcOut {
	x := &ev.d.Elections[ei]
	ps := &ev.ps[pi]
	p := ps.p
	g := ev.grp()
	ka := ev.mark()
	ev.mkey(&x.Meta)
	out := elcOut{el: ei, key: ev.since(ka)}

	// W1: an option marked and the form signed.
	ev.open(tW1)
	w1, w1Early := eMet, false
	switch {
	case x.Choice != rescreen.ChoiceRemain && x.Choice != rescreen.ChoiceReturn:
		ev.s("The option chosen is not recorded.")
		w1 = eUnk
	case x.SignerRole == rescreen.SignerNone:
		ev.s(choiceName(x.Choice))
		ev.s(" marked, but the form is unsigned.")
		w1 = eExcl
	case x.SignerRole != rescreen.SignerSelf && x.SignerRole != rescreen.SignerParent && x.SignerRole != rescreen.SignerLegalRep:
		ev.s(choiceName(x.Choice))
		ev.s(" marked; who signed is not recorded.")
		w1 = eUnk
	default:
		ev.s(choiceName(x.Choice))
		ev.s(" marked and signed by ")
		ev.v(string(x.SignerRole))
		if x.Signer != "" {
			ev.s(" (")
			ev.v(x.Signer)
			ev.s(")")
		}
		ev.s(" on ")
		ev.date(x.SignedOn)
		if !x.SignedOn.IsZero() && x.SignedOn.Before(ev.c.electionFormFrom) {
			ev.s(", before the settlement's election form existed (cfg.election_form_from=")
			ev.date(ev.c.electionFormFrom)
			ev.s("): not an election under the settlement.")
			w1 = eExcl
		} else if !x.SignedOn.IsZero() {
			// A form signed before the member entered or was separated
			// cannot be an informed election of a separated family member;
			// with the entry date unrecorded, that cannot be checked.
			w1, w1Early = ev.electedTooEarly(pi, x)
		} else {
			ev.s(".")
		}
	}
	ev.close(w1)
	if w1 == eUnk {
		switch {
		case x.Choice != rescreen.ChoiceRemain && x.Choice != rescreen.ChoiceReturn:
			ev.miss1("elections", &x.Meta, "choice")
		case x.SignerRole != rescreen.SignerSelf && x.SignerRole != rescreen.SignerParent && x.SignerRole != rescreen.SignerLegalRep:
			ev.miss1("elections", &x.Meta, "signer_role")
		default:
			ev.missPerson(pi, "entry_date")
		}
	}

	// W3: read in a language understood.
	ev.open(tW3)
	w3 := eMet
	switch {
	case x.ReadAloud == nil:
		ev.s("Whether the form was read to the member is not recorded.")
		w3 = eUnk
		ev.close(w3)
		ev.miss1("elections", &x.Meta, "read_aloud")
	case !*x.ReadAloud:
		ev.s("The form was not read to the member.")
		w3 = eExcl
		ev.close(w3)
	case x.Language == "":
		ev.s("The language the form was read in is not recorded.")
		w3 = eUnk
		ev.close(w3)
		ev.miss1("elections", &x.Meta, "language")
	default:
		// W3, the conservative reading: every reader of the decision must
		// understand the form, in its own language or the interpreter's.
		// A form the member signed, or a legal representative signed, is
		// read to the member. A form a parent signed is the signing
		// parent's decision and the member's right, so the signing parent
		// and the member must each understand it; a member whose
		// languages are not recorded is a missing fact, never taken to
		// understand through the parent.
		ev.s("Read in ")
		ev.v(x.Language)
		if x.Interpreter != "" {
			ev.s(" with an interpreter (")
			ev.v(x.Interpreter)
			ev.s(")")
		}
		var unkPersons []int
		unkGroup, unkInterp := false, false
		note := func(r w3Read) {
			switch r {
			case w3No:
				w3 = eExcl
			case w3UnkLangs, w3UnkInterp:
				if w3 != eExcl {
					w3 = eUnk
				}
				if r == w3UnkInterp {
					unkInterp = true
				}
			}
		}
		if x.SignerRole == rescreen.SignerParent {
			ev.s("; the signing parent ")
			if sp := ev.signingParent(pi, x); sp >= 0 {
				ev.pk(sp)
				r := w3Reads(ev.ps[sp].p.Languages, x)
				ev.w3Says(r, ev.ps[sp].p.Languages, x)
				note(r)
				if r == w3UnkLangs {
					unkPersons = append(unkPersons, sp)
				}
			} else {
				ev.s("(not identified; the member's parents on record)")
				r := ev.parentsUnderstand(pi, x)
				ev.w3Says(r, nil, x)
				note(r)
				unkGroup = r == w3UnkLangs
			}
		}
		ev.s("; the member")
		r := w3Reads(p.Languages, x)
		ev.w3Says(r, p.Languages, x)
		note(r)
		if r == w3UnkLangs {
			unkPersons = append(unkPersons, pi)
		}
		if w3 == eExcl {
			ev.s(": not knowing")
		}
		ev.s(".")
		ev.close(w3)
		if w3 == eUnk {
			for _, a := range unkPersons {
				ev.missPerson(a, "languages")
			}
			if unkGroup {
				ev.missAbout("persons.languages", "parent_of", pi)
			}
			if unkInterp {
				ev.miss1("elections", &x.Meta, "interpreter")
			}
		}
	}

	// W4: who may sign.
	ev.open(tW4)
	w4 := eMet
	var w4miss string
	switch x.SignerRole {
	case rescreen.SignerParent, rescreen.SignerLegalRep:
		w4, w4miss = ev.w4Proxy(pi, x)
	case rescreen.SignerSelf:
		under14 := eMet // eMet: not under 14
		if ps.child || !ps.roleOK {
			on, field := x.SignedOn, "signed_on"
			if ev.c.w4AgeOnReceived {
				on, field = x.ReceivedOn, "received_on"
			}
			switch {
			case p.BirthDate.IsZero():
				under14, w4miss = eUnk, "birth_date"
			case on.IsZero():
				under14, w4miss = eUnk, field
			default:
				age := p.BirthDate.AgeOn(on)
				ev.s("The member, aged ")
				ev.num(age)
				ev.s(" on ")
				ev.date(on)
				ev.s(" (")
				ev.v(field)
				ev.s("), signed for themselves")
				if age < 14 {
					ev.s(": a child under 14 needs a parent's or legal representative's signature.")
					under14 = eExcl
				} else {
					ev.s("; ")
				}
			}
		} else {
			ev.s("The member signed for themselves; ")
		}
		switch {
		case under14 == eExcl:
			w4 = eExcl
		case under14 == eUnk:
			ev.s("The member signed for themselves; the age on the relevant day cannot be computed.")
			w4 = eUnk
		case p.LacksCapacity == nil:
			ev.s("whether the member lacks capacity is not recorded.")
			w4, w4miss = eUnk, "lacks_capacity"
		case *p.LacksCapacity:
			ev.s("the member lacks capacity, so a parent or legal representative must sign.")
			w4 = eExcl
		default:
			ev.s("the member has capacity.")
		}
	case rescreen.SignerNone:
		ev.s("Unsigned (W1).")
		w4 = eExcl
	default:
		ev.s("Who signed is not recorded.")
		w4, w4miss = eUnk, "signer_role"
	}
	ev.close(w4)
	if w4 == eUnk {
		switch w4miss {
		case "birth_date", "lacks_capacity":
			ev.missPerson(pi, w4miss)
		case "signer.unfit_or_danger":
			ev.missPerson(ev.signingParent(pi, x), "unfit_or_danger")
		default:
			ev.miss1("elections", &x.Meta, w4miss)
		}
	}

	// W5: a separate form.
	ev.open(tW5)
	w5 := eMet
	if x.FormRef == "" {
		ev.s("No sheet id (form_ref) is recorded, so a shared sheet cannot be ruled out.")
		w5 = eUnk
	} else {
		others, otherSelf := 0, 0
		for j := range ev.d.Elections {
			y := &ev.d.Elections[j]
			if j == ei || y.FormRef != x.FormRef || ev.elOwner[j] == int32(pi) || !ev.elSeen(y) {
				continue
			}
			others++
			if y.SignerRole == rescreen.SignerSelf {
				otherSelf++
			}
		}
		ev.s("Sheet ")
		ev.v(x.FormRef)
		switch {
		case others == 0:
			ev.s(" holds this member's election only.")
		case x.SignerRole == rescreen.SignerSelf && otherSelf == 0:
			ev.s(" also lists ")
			ev.num(others)
			ev.s(" other member(s); it is at most valid for this member, who signed it for themselves (SC-08).")
		default:
			ev.s(" also lists ")
			ev.num(others)
			ev.s(" other member(s): not the member's own form.")
			w5 = eExcl
		}
	}
	ev.close(w5)
	if w5 == eUnk {
		ev.miss1("elections", &x.Meta, "form_ref")
	}

	// W6: sent to class counsel by mail or email, and received.
	ev.open(tW6)
	w6 := eMet
	var w6miss string
	switch {
	case x.Channel == "":
		ev.s("How the form was sent is not recorded.")
		w6, w6miss = eUnk, "channel"
	case x.Channel != "MAIL" && x.Channel != "EMAIL":
		ev.s("Sent by ")
		ev.v(string(x.Channel))
		ev.s(", not by mail or email")
		if ev.c.w6Ignore {
			ev.s(" (cfg.w6_breach_action=IGNORE).")
		} else {
			ev.s(": manual review (cfg.w6_breach_action=MANUAL_REVIEW).")
			w6 = eManual
		}
	case x.Recipient == "":
		ev.s("Sent by ")
		ev.v(string(x.Channel))
		ev.s("; the recipient counsel is not recorded.")
		w6, w6miss = eUnk, "recipient"
	case x.ReceivedOn.IsZero():
		ev.s("Sent by ")
		ev.v(string(x.Channel))
		ev.s(" to ")
		ev.v(x.Recipient)
		ev.s("; the date counsel received it is not recorded.")
		w6, w6miss = eUnk, "received_on"
	default:
		ev.s("Sent by ")
		ev.v(string(x.Channel))
		ev.s(" to ")
		ev.v(x.Recipient)
		ev.s(", received ")
		ev.date(x.ReceivedOn)
		ev.s(".")
	}
	ev.close(w6)
	if w6 == eUnk {
		ev.miss1("elections", &x.Meta, w6miss)
	}

	// W7: validity.
	w7c := len(ev.crits)
	ev.open(tW7)
	var e eff
	switch {
	case w1 == eExcl || w3 == eExcl || w4 == eExcl || w5 == eExcl:
		out.validity = valInvalid
		ev.s("INVALID: ")
		switch {
		case w1 == eExcl && x.SignerRole != rescreen.SignerNone && !x.SignedOn.IsZero() && x.SignedOn.Before(ev.c.electionFormFrom):
			ev.s("signed before the settlement's election form existed (W1)")
		case w1 == eExcl && w1Early:
			ev.s("signed before the member entered or was separated (W1)")
		case w1 == eExcl:
			ev.s("unsigned (W1)")
		case w3 == eExcl:
			ev.s("not read in a language understood (W3)")
		case w4 == eExcl:
			ev.s("signed by someone who may not sign for this member (W4)")
		default:
			ev.s("not the member's own form (W5)")
		}
		if ev.c.invalidFormManual {
			ev.s("; the member goes to manual review (cfg.invalid_form_action=MANUAL_REVIEW).")
		} else {
			ev.s("; treated as not returned, outreach follows (cfg.invalid_form_action=TREAT_AS_NOT_RETURNED).")
		}
		if x.Choice == rescreen.ChoiceReturn {
			ev.s(" Ask for a form signed and read as W3 to W5 require.")
		}
		e = eExcl
	case w1 == eUnk || w3 == eUnk || w4 == eUnk || w5 == eUnk || w6 == eUnk:
		out.validity = valNeeds
		ev.s("Validity cannot be decided until the missing facts are recorded.")
		e = eUnk
	case w4 == eManual:
		out.validity = valManual
		ev.s("Who signed cannot be accepted without review (W4: not matched to one parent of the member, or a parent found unfit or a danger to the child): manual review.")
		e = eManual
	case w6 == eManual:
		out.validity = valManual
		ev.s("Valid under W3 to W5, but not sent as W6 requires: manual review.")
		e = eManual
	default:
		out.validity = valValid
		ev.s("Valid.")
	}
	ev.close(e)
	if e == eUnk {
		for i := int(g); i < w7c; i++ {
			ev.missCopy(i)
		}
	}
	out.cr = ev.grpEnd(g)
	return out
}

// nextWord returns the word of s that starts at or after byte i (words are
// separated by white space) and the byte after it; "" at the end.
func nextWord(s string, i int) (string, int) {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	j := i
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if unicode.IsSpace(r) {
			break
		}
		j += n
	}
	return s[i:j], j
}

// nameIs reports whether signer is the name made of the parts in order,
// word by word, with letter case and runs of white space not counting. It
// allocates nothing.
func nameIs(signer string, parts ...string) bool {
	i, k, j := 0, 0, 0
	for {
		var w, v string
		w, i = nextWord(signer, i)
		for k < len(parts) {
			if v, j = nextWord(parts[k], j); v != "" {
				break
			}
			k, j = k+1, 0
		}
		if w == "" || v == "" {
			return w == "" && v == ""
		}
		if !strings.EqualFold(w, v) {
			return false
		}
	}
}

// signerMatch finds the person of the family a form's signer names: by
// full name or by a recorded name variant (R-SYS-4: aliases, spellings,
// birth names). It returns the one person matched, or -1 with ambiguous
// set when the name matches more than one person.
func (ev *evaluator) signerMatch(x *rescreen.Election) (found int, ambiguous bool) {
	found = -1
	if w, _ := nextWord(x.Signer, 0); w == "" {
		return -1, false
	}
	add := func(a int) {
		switch {
		case found < 0:
			found = a
		case a != found:
			ambiguous = true
		}
	}
	for a := range ev.ps {
		p := ev.ps[a].p
		if nameIs(x.Signer, p.GivenNames, p.FirstSurname, p.SecondSurname) {
			add(a)
		}
	}
	for i := range ev.d.Names {
		v := &ev.d.Names[i]
		if a := int(ev.person(v.Person, v.Source)); a >= 0 && nameIs(x.Signer, v.GivenNames, v.FirstSurname, v.SecondSurname) {
			add(a)
		}
	}
	if ambiguous {
		return -1, true
	}
	return found, false
}

// electedTooEarly ends W1's detail for a form signed on a known date: a
// form signed before the member entered the U.S. or was first separated is
// not an election of a separated family member (eExcl, and true); an entry
// date not recorded leaves that unknown (eUnk).
func (ev *evaluator) electedTooEarly(pi int, x *rescreen.Election) (eff, bool) {
	p := ev.ps[pi].p
	if p.EntryDate.IsZero() {
		ev.s("; the member's entry date is not recorded, so whether the form follows the entry cannot be checked.")
		return eUnk, false
	}
	if x.SignedOn.Before(p.EntryDate) {
		ev.s(", before the member entered on ")
		ev.date(p.EntryDate)
		ev.s(": not an election of a separated family member.")
		return eExcl, true
	}
	var first rescreen.Date
	sep := func(_ int, s *rescreen.Separation, _ int) {
		if !s.On.IsZero() && (first.IsZero() || s.On.Before(first)) {
			first = s.On
		}
	}
	ev.childSeps(pi, sep)
	ev.adultSeps(pi, sep)
	if !first.IsZero() && x.SignedOn.Before(first) {
		ev.s(", before the member was separated on ")
		ev.date(first)
		ev.s(": not an election of a separated family member.")
		return eExcl, true
	}
	ev.s(".")
	return eMet, false
}

// signingParent finds the parent or guardian of child pi the form's signer
// names: the one person of the family whose full name or a recorded name
// variant is the signer, if that person is a parent or guardian linked to
// the child. A name that matches nobody, someone else, or more than one
// person of the family gives -1, which W4 sends to manual review.
func (ev *evaluator) signingParent(pi int, x *rescreen.Election) int {
	a, _ := ev.signerMatch(x)
	if a < 0 {
		return -1
	}
	linked := false
	ev.linkedAdults(pi, func(b int) { linked = linked || b == a })
	if !linked {
		return -1
	}
	return a
}

// w4Proxy checks a form a parent or legal representative signed for the
// member: only a child under 14 or a member who lacks capacity may have
// one, and a signing parent must be a parent of the member.
func (ev *evaluator) w4Proxy(pi int, x *rescreen.Election) (eff, string) {
	ps := &ev.ps[pi]
	p := ps.p
	if ps.adult && x.SignerRole == rescreen.SignerParent {
		ev.s("A parent signed for an adult member; the decision must be the member's own.")
		return eExcl, ""
	}
	ev.s("Signed by ")
	ev.v(string(x.SignerRole))
	if x.Signer != "" {
		ev.s(" (")
		ev.v(x.Signer)
		ev.s(")")
	}
	ev.s(" for the member")
	// Who may sign for the member: a child under 14, or one who lacks
	// capacity.
	may, miss := eUnk, ""
	switch {
	case isTrue(p.LacksCapacity):
		ev.s(", who lacks capacity")
		may = eMet
	case ps.adult || (ps.roleOK && !ps.child):
		if p.LacksCapacity == nil {
			ev.s("; whether the member lacks capacity is not recorded")
			miss = "lacks_capacity"
		} else {
			ev.s(", an adult with capacity, who must sign for themselves")
			may = eExcl
		}
	default:
		on, field := x.SignedOn, "signed_on"
		if ev.c.w4AgeOnReceived {
			on, field = x.ReceivedOn, "received_on"
		}
		switch {
		case p.BirthDate.IsZero():
			ev.s("; the member's age cannot be computed")
			miss = "birth_date"
		case on.IsZero():
			ev.s("; the member's age on the relevant day cannot be computed")
			miss = field
		default:
			age := p.BirthDate.AgeOn(on)
			ev.s(", aged ")
			ev.num(age)
			ev.s(" on ")
			ev.date(on)
			ev.s(" (")
			ev.v(field)
			ev.s(")")
			switch {
			case age < 14:
				may = eMet
			case p.LacksCapacity == nil:
				ev.s("; whether the member lacks capacity is not recorded")
				miss = "lacks_capacity"
			default:
				ev.s(", 14 or older with capacity, who must sign for themselves")
				may = eExcl
			}
		}
	}
	if may != eMet {
		ev.s(".")
		return may, miss
	}
	if x.SignerRole == rescreen.SignerLegalRep {
		ev.s(": a legal representative may sign.")
		return eMet, ""
	}
	switch {
	case x.Signer == "":
		ev.s("; the signing parent's name is not recorded, so it cannot be matched to a parent of the member.")
		return eUnk, "signer"
	case ev.signingParent(pi, x) < 0:
		if _, amb := ev.signerMatch(x); amb {
			ev.s("; the signer's name matches more than one person of the family (full names and recorded name variants), so who signed is ambiguous: manual review.")
		} else {
			ev.s("; the signer's name (full names and recorded name variants) matches no parent or guardian of the member on record: manual review.")
		}
		return eManual, ""
	}
	// COV-3: a parent found unfit or a danger to the child is outside the
	// class; that parent's signature waiving the child's rights is never
	// taken without review.
	switch sp := ev.ps[ev.signingParent(pi, x)].p; {
	case isTrue(sp.UnfitOrDanger):
		ev.s("; the signing parent was found unfit or a danger to the child (COV-3), so the signature cannot waive the child's rights without review: manual review.")
		return eManual, ""
	case sp.UnfitOrDanger == nil:
		ev.s("; whether the signing parent was found unfit or a danger to the child (COV-3) is not recorded.")
		return eUnk, "signer.unfit_or_danger"
	}
	ev.s(": signed by a parent of the member, who may sign.")
	return eMet, ""
}

func choiceName(c rescreen.Choice) string {
	if c == rescreen.ChoiceReturn {
		return "Option B (prompt return, waiving settlement rights)"
	}
	return "Option A (stay and seek relief)"
}

func (ev *evaluator) langs(ls []string) {
	if len(ls) == 0 {
		ev.s("none recorded")
		return
	}
	for i, l := range ls {
		if i > 0 {
			ev.s(", ")
		}
		ev.v(l)
	}
}

// determination occasions: the parent's review and new interview (or the
// screening of a parent who came back, D-8); the child's own interview.
func detOccasion(child bool, o rescreen.Occasion) bool {
	if child {
		return o == rescreen.OccasionChildOwn || o == rescreen.OccasionSettlement
	}
	return o == rescreen.OccasionSettlement || o == rescreen.OccasionReturnBorder
}

// unplacedReturn finds a record that says person pi was removed and came
// back (a return request naming the person as the removed parent, or a
// screening on return) when the custody timeline records no removal of the
// person at all. The removal is then a missing fact: without its date, the
// determinations and elections from before it (D-7) cannot be told apart.
func (ev *evaluator) unplacedReturn(pi int) (string, *rescreen.Meta) {
	if ev.ps[pi].loc != locUS {
		return "", nil
	}
	for i := range ev.d.Custody {
		if ev.custOwner[i] == int32(pi) && ev.d.Custody[i].Kind == rescreen.CustodyRemoved {
			return "", nil
		}
	}
	for i := range ev.d.ReturnRequests {
		if r := &ev.d.ReturnRequests[i]; ev.retOwner[i] == int32(pi) && ev.seen(r.SubmittedOn) {
			return "return_requests", &r.Meta
		}
	}
	for i := range ev.d.Screenings {
		if s := &ev.d.Screenings[i]; ev.scrOwner[i] == int32(pi) && s.Occasion == rescreen.OccasionReturnBorder {
			if ok, _, _ := ev.scrView(s); ok {
				return "screenings", &s.Meta
			}
		}
	}
	return "", nil
}

// livePending finds a screening of the person that awaits its decision on
// the as-of date (PENDING, or decided after it) under an occasion the
// member's determination does not read: a first screening, or an occasion
// the procedures do not read for the person's role. Such a screening may
// still turn positive, which is never ignored (COV-12, A1). A later
// decided screening of the same occasion and kind supersedes it (the same
// screening recorded before its decision). It returns -1 if there is none.
func (ev *evaluator) livePending(pi int) int {
	for i := range ev.d.Screenings {
		if ev.scrOwner[i] != int32(pi) {
			continue
		}
		s := &ev.d.Screenings[i]
		if s.Occasion != rescreen.OccasionInitial && ev.readOccasion(pi, s.Occasion) {
			continue // a determination: findDetermination orders those
		}
		ok, res, dt := ev.scrView(s)
		if !ok || res != rescreen.ResultPending {
			continue
		}
		superseded := false
		for j := range ev.d.Screenings {
			y := &ev.d.Screenings[j]
			if j == i || ev.scrOwner[j] != int32(pi) || y.Occasion != s.Occasion || y.Kind != s.Kind {
				continue
			}
			if ok2, r2, d2 := ev.scrView(y); ok2 && decided(r2) && !d2.IsZero() && !dt.IsZero() && !d2.Before(dt) {
				superseded = true
				break
			}
		}
		if !superseded {
			return i
		}
	}
	return -1
}

// executedUnmatched finds a removal order of a person in the U.S. recorded
// as EXECUTED when the custody timeline records no removal of the person
// at all (a removal it records after the as-of date explains an order
// executed later), or returns -1.
func (ev *evaluator) executedUnmatched(pi int) int {
	if ev.ps[pi].loc != locUS {
		return -1
	}
	for i := range ev.d.Custody {
		if ev.custOwner[i] == int32(pi) && ev.d.Custody[i].Kind == rescreen.CustodyRemoved {
			return -1
		}
	}
	for i := range ev.d.Proceedings {
		p := &ev.d.Proceedings[i]
		if ev.procOwner[i] == int32(pi) && p.Kind.IsRemovalOrder() && p.Status == "EXECUTED" && ev.seen(p.Opened) {
			return i
		}
	}
	return -1
}

// open240 finds an open section 240 proceeding or asylum application (an
// asylum case that has not concluded, F-2, H-4). A status that is not
// recorded counts as open, which keeps the family together. A status that
// ended the case (CONCLUDED, VACATED, EXECUTED, SUPERSEDED_BY_NTA) is the
// record's status today: the case ended on its decided_on, and was open on
// an as-of date before it. The second result is a case recorded as ended
// with no decided_on, which cannot be placed before the as-of date.
func (ev *evaluator) open240(pi int) (int, int) {
	undated := -1
	for i := range ev.d.Proceedings {
		p := &ev.d.Proceedings[i]
		if ev.procOwner[i] != int32(pi) || (p.Kind != rescreen.ProcSection240 && p.Kind != rescreen.ProcAsylumAppl) || !ev.seen(p.Opened) {
			continue
		}
		switch p.Status {
		case "CONCLUDED", "VACATED", "EXECUTED", "SUPERSEDED_BY_NTA":
			switch {
			case p.DecidedOn.IsZero():
				if undated < 0 {
					undated = i
				}
				continue
			case ev.seen(p.DecidedOn):
				continue
			}
			return i, undated
		}
		if p.Kind == rescreen.ProcAsylumAppl {
			if concluded := p.DecidedOn; ev.c.concludedAtAppeals {
				if !p.AppealsExhausted.IsZero() && ev.seen(p.AppealsExhausted) {
					continue
				}
			} else if !concluded.IsZero() && ev.seen(concluded) {
				continue
			}
		}
		return i, undated
	}
	return -1, undated
}

// states derives each person's state from the person's own records.
func (ev *evaluator) states() {
	for i := range ev.ps {
		ev.state(i)
		// A positive screening the procedures do not read never lets the
		// member finish (A1): manual review, unless already positive.
		if ps := &ev.ps[i]; ps.strayMan && !isPositive(ps.intr) {
			ps.intr = StateManual
		}
		// An executed removal order the custody timeline does not show
		// (B12): where the member is cannot be told.
		if ps := &ev.ps[i]; ps.unitRole && !isPositive(ps.intr) && ps.intr != StateOutside && ev.executedUnmatched(i) >= 0 {
			ps.intr = StateManual
		}
		// A return with no removal on record (B18): what predates the
		// removal cannot be told apart.
		if ps := &ev.ps[i]; ps.intr == StateNegative || ps.intr == StateNoClaim || ps.intr == StateWaived {
			if _, m := ev.unplacedReturn(i); m != nil {
				ps.intr = StateUnknown
			}
		}
		// A case recorded as ended on an unrecorded date may have been open
		// on the as-of date (B10): a member it would keep has not finished.
		if ps := &ev.ps[i]; ps.in240 < 0 && (ps.intr == StateNegative || ps.intr == StateNoClaim || ps.intr == StateWaived) {
			if _, und := ev.open240(i); und >= 0 {
				ps.intr = StateUnknown
			}
		}
	}
}

// readOccasion reports whether the procedures read a screening of this
// occasion for the person: a first screening, or a settlement
// determination of the person's role.
func (ev *evaluator) readOccasion(pi int, o rescreen.Occasion) bool {
	ps := &ev.ps[pi]
	if o == rescreen.OccasionInitial {
		return true
	}
	if !detOccasion(ps.child, o) {
		return false
	}
	return o != rescreen.OccasionReturnBorder || ps.returned
}

// strayPositive finds a positive screening under an occasion the
// procedures do not read for the person, and whether it governs: dated, and
// no other screening of the person is dated after it.
func (ev *evaluator) strayPositive(pi int) (int, bool) {
	stray := -1
	var sd rescreen.Date
	for i := range ev.d.Screenings {
		if ev.scrOwner[i] != int32(pi) {
			continue
		}
		s := &ev.d.Screenings[i]
		ok, res, dt := ev.scrView(s)
		if !ok || res != rescreen.ResultPositive || ev.readOccasion(pi, s.Occasion) {
			continue
		}
		if stray < 0 || (!sd.IsZero() && (dt.IsZero() || dt.After(sd))) {
			stray, sd = i, dt
		}
	}
	if stray < 0 || sd.IsZero() {
		return stray, false
	}
	for i := range ev.d.Screenings {
		if i == stray || ev.scrOwner[i] != int32(pi) {
			continue
		}
		if ok, _, dt := ev.scrView(&ev.d.Screenings[i]); ok && (dt.IsZero() || dt.After(sd)) {
			return stray, false
		}
	}
	return stray, true
}

func (ev *evaluator) state(pi int) {
	ps := &ev.ps[pi]
	p := ps.p
	g := ev.grp()
	defer func() { ps.stCr[0] = ev.grpEnd(g) }()

	if !ps.roleOK {
		ev.open(tStRole)
		if p.Role == "" {
			ev.s("No role is recorded.")
			ev.close(eUnk)
			ev.missPerson(pi, "role")
		} else {
			ev.s("The recorded role ")
			ev.v(string(p.Role))
			ev.s(" is not one of the controlled list (a contradiction; see the family criteria).")
			ev.close(eManual)
		}
	}
	if ps.roleOK && !ps.unitRole {
		ev.open(tStUnit)
		ev.s("A ")
		ev.v(string(p.Role))
		ev.s(": not a parent, guardian or child of the unit.")
		ev.close(eExcl)
		ps.intr = StateOutside
		return
	}
	ev.locCriterion(tStLoc, pi, eExcl)
	if o := ev.executedUnmatched(pi); o >= 0 {
		x := &ev.d.Proceedings[o]
		ev.open(tStLoc)
		ev.s("proceedings[")
		ev.mkey(&x.Meta)
		ev.s("] (")
		ev.v(string(x.Kind))
		ev.s(" of ")
		ev.date(x.Opened)
		ev.s(") is recorded as EXECUTED, so the person was removed, but the custody timeline records no removal: the records contradict each other on where the person is; manual review.")
		ev.close(eManual)
	}
	if kind, m := ev.unplacedReturn(pi); m != nil {
		ev.open(tStLoc)
		ev.v(kind)
		ev.s("[")
		ev.mkey(m)
		ev.s("] says the person was removed and came back, but the custody timeline records no removal, so whether records from before the removal still count is not known.")
		ev.close(eUnk)
		ev.missAbout("custody", "person", pi)
	}
	// Membership of the unit by separation (F-10).
	ev.open(tStUnit)
	unit := eMet
	switch {
	case ev.c.unitAllMembers:
		ev.lit("Every parent, guardian and child of the family is in the unit (cfg.family_unit_scope=ALL_MEMBERS).")
	case ps.linked:
		ev.lit("Linked by a separation event on record.")
	default:
		ev.lit("No separation event links the person to another member, so whether the person belongs to the unit is not known.")
		unit = eUnk
	}
	ev.close(unit)
	if unit == eUnk {
		ev.missAbout("separations", "person", pi)
		ps.unitUk = true
	}

	// Screening facts.
	var badScr []int
	var badField []string
	for i := range ev.d.Screenings {
		if ev.scrOwner[i] != int32(pi) {
			continue
		}
		s := &ev.d.Screenings[i]
		if ok, _, _ := ev.scrView(s); !ok {
			continue
		}
		switch {
		case s.Occasion != rescreen.OccasionInitial && s.Occasion != rescreen.OccasionSettlement && s.Occasion != rescreen.OccasionChildOwn && s.Occasion != rescreen.OccasionReturnBorder:
			badScr, badField = append(badScr, i), append(badField, "occasion")
		case s.Result != rescreen.ResultPositive && s.Result != rescreen.ResultNegative && s.Result != rescreen.ResultPending && s.Result != rescreen.ResultNoClaim:
			badScr, badField = append(badScr, i), append(badField, "result")
		case s.Kind != rescreen.CredibleFear && s.Kind != rescreen.ReasonableFear:
			badScr, badField = append(badScr, i), append(badField, "kind")
		}
	}
	// A proceeding of unrecorded kind could be an open Notice to Appear.
	for i := range ev.d.Proceedings {
		x := &ev.d.Proceedings[i]
		if ev.procOwner[i] != int32(pi) || !ev.seen(x.Opened) {
			continue
		}
		switch x.Kind {
		case rescreen.ProcExpedited, rescreen.ProcReinstated, rescreen.ProcIJOrder, rescreen.ProcSection240, rescreen.ProcAsylumAppl, rescreen.ProcVoluntaryDep:
		default:
			ev.open(tStProcs)
			ev.s("proceedings[")
			ev.mkey(&x.Meta)
			ev.s("] has no recognized kind, so it could be an open section 240 case.")
			ev.close(eUnk)
			ev.miss1("proceedings", &x.Meta, "kind")
		}
	}
	if len(badScr) > 0 {
		ev.open(tStScreens)
		ev.num(len(badScr))
		ev.s(" screening(s) lack a recorded kind, occasion or result, so they could hold a determination that is not counted.")
		ev.close(eUnk)
		for k, i := range badScr {
			ev.miss1("screenings", &ev.d.Screenings[i].Meta, badField[k])
		}
	}

	if ps.loc == locRemoved {
		// D-1: a removed member gets nothing under the F rules; how the
		// member counts for the unit is decided with the family.
		ev.open(tStProc)
		ev.s("Removed; the family's coverage under the June 2018 class and the settlement is ")
		switch ps.famCov {
		case eMet:
			ps.intr = StateRemoved
			ev.s("established.")
		case eManual:
			ps.intr = StateManual
			ev.s("under manual review.")
		case eUnk:
			ps.intr = StateUnknown
			ev.s("not known: facts are missing.")
		default:
			ps.intr = StateOutside
			ev.s("not established: outside the unit.")
		}
		ev.close(ps.famCov)
		if ps.famCov == eUnk {
			ev.missFromCoverage(pi)
		}
		return
	}

	// Positive: an open Notice to Appear, an earlier positive, or a
	// positive determination. Positives keep the family whatever the
	// person's own coverage (F-1, F-3, COV-12).
	neg, pos, _ := ev.initialScreens(pi)
	ps.negInit, ps.posInit = neg, pos
	in240, ended := ev.open240(pi)
	ps.in240 = in240
	ev.findDetermination(pi)
	detPos := ps.det >= 0 && ev.detResult(ps.det) == rescreen.ResultPositive
	stray, strayGoverns := -1, false
	if ps.in240 < 0 && pos < 0 && !detPos {
		stray, strayGoverns = ev.strayPositive(pi)
	}
	// Only where a positive would keep the family (familyOutcome) does an
	// open question about one matter: for a person no rule set covers, it
	// decides nothing.
	keeps := ps.proc == Covered || ps.proc == ManualReview || ps.proc == CoverageUnk || ps.pre
	live := -1
	if ps.in240 < 0 && pos < 0 && !detPos && stray < 0 && keeps {
		live = ev.livePending(pi)
	}
	ev.open(tStPositive)
	switch {
	case ps.in240 >= 0:
		x := &ev.d.Proceedings[ps.in240]
		if x.Kind == rescreen.ProcAsylumAppl {
			ev.s("An asylum application filed ")
			ev.date(x.Opened)
			ev.s(" has not concluded; it holds the family like section 240 proceedings (F-2, H-4)")
			ev.s(" (proceedings[")
			ev.mkey(&x.Meta)
			ev.s("], status ")
			if x.Status == "" {
				ev.s("not recorded, taken as open")
			} else {
				ev.v(string(x.Status))
			}
			ev.s(").")
			ev.close(eMet)
			ps.intr = StateIn240
			break
		}
		ev.s("In section 240 proceedings opened ")
		ev.date(x.Opened)
		ev.s(" (proceedings[")
		ev.mkey(&x.Meta)
		ev.s("], status ")
		if x.Status == "" {
			ev.s("not recorded, taken as open")
		} else {
			ev.v(string(x.Status))
		}
		ev.s(").")
		ev.close(eMet)
		ps.intr = StateIn240
	case pos >= 0 || detPos:
		i := pos
		if detPos {
			i = ps.det
		}
		s := &ev.d.Screenings[i]
		ev.s("Positive ")
		ev.v(string(s.Kind))
		ev.s(" determination (")
		ev.v(string(s.Occasion))
		ev.s(") on ")
		ev.date(scrDate(s))
		ev.s(" (screenings[")
		ev.mkey(&s.Meta)
		ev.s("]).")
		ev.close(eMet)
		ps.intr = StatePositive
	case stray >= 0:
		s := &ev.d.Screenings[stray]
		ev.s("A positive ")
		ev.v(string(s.Kind))
		ev.s(" screening under occasion ")
		ev.v(string(s.Occasion))
		ev.s(" on ")
		ev.date(scrDate(s))
		ev.s(" (screenings[")
		ev.mkey(&s.Meta)
		ev.s("]), an occasion the settlement's procedures do not read for this person's role; a positive is never ignored")
		if strayGoverns {
			ev.s(", and it is the latest screening on record, so the person is positive.")
			ev.close(eMet)
			ps.intr = StatePositive
		} else {
			ev.s(", but a later screening is on record (or its date is not): manual review.")
			ev.close(eManual)
			ps.strayMan = true
		}
	case ended >= 0 && keeps:
		x := &ev.d.Proceedings[ended]
		ev.s("No positive determination on record; ")
		ev.v(string(x.Kind))
		ev.s(" (proceedings[")
		ev.mkey(&x.Meta)
		ev.s("]) is recorded as ")
		ev.v(string(x.Status))
		ev.s(" with no date, so whether it was still open on the as-of date is not known.")
		ev.close(eUnk)
		ev.miss1("proceedings", &x.Meta, "decided_on")
	case live >= 0:
		// B17: a screening that may still turn positive.
		x := &ev.d.Screenings[live]
		ev.s("No positive determination on record, but screenings[")
		ev.mkey(&x.Meta)
		ev.s("] (")
		ev.v(string(x.Kind))
		ev.s(", ")
		ev.v(string(x.Occasion))
		ev.s(", ")
		ev.date(x.On)
		ev.s(") awaits its decision on the as-of date; a positive under any occasion is never ignored (COV-12), so whether the person is positive is not known and the person has not finished (F-6).")
		ev.close(eUnk)
		ev.miss1("screenings", &x.Meta, "result")
	default:
		ev.lit("No positive determination and no open section 240 proceedings on record.")
		ev.close(eExcl)
	}

	// The procedures.
	ev.open(tStProc)
	var pe eff
	switch {
	case ps.pre && ps.proc == Covered:
		ev.lit("The 2018 settlement is not yet in force; the family is within the June 2018 class, so the person is held by the stay (H-1).")
	case ps.proc == Covered:
		ev.lit("Covered: the 2018 procedures apply.")
	case ps.proc == ManualReview:
		ev.lit("Coverage needs manual review (see coverage).")
		pe = eManual
	case ps.proc == CoverageUnk:
		ev.lit("Coverage cannot be decided: facts are missing (see coverage).")
		pe = eUnk
	default:
		ev.lit("Not covered by a rule set in force that gives the 2018 procedures.")
		pe = eExcl
	}
	ev.close(pe)
	if pe == eUnk {
		ev.missFromCoverage(pi)
	}
	if ps.intr == StateIn240 || ps.intr == StatePositive {
		ev.electionSummary(pi)
		return
	}
	switch pe {
	case eExcl:
		ps.intr = StateOutside
		return
	case eManual:
		ps.intr = StateManual
		ev.electionSummary(pi)
		return
	case eUnk:
		ps.intr = StateUnknown
		ev.electionSummary(pi)
		return
	}
	if ps.pre {
		ps.intr = StatePending
		return
	}

	// The determination and the elections.
	st := ev.determinationCriterion(pi)
	ev.electionSummary(pi)
	if ps.change {
		ps.intr = StateManual
		return
	}
	if live >= 0 && (st == StateNegative || st == StateNoClaim) {
		// The settlement determination does not finish a member whose
		// other screening awaits its decision (B17).
		st = StatePending
	}
	switch st {
	case StateNegative, StateNoClaim, StateManual:
		ps.intr = st
	case StateUnknown:
		if ps.waived {
			ps.intr = StateWaived
		} else {
			ps.intr = StateUnknown
		}
	default: // pending, or nothing decided yet
		switch {
		case ps.waived:
			ps.intr = StateWaived
		case ps.waiverMan || ps.invalidMan:
			ps.intr = StateManual
		case ps.waiverUnk:
			ps.intr = StateUnknown
		default:
			ps.intr = StatePending
		}
	}
}

// missFromCoverage names on the last criterion the missing facts that leave
// a person's coverage open: the person's own, and before the settlement is
// in force, for a child, the adults' June 2018 evaluation it turns on.
func (ev *evaluator) missFromCoverage(pi int) {
	ps := &ev.ps[pi]
	for k := range ps.cov {
		if ps.cov[k].status == CoverageUnk {
			ev.missCopyGroup(ps.cov[k].cr)
		}
	}
	ev.childSeps(pi, func(_ int, _ *rescreen.Separation, a int) {
		if ev.ps[a].cov[ix18June].status == CoverageUnk {
			ev.missCopyGroup(ev.ps[a].cov[ix18June].cr)
		}
	})
	last := len(ev.crits) - 1
	if ev.crits[last].m.b == ev.crits[last].m.a {
		// Coverage open for a reason no criterion names (a criterion that
		// met no fact): name the person's coverage itself.
		a := ev.mark()
		ev.s("persons[")
		ev.pk(pi)
		ev.s("].coverage")
		ev.addMiss(a)
	}
}

// detResult is a screening's result as of the as-of date.
func (ev *evaluator) detResult(i int) rescreen.ScreeningResult {
	_, r, _ := ev.scrView(&ev.d.Screenings[i])
	return r
}

// findDetermination picks the governing settlement determination: the
// latest one on record, a positive winning a tie. It notes an undated
// determination, which cannot be ordered.
func (ev *evaluator) findDetermination(pi int) {
	ps := &ev.ps[pi]
	var best rescreen.Date
	back := ev.returnedOn(pi)
	for i := range ev.d.Screenings {
		if ev.scrOwner[i] != int32(pi) {
			continue
		}
		s := &ev.d.Screenings[i]
		if !detOccasion(ps.child, s.Occasion) {
			continue
		}
		if s.Occasion == rescreen.OccasionReturnBorder && !ps.returned {
			continue
		}
		ok, res, dt := ev.scrView(s)
		if !ok {
			continue
		}
		// D-7: a member removed and returned is screened again; a
		// determination made before the return (before the removal, or
		// while outside the U.S., where D-1 gives no review) does not
		// finish the member, parent or child.
		if ps.returned && res != rescreen.ResultPositive && !dt.IsZero() && dt.Before(back) {
			ps.preReturn = true
			continue
		}
		if dt.IsZero() {
			ps.detUnk = true
			if ps.det < 0 {
				ps.det = i
			}
			continue
		}
		// Of the determinations of the latest day, the one that keeps the
		// member governs, whatever the order of the records.
		if ps.det < 0 || scrDate(&ev.d.Screenings[ps.det]).IsZero() || dt.After(best) || (dt == best && ev.detOutranks(pi, i, ps.det)) {
			ps.det, best = i, dt
		}
	}
}

// returnedOn is the day a member removed and returned came back: the
// earliest arrival of a return request, or screening on return, on or
// after the last removal and on record by the as-of date (the records
// locate reads). It is zero for a member who did not return.
func (ev *evaluator) returnedOn(pi int) rescreen.Date {
	ps := &ev.ps[pi]
	var on rescreen.Date
	if !ps.returned {
		return on
	}
	take := func(d rescreen.Date) {
		if !d.IsZero() && !d.Before(ps.removedOn) && !d.After(ev.asOf) && (on.IsZero() || d.Before(on)) {
			on = d
		}
	}
	for i := range ev.d.ReturnRequests {
		if ev.retOwner[i] == int32(pi) {
			take(ev.d.ReturnRequests[i].ArrivedOn)
		}
	}
	for i := range ev.d.Screenings {
		if ev.scrOwner[i] == int32(pi) && ev.d.Screenings[i].Occasion == rescreen.OccasionReturnBorder {
			take(scrDate(&ev.d.Screenings[i]))
		}
	}
	if on.IsZero() {
		on = ps.removedOn
	}
	return on
}

// detRank orders the results of determinations made the same day: the one
// that keeps the member ranks first. A positive keeps the family; a result
// off the controlled list could be one; a pending one has not finished; a
// parent's NO_CLAIM goes to manual review (R-C5 is for children); a
// negative and a child's NO_CLAIM finish the member.
func detRank(child bool, r rescreen.ScreeningResult) int {
	switch r {
	case rescreen.ResultPositive:
		return 6
	case rescreen.ResultPending:
		return 4
	case rescreen.ResultNegative:
		return 2
	case rescreen.ResultNoClaim:
		if child {
			return 1
		}
		return 3
	}
	return 5
}

// detStrength is how far a negative or no-claim determination goes
// towards finishing the member on its own facts: 0 it does not (not final,
// or noncompliant under cfg.r_p5_action=BLOCK), 1 a fact it needs is not
// recorded, 2 it does.
func (ev *evaluator) detStrength(pi int, s *rescreen.Screening) int {
	st := 2
	switch {
	case isFalse(s.Final):
		return 0
	case s.Final == nil:
		st = 1
	}
	if ev.ps[pi].child {
		return st
	}
	switch {
	case s.ReliesOnInconsistency == nil:
		st = 1
	case !*s.ReliesOnInconsistency:
	case s.PsychStateConsidered == nil:
		st = 1
	case !*s.PsychStateConsidered && !ev.c.rp5Flag:
		return 0
	}
	if (s.On.IsZero() && !ev.c.interviewIfWarranted) || (s.Kind != rescreen.CredibleFear && s.Kind != rescreen.ReasonableFear) {
		st = 1
	}
	return st
}

// detOutranks reports whether determination a, made the same day as b,
// governs instead of b: a result that keeps the member more, or the same
// result with weaker facts. Two records of one day that disagree never let
// the stronger one finish the member.
func (ev *evaluator) detOutranks(pi, a, b int) bool {
	child := ev.ps[pi].child
	ra, rb := detRank(child, ev.detResult(a)), detRank(child, ev.detResult(b))
	if ra != rb {
		return ra > rb
	}
	return ev.detStrength(pi, &ev.d.Screenings[a]) < ev.detStrength(pi, &ev.d.Screenings[b])
}

// determinationCriterion writes whether the governing determination is
// final and compliant, and returns the state it gives.
func (ev *evaluator) determinationCriterion(pi int) MemberState {
	ps := &ev.ps[pi]
	if ps.child {
		ev.open(tStDetChild)
	} else {
		ev.open(tStDet)
	}
	if ps.det < 0 {
		if ps.preReturn {
			ev.s("Removed on ")
			ev.date(ps.removedOn)
			ev.s(" and returned on ")
			ev.date(ev.returnedOn(pi))
			ev.s("; every determination on record predates the return, so a screening after the return is owed (D-7, D-8).")
			ev.close(eExcl)
			return StatePending
		}
		if ps.child {
			ev.s("No own interview of the child on record: the interview is owed (R-C2).")
		} else if ev.c.interviewIfWarranted {
			ev.s("No settlement review on record: the review is owed (R-P1).")
		} else {
			ev.s("No settlement review and new interview on record: both are owed (R-P1, R-P2).")
		}
		ev.close(eExcl)
		return StatePending
	}
	s := &ev.d.Screenings[ps.det]
	_, res, dt := ev.scrView(s)
	if ps.detUnk {
		ev.s("A settlement determination (screenings[")
		ev.mkey(&s.Meta)
		ev.s("]) has no date, so the governing determination cannot be told.")
		ev.close(eUnk)
		for i := range ev.d.Screenings {
			x := &ev.d.Screenings[i]
			if ev.scrOwner[i] == int32(pi) && detOccasion(ps.child, x.Occasion) && scrDate(x).IsZero() {
				ev.miss1("screenings", &x.Meta, "decided_on")
			}
		}
		return StateUnknown
	}
	// A positive earlier determination followed by a negative one.
	for i := range ev.d.Screenings {
		x := &ev.d.Screenings[i]
		if i == ps.det || ev.scrOwner[i] != int32(pi) || !detOccasion(ps.child, x.Occasion) {
			continue
		}
		ok, r, d := ev.scrView(x)
		if ok && r == rescreen.ResultPositive && d.Before(dt) && (res == rescreen.ResultNegative || res == rescreen.ResultNoClaim) {
			ev.s("A positive determination of ")
			ev.date(d)
			ev.s(" (screenings[")
			ev.mkey(&x.Meta)
			ev.s("]) was followed by ")
			ev.v(string(res))
			ev.s(" on ")
			ev.date(dt)
			ev.s(": a reversal goes to manual review.")
			ev.close(eManual)
			return StateManual
		}
	}
	ev.v(string(s.Occasion))
	ev.s(" ")
	ev.v(string(res))
	ev.s(" on ")
	ev.date(dt)
	ev.s(" (screenings[")
	ev.mkey(&s.Meta)
	ev.s("])")
	switch res {
	case rescreen.ResultPending:
		ev.s(": scheduled or awaiting decision.")
		ev.close(eExcl)
		return StatePending
	case rescreen.ResultNoClaim:
		if !ps.child {
			ev.s(": NO_CLAIM is defined for children only (R-C5); manual review.")
			ev.close(eManual)
			return StateManual
		}
	case rescreen.ResultNegative:
	default:
		ev.s(": the result is not recorded.")
		ev.close(eUnk)
		ev.miss1("screenings", &s.Meta, "result")
		return StateUnknown
	}
	// A2: a settlement review or a child's interview made before the
	// agreement was lodged, before the member entered or was separated, or
	// before the negative first screening it reviews, cannot be the
	// settlement's determination; a date it must follow that is not
	// recorded is a missing fact, never a pass.
	switch e, gaps := ev.detTooEarly(pi, s, dt); e {
	case eManual:
		ev.s("; it does not finish the member: manual review.")
		ev.close(eManual)
		return StateManual
	case eUnk:
		ev.close(eUnk)
		for _, x := range gaps {
			ev.miss1(x.kind, x.m, x.field)
		}
		return StateUnknown
	}
	// A negative or a child's no-claim: final and compliant?
	var miss []string
	pending, noncompl := false, false
	ijUnk := -1
	if s.DecidedOn.IsZero() {
		// The decision places the result; an interview date does not, and
		// an undated decision may postdate the as-of date (B15).
		ev.s("; the date of the decision is not recorded")
		miss = append(miss, "decided_on")
	}
	switch {
	case s.Final == nil:
		ev.s("; finality not recorded")
		miss = append(miss, "final")
	case !*s.Final:
		ev.s("; not final")
		pending = true
	default:
		ev.s("; final")
	}
	if !ps.child {
		if !ev.c.interviewIfWarranted {
			if s.On.IsZero() {
				ev.s("; the date of the new interview is not recorded (cfg.interview_trigger=ALL_ELIGIBLE requires one)")
				miss = append(miss, "on")
			} else {
				ev.s("; interviewed ")
				ev.date(s.On)
			}
		}
		switch {
		case s.ReliesOnInconsistency == nil:
			ev.s("; whether it relies on inconsistencies is not recorded")
			miss = append(miss, "relies_on_inconsistency")
		case !*s.ReliesOnInconsistency:
			ev.s("; does not rely on inconsistencies")
		case s.PsychStateConsidered == nil:
			ev.s("; relies on inconsistencies and whether the psychological state was considered is not recorded")
			miss = append(miss, "psych_state_considered")
		case *s.PsychStateConsidered:
			ev.s("; relies on inconsistencies with the psychological state considered (R-P5)")
		default:
			noncompl = true
			ev.s("; relies on inconsistencies without considering the psychological state at the first interview: NONCOMPLIANT (R-P5)")
			if ev.c.rp5Flag {
				ev.s(", flagged and counted (cfg.r_p5_action=FLAG)")
			} else {
				ev.s(", not final (cfg.r_p5_action=BLOCK)")
				pending = true
			}
		}
		if s.Kind != rescreen.CredibleFear && s.Kind != rescreen.ReasonableFear {
			miss = append(miss, "kind")
		}
		if ev.c.ijReview == "YES" && !pending {
			switch ij, unk := ev.ijOrderAfter(pi, dt); {
			case ij >= 0:
				ev.s("; an immigration judge's order of ")
				ev.date(ev.d.Proceedings[ij].Opened)
				ev.s(" followed")
			case unk >= 0:
				ev.s("; an immigration judge's order of ")
				ev.date(ev.d.Proceedings[unk].Opened)
				ev.s(" followed, but its status is not recorded, so whether it stands (not vacated or superseded) is not known (cfg.ij_review_available=YES)")
				ijUnk = unk
			default:
				ev.s("; an immigration judge may review it and no judge's order dated on or after it is on record (cfg.ij_review_available=YES)")
				pending = true
			}
		}
	}
	ps.nonCompl = noncompl
	ps.interview = s.On
	switch {
	case pending:
		ev.s(".")
		ev.close(eExcl)
		return StatePending
	case len(miss) > 0 || ijUnk >= 0:
		ev.s(".")
		ev.close(eUnk)
		for _, f := range miss {
			ev.miss1("screenings", &s.Meta, f)
		}
		if ijUnk >= 0 {
			ev.miss1("proceedings", &ev.d.Proceedings[ijUnk].Meta, "status")
		}
		return StateUnknown
	}
	ev.s(".")
	ev.close(eMet)
	ps.detFinal = true
	if res == rescreen.ResultNoClaim {
		return StateNoClaim
	}
	return StateNegative
}

// dateGap is a date a rule needs that is not recorded: kind[SOURCE:ID].field.
type dateGap struct {
	kind  string
	m     *rescreen.Meta
	field string
}

// detTooEarly checks, with the determination's criterion open, the dates a
// negative or no-claim SETTLEMENT_REVIEW or CHILD_INTERVIEW must follow
// (A2): the agreement's lodging (2018-09-12; a child's interview before it
// is the "earlier negative" R-C2 re-interviews), the member's entry, the
// member's first separation, and every negative first screening of the
// member (the one a review reviews). It writes why the determination is
// too early and returns eManual; or, when one of those dates is not
// recorded, says so and returns eUnk with the facts to name; or returns
// eMet. A determination on return (D-8) follows a removal and is dated by
// it, so it is not checked here.
func (ev *evaluator) detTooEarly(pi int, s *rescreen.Screening, dt rescreen.Date) (eff, []dateGap) {
	if s.Occasion != rescreen.OccasionSettlement && s.Occasion != rescreen.OccasionChildOwn {
		return eMet, nil
	}
	p := ev.ps[pi].p
	before := func(d rescreen.Date) bool {
		return (!s.On.IsZero() && s.On.Before(d)) || (!dt.IsZero() && dt.Before(d))
	}
	if before(dateLodged) {
		ev.s(": dated before the agreement was lodged on 2018-09-12")
		return eManual, nil
	}
	var gaps []dateGap
	switch {
	case p.EntryDate.IsZero():
		gaps = append(gaps, dateGap{"persons", &p.Meta, "entry_date"})
	case before(p.EntryDate):
		ev.s(": dated before the member entered on ")
		ev.date(p.EntryDate)
		return eManual, nil
	}
	var first rescreen.Date
	sep := func(_ int, x *rescreen.Separation, _ int) {
		switch {
		case x.On.IsZero():
			gaps = append(gaps, dateGap{"separations", &x.Meta, "on"})
		case first.IsZero() || x.On.Before(first):
			first = x.On
		}
	}
	ev.childSeps(pi, sep)
	ev.adultSeps(pi, sep)
	if !first.IsZero() && before(first) {
		ev.s(": dated before the member's separation on ")
		ev.date(first)
		return eManual, nil
	}
	for i := range ev.d.Screenings {
		x := &ev.d.Screenings[i]
		if ev.scrOwner[i] != int32(pi) || x.Occasion != rescreen.OccasionInitial {
			continue
		}
		ok, res, d := ev.scrView(x)
		switch {
		case !ok || res != rescreen.ResultNegative:
		case d.IsZero():
			gaps = append(gaps, dateGap{"screenings", &x.Meta, "decided_on"})
		case before(d):
			ev.s(": dated before the negative first screening of ")
			ev.date(d)
			ev.s(" (screenings[")
			ev.mkey(&x.Meta)
			ev.s("]) it reviews")
			return eManual, nil
		}
	}
	if len(gaps) > 0 {
		ev.s(": the member's entry, separation or negative first screening is not dated, so whether the determination follows them cannot be checked.")
		return eUnk, gaps
	}
	return eMet, nil
}

// ijOrderAfter finds an immigration judge's removal order dated on or after
// day, the record of a judge's review (cfg.ij_review_available=YES). A
// vacated order, or one superseded by a Notice to Appear, is no review; one
// whose status is not recorded (or is off the controlled list) might be
// either, so it is returned second, as a missing fact, when no order of
// known status is found.
func (ev *evaluator) ijOrderAfter(pi int, day rescreen.Date) (int, int) {
	unk := -1
	for i := range ev.d.Proceedings {
		p := &ev.d.Proceedings[i]
		if ev.procOwner[i] != int32(pi) || p.Kind != rescreen.ProcIJOrder || p.Opened.IsZero() || p.Opened.Before(day) || !ev.seen(p.Opened) {
			continue
		}
		switch p.Status {
		case "ACTIVE", "CONCLUDED", "EXECUTED":
			return i, -1
		case "VACATED", "SUPERSEDED_BY_NTA":
		default:
			if unk < 0 {
				unk = i
			}
		}
	}
	return -1, unk
}

// onlyPreReturnForms reports whether every form of a returned member was
// signed before the return (see electionChecks).
func (ev *evaluator) onlyPreReturnForms(pi int) bool {
	ps := &ev.ps[pi]
	back := ev.returnedOn(pi)
	if back.IsZero() || ps.elc.empty() {
		return false
	}
	for i := ps.elc.a; i < ps.elc.b; i++ {
		if x := &ev.d.Elections[ev.elcs[i].el]; x.SignedOn.IsZero() || !x.SignedOn.Before(back) {
			return false
		}
	}
	return true
}

// electionSummary writes W2, W8 and W10 for the person.
func (ev *evaluator) electionSummary(pi int) {
	ps := &ev.ps[pi]
	ev.open(tStW2)
	e := eExcl
	switch {
	case !ps.anyForm && ps.detFinal:
		ev.lit("No election form on record; not a waiver. The member's determination decides.")
	case !ps.anyForm:
		ev.lit("No election form on record: not a waiver; outreach follows (H-5).")
	case ps.waived:
		ev.lit("A valid Option B is on record.")
		e = eMet
	case ps.choiceA:
		ev.lit("Option A (stay and seek relief) is on record.")
	case ps.waiverUnk:
		ev.lit("An Option B whose validity cannot yet be decided is on record.")
		e = eUnk
	case ps.waiverMan:
		ev.lit("An Option B that was not sent as W6 requires is on record: manual review.")
		e = eManual
	case ps.change:
		ev.lit("Both options appear in the person's forms (see W10).")
		e = eManual
	case ev.onlyPreReturnForms(pi):
		ev.s("Removed on ")
		ev.date(ps.removedOn)
		ev.s(" and returned on ")
		ev.date(ev.returnedOn(pi))
		ev.s(": every form on record was signed before the return and elects nothing; a new election is owed (D-7, H-5).")
	default:
		ev.lit("Only INVALID forms are on record: treated as not returned; outreach follows (W7, H-5).")
		if ps.invalidMan {
			e = eManual
		}
	}
	ev.close(e)
	if e == eUnk {
		for i := ps.elc.a; i < ps.elc.b; i++ {
			x := &ev.elcs[i]
			if x.validity == valNeeds {
				ev.missCopyGroup(x.cr)
			}
		}
		if !ps.waived && ps.anyForm {
			for i := ps.elc.a; i < ps.elc.b; i++ {
				x := &ev.d.Elections[ev.elcs[i].el]
				if x.Choice != rescreen.ChoiceRemain && x.Choice != rescreen.ChoiceReturn {
					ev.miss1("elections", &x.Meta, "choice")
				}
			}
		}
	}
	if ps.elc.b-ps.elc.a > 1 {
		ev.open(tStW10)
		if ps.change {
			ev.s("The person's forms choose both Option A and Option B: a changed election goes to manual review.")
			ev.close(eManual)
		} else {
			ev.num(int(ps.elc.b - ps.elc.a))
			ev.s(" forms on record, all with the same option; the latest governs.")
			ev.close(eMet)
		}
	}
	if w := ev.reunificationWaiver(pi); w >= 0 {
		ev.open(tStW8)
		ev.s("Waived reunification on ")
		ev.date(ev.d.Preferences[w].DeclaredOn)
		ev.s(": not a settlement waiver; the hold is untouched.")
		ev.close(eMet)
	}
}

// Remedies.

// remedies decides what each person is owed.
func (ev *evaluator) remedies() {
	for i := range ev.ps {
		ev.remedy(i)
	}
}

func (ev *evaluator) addRem(pi int, k RemedyKind, state string, cr span) {
	ps := &ev.ps[pi]
	if ps.nrem < len(ps.rem) {
		ps.rem[ps.nrem] = remOut{kind: k, state: state, cr: cr}
		ps.nrem++
	}
}

func (ev *evaluator) remedy(pi int) {
	ps := &ev.ps[pi]
	// The return request of a removed parent of a covered family (D rules).
	if ps.loc == locRemoved && ps.adult && ps.famCov != eExcl {
		ev.returnRemedy(pi)
	}
	switch {
	case ps.loc == locRemoved:
	case !ps.roleOK || !ps.unitRole:
	case ps.adult && ps.posInit >= 0 && !ps.pre && ps.cov[ix18S].status != NotInForce && ps.famCov == eMet:
		// COV-12: a parent of a covered family with an earlier positive is
		// unaffected; say so rather than "not covered".
		ev.parentRemedy(pi)
	case ps.pre || ps.proc != Covered:
		if ps.proc == ManualReview {
			g := ev.grp()
			ev.one(tManualRm, eManual, "The person's coverage is unresolved (see coverage); what is owed follows from the review.")
			ev.addRem(pi, RemedyManualReview, "COVERAGE_MANUAL_REVIEW", ev.grpEnd(g))
		}
	case ps.adult:
		ev.parentRemedy(pi)
	case ps.child:
		ev.childRemedy(pi)
	}
	if c := ps.cov[ix23].status; c == Covered || c == ManualReview {
		ev.benefitsRemedy(pi)
	}
	if ps.nrem == 0 {
		g := ev.grp()
		ev.open(tNone)
		switch {
		case ps.loc == locRemoved:
			ev.s("Removed from the U.S., and not a parent of a covered family who could ask to return.")
		case ps.pre && ps.proc == Covered:
			ev.s("The 2018 settlement's procedures are not yet in force; the person is held by the stay (H-1).")
		default:
			ev.s("Not covered by a rule set in force that owes a remedy.")
		}
		ev.close(eMet)
		state := "NOT_COVERED"
		if ps.pre && ps.proc == Covered {
			state = "HELD_PENDING_SETTLEMENT"
		}
		ev.addRem(pi, RemedyNone, state, ev.grpEnd(g))
	}
}

func (ev *evaluator) parentRemedy(pi int) {
	ps := &ev.ps[pi]
	g := ev.grp()
	if ps.posInit >= 0 {
		s := &ev.d.Screenings[ps.posInit]
		ev.open(tRP12)
		ev.s("Positive ")
		ev.v(string(s.Kind))
		ev.s(" on ")
		ev.date(scrDate(s))
		ev.s(": no review and no new interview; the parent stays in proceedings.")
		ev.close(eMet)
		ev.addRem(pi, RemedyNone, "UNAFFECTED_POSITIVE", ev.grpEnd(g))
		return
	}
	// R-P1: owed a review.
	ev.open(tRP1)
	order := ev.removalOrder(pi)
	e := eMet
	switch {
	case ps.negInit < 0:
		ev.s("No negative first determination on record; coverage rests on a removal order (COV-17).")
	case order < 0:
		ev.s("A negative determination but no removal order on record.")
		e = eUnk
	default:
		ev.s("Negative ")
		ev.v(string(ev.d.Screenings[ps.negInit].Kind))
		ev.s(" on ")
		ev.date(scrDate(&ev.d.Screenings[ps.negInit]))
		ev.s(" and ")
		ev.v(string(ev.d.Proceedings[order].Kind))
		ev.s(" on ")
		ev.date(ev.d.Proceedings[order].Opened)
		ev.s(": review owed in good faith.")
	}
	ev.close(e)
	if e == eUnk {
		ev.missAbout("proceedings", "person", pi)
	}
	// R-P2: the new interview.
	var s *rescreen.Screening
	if ps.det >= 0 {
		s = &ev.d.Screenings[ps.det]
	}
	ev.open(tRP2)
	switch {
	case s == nil && ev.c.interviewIfWarranted:
		ev.s("No review on record yet; an interview follows if reconsideration is warranted (cfg.interview_trigger=IF_WARRANTED).")
		ev.close(eExcl)
	case s == nil:
		ev.s("No new interview on record yet (cfg.interview_trigger=ALL_ELIGIBLE).")
		ev.close(eExcl)
	case s.On.IsZero():
		ev.s("The review's determination has no interview date")
		if ev.c.interviewIfWarranted {
			ev.s("; under cfg.interview_trigger=IF_WARRANTED the review decides whether one is held.")
			ev.close(eMet)
		} else {
			ev.s(".")
			ev.close(eUnk)
			ev.miss1("screenings", &s.Meta, "on")
		}
	default:
		ev.s("Interviewed on ")
		ev.date(s.On)
		if s.Mode != "" {
			ev.s(" (")
			ev.v(string(s.Mode))
			ev.s(")")
		}
		ev.s(".")
		ev.close(eMet)
	}
	// R-P3: counsel.
	ev.open(tRP3)
	switch {
	case s == nil:
		ev.lit("No interview yet; the parent may have counsel present in person or by phone.")
	case s.Counsel == "":
		ev.lit("Counsel's presence is not recorded; every form of presence is valid.")
	case s.Counsel == "VIDEO":
		ev.lit("counsel_presence = VIDEO: taken like phone, which is expressly allowed; valid.")
	case s.Counsel == "PHONE":
		ev.lit("counsel_presence = PHONE: expressly allowed; valid.")
	case s.Counsel == "IN_PERSON":
		ev.lit("counsel_presence = IN_PERSON: valid.")
	case s.Counsel == "NONE":
		ev.lit("counsel_presence = NONE: valid; the parent may consult lawyers.")
	default:
		ev.s("counsel_presence = ")
		ev.v(string(s.Counsel))
		ev.s(": not a recorded form of presence; every form of presence is valid.")
	}
	ev.close(eMet)
	// R-P4: evidence.
	ev.open(tRP4)
	n := 0
	for i := range ev.d.Evidence {
		if ev.evOwner[i] == int32(pi) && ev.seen(ev.d.Evidence[i].SubmittedOn) {
			n++
		}
	}
	ev.num(n)
	ev.s(" item(s) of new information, evidence or testimony on record.")
	ev.close(eMet)
	// R-P5 and R-P7 or R-P8: the determination.
	state := "INTERVIEW_OWED"
	if ev.c.interviewIfWarranted {
		state = "REVIEW_OWED"
	}
	if s != nil {
		_, res, _ := ev.scrView(s)
		ev.open(tRP5)
		switch {
		case res != rescreen.ResultNegative:
			ev.s("Not a negative decision; R-P5 protects against negative findings.")
			ev.close(eMet)
		case ps.nonCompl:
			ev.s("Relies on inconsistencies without considering the psychological state at the first interview: NONCOMPLIANT (cfg.r_p5_action=")
			if ev.c.rp5Flag {
				ev.s("FLAG).")
			} else {
				ev.s("BLOCK): not final.")
			}
			ev.close(eExcl)
		case s.ReliesOnInconsistency == nil || (isTrue(s.ReliesOnInconsistency) && s.PsychStateConsidered == nil):
			ev.s("Compliance cannot be decided (see the member's state).")
			ev.close(eUnk)
			if s.ReliesOnInconsistency == nil {
				ev.miss1("screenings", &s.Meta, "relies_on_inconsistency")
			} else {
				ev.miss1("screenings", &s.Meta, "psych_state_considered")
			}
		case isTrue(s.ReliesOnInconsistency):
			ev.s("Relies on inconsistencies; the psychological state at the first interview was considered.")
			ev.close(eMet)
		default:
			ev.s("Does not rely on inconsistencies.")
			ev.close(eMet)
		}
		switch res {
		case rescreen.ResultPositive:
			ev.open(tRP7)
			ev.s("Positive on ")
			ev.date(scrDate(s))
			ev.s(": a Notice to Appear and section 240 proceedings follow")
			if ps.in240 >= 0 {
				ev.s(" (opened ")
				ev.date(ev.d.Proceedings[ps.in240].Opened)
				ev.s(")")
			}
			ev.s("; the earlier order's status is recorded on the order.")
			ev.close(eMet)
			state = "DETERMINED_POSITIVE"
		case rescreen.ResultNegative:
			ev.open(tRP8)
			ev.s("Negative on ")
			ev.date(scrDate(s))
			switch ev.c.ijReview {
			case "UNKNOWN":
				ev.s("; whether an immigration judge may review it is unknown: counsel is asked by hand (cfg.ij_review_available=UNKNOWN).")
			case "NO":
				ev.s("; no immigration judge review (cfg.ij_review_available=NO).")
			default:
				ev.s("; an immigration judge may review it (cfg.ij_review_available=YES).")
			}
			ev.close(eMet)
			switch {
			case ps.nonCompl && !ev.c.rp5Flag:
				state = "NONCOMPLIANT"
			case ps.nonCompl:
				state = "NONCOMPLIANT_FLAGGED"
			case ps.intr == StateNegative && ev.c.ijReview == "UNKNOWN":
				state = "DETERMINED_NEGATIVE_IJ_REVIEW_MANUAL"
			case ps.intr == StateNegative:
				state = "DETERMINED_NEGATIVE"
			case ps.intr == StateUnknown:
				state = "NEEDS_INFORMATION"
			default:
				state = "NOT_FINAL"
			}
		case rescreen.ResultPending:
			state = "SCHEDULED"
		default:
			state = "NEEDS_INFORMATION"
		}
	}
	switch ps.intr {
	case StateWaived:
		state = "WAIVED"
	case StateManual:
		state = "MANUAL_REVIEW"
	}
	ev.addRem(pi, RemedyParentReview, state, ev.grpEnd(g))
}

func (ev *evaluator) childRemedy(pi int) {
	ps := &ev.ps[pi]
	g := ev.grp()
	ev.one(tRC1, eMet, "The child may claim credible fear in the child's own right, apart from the parent.")
	var s *rescreen.Screening
	if ps.det >= 0 {
		s = &ev.d.Screenings[ps.det]
	}
	state := "OWED"
	ev.open(tRC2)
	switch {
	case ps.posInit >= 0:
		ev.s("A positive first screening on ")
		ev.date(scrDate(&ev.d.Screenings[ps.posInit]))
		ev.s(": the child is positive.")
		ev.close(eMet)
		state = "POSITIVE_EARLIER"
	case s == nil:
		if ps.negInit >= 0 {
			ev.s("A re-interview is owed after the negative first screening of ")
			ev.date(scrDate(&ev.d.Screenings[ps.negInit]))
			ev.s(".")
		} else {
			ev.s("A first interview is owed; most children had never been screened.")
		}
		ev.close(eExcl)
	default:
		_, res, dt := ev.scrView(s)
		ev.v(string(res))
		ev.s(" on ")
		ev.date(dt)
		ev.s(".")
		switch res {
		case rescreen.ResultPending:
			state = "SCHEDULED"
			ev.close(eExcl)
		case rescreen.ResultPositive:
			state = "DETERMINED_POSITIVE"
			ev.close(eMet)
		case rescreen.ResultNegative:
			state = "DETERMINED_NEGATIVE"
			if ps.intr != StateNegative {
				state = "NOT_FINAL"
			}
			ev.close(eMet)
		case rescreen.ResultNoClaim:
			state = "NO_CLAIM"
			ev.close(eMet)
		default:
			state = "NEEDS_INFORMATION"
			ev.close(eMet)
		}
	}
	// R-C3: a removed parent's testimony.
	removed := -1
	ev.childSeps(pi, func(_ int, _ *rescreen.Separation, a int) {
		if ev.ps[a].loc == locRemoved {
			removed = a
		}
	})
	if removed >= 0 {
		ev.open(tRC3)
		ev.pk(removed)
		ev.s(" was removed on ")
		ev.date(ev.ps[removed].removedOn)
		ev.s(" and may testify by phone and send documents from home for the child's claim.")
		ev.close(eMet)
	}
	ev.open(tRC4)
	if !ps.anyForm {
		ev.lit("No form of the child's own on record; one is owed, signed by a parent or legal representative if the child is under 14.")
	} else {
		ev.num(int(ps.elc.b - ps.elc.a))
		ev.s(" form(s) of the child's own on record (see elections).")
	}
	ev.close(eMet)
	ev.open(tRC5)
	switch {
	case state == "NO_CLAIM" && ev.c.noClaimExclude:
		ev.lit("The child claims no fear: finished and not positive, left out of the unit for the F rules (cfg.child_no_claim_as=EXCLUDE).")
	case state == "NO_CLAIM":
		ev.lit("The child claims no fear: finished and not positive, counted as negative (cfg.child_no_claim_as=NEGATIVE).")
	default:
		ev.lit("The child has not recorded NO_CLAIM.")
	}
	ev.close(eMet)
	if state == "DETERMINED_POSITIVE" || state == "POSITIVE_EARLIER" || ps.in240 >= 0 {
		ev.open(tRC7)
		if ps.in240 >= 0 {
			ev.s("Section 240 proceedings opened ")
			ev.date(ev.d.Proceedings[ps.in240].Opened)
			ev.s(".")
		} else {
			ev.s("A Notice to Appear and section 240 proceedings follow.")
		}
		ev.close(eMet)
	}
	switch ps.intr {
	case StateWaived:
		state = "WAIVED"
	case StateManual:
		state = "MANUAL_REVIEW"
	case StateIn240:
		state = "IN_240"
	}
	ev.addRem(pi, RemedyChildInterview, state, ev.grpEnd(g))
}

// returnRemedy is the D rules for a removed parent.
func (ev *evaluator) returnRemedy(pi int) {
	ps := &ev.ps[pi]
	g := ev.grp()
	ev.open(tD1)
	ev.s("Removed on ")
	ev.date(ps.removedOn)
	if ps.removedOn.Before(ev.c.inForce) {
		ev.s(", before the settlement came into force: no credible fear review or interview under it.")
	} else {
		ev.s(", after the settlement came into force on ")
		ev.date(ev.c.inForce)
		ev.s("; the D rules are the only route back.")
	}
	ev.close(eMet)
	ev.one(tD2, eMet, "The government promised no return; only rare and unusual cases, case by case, through class counsel.")
	// The latest request on record.
	req := -1
	for i := range ev.d.ReturnRequests {
		r := &ev.d.ReturnRequests[i]
		if ev.retOwner[i] != int32(pi) || !ev.seen(r.SubmittedOn) {
			continue
		}
		if req < 0 || r.SubmittedOn.After(ev.d.ReturnRequests[req].SubmittedOn) {
			req = i
		}
	}
	due, dayType := ev.t1Due()
	state := "NO_REQUEST"
	late := false
	ev.open(tD34)
	switch {
	case req < 0:
		if ev.asOf.After(due) {
			ev.s("No request on record; the T-1 window closed on ")
			ev.date(due)
			ev.s(" (")
			ev.v(dayType)
			ev.s("); the court route remains (D-6).")
			ev.close(eExcl)
		} else {
			ev.s("No request yet; the T-1 window is open until ")
			ev.date(due)
			ev.s(" (")
			ev.v(dayType)
			ev.s(").")
			ev.close(eExcl)
			state = "WINDOW_OPEN"
		}
	default:
		r := &ev.d.ReturnRequests[req]
		state = string(r.State)
		if state == "" {
			state = "NEEDS_INFORMATION"
		}
		switch {
		case r.SubmittedOn.IsZero():
			ev.s("A request (return_requests[")
			ev.mkey(&r.Meta)
			ev.s("]) with no submission date; whether it fell in the T-1 window is not known.")
			ev.close(eUnk)
			ev.miss1("return_requests", &r.Meta, "submitted_on")
		case r.SubmittedOn.After(due):
			ev.s("Submitted on ")
			ev.date(r.SubmittedOn)
			ev.s(", after the T-1 window closed on ")
			ev.date(due)
			ev.s(" (")
			ev.v(dayType)
			ev.s("): LATE. The consequence is unconfirmed: manual review; the court route remains (D-6).")
			ev.close(eManual)
			late = true
			if r.State == "SUBMITTED" || r.State == "DRAFT" || r.State == "" {
				state = "LATE"
			}
		default:
			ev.s("Submitted on ")
			ev.date(r.SubmittedOn)
			ev.s(", within the T-1 window that closed on ")
			ev.date(due)
			ev.s(" (")
			ev.v(dayType)
			ev.s(").")
			ev.close(eMet)
		}
	}
	ev.one(tD5, eMet, "The parent may testify by phone and send documents from home for the child's claim (R-C3).")
	ev.one(tD6, eMet, "Counsel may move the court for the parent's return; in 2019 the court ordered 11 parents returned and refused 7 (ECF 456).")
	ev.open(tD7)
	d7 := eMet
	if req >= 0 {
		r := &ev.d.ReturnRequests[req]
		ev.s("return_requests[")
		ev.mkey(&r.Meta)
		ev.s("]: ")
		if r.State == "" {
			// The request may have been granted, or the parent may be back:
			// a missing fact, not a request that went nowhere.
			ev.s("state not recorded, so whether the return was granted or made is not known")
			d7 = eUnk
		} else {
			ev.v(string(r.State))
		}
		if !r.DecisionOn.IsZero() && ev.seen(r.DecisionOn) {
			ev.s(", decided ")
			ev.date(r.DecisionOn)
		}
		if r.Channel != "" {
			ev.s(", channel ")
			ev.v(string(r.Channel))
		}
		ev.s(".")
	} else {
		ev.s("No return request on record.")
	}
	ev.close(d7)
	if d7 == eUnk {
		ev.miss1("return_requests", &ev.d.ReturnRequests[req].Meta, "state")
	}
	ev.addRem(pi, RemedyReturnRequest, state, ev.grpEnd(g))
	if late {
		g := ev.grp()
		ev.one(tD34, eManual, "The request came after the T-1 window; what follows is unconfirmed, so a person reviews it (the court route D-6 remains).")
		ev.addRem(pi, RemedyManualReview, "LATE_RETURN_REQUEST", ev.grpEnd(g))
	}
}

// benefitsRemedy is the 2023 settlement's claim and benefits.
func (ev *evaluator) benefitsRemedy(pi int) {
	ps := &ev.ps[pi]
	p := ps.p
	g := ev.grp()
	ev.open(tBen23)
	state := "CLAIMED"
	switch {
	case p.TaskForceClaimOn.IsZero() || !ev.seen(p.TaskForceClaimOn):
		ev.s("No claim yet: the person may claim membership through Together.gov / Juntos.gov.")
		state = "ELIGIBLE_UNCLAIMED"
	case p.TaskForceDecision == "ACCEPTED" && ev.seen(p.TaskForceDecisionOn):
		ev.s("Claim accepted on ")
		ev.date(p.TaskForceDecisionOn)
		ev.s(": parole, work authorization, services and the asylum window apply.")
		state = "ACCEPTED"
	default:
		ev.s("Claimed on ")
		ev.date(p.TaskForceClaimOn)
		ev.s("; decision pending.")
	}
	if ps.cov[ix23].status == ManualReview {
		ev.s(" Membership needs review (presumptive exclusion or no claim, see coverage).")
		if state != "ELIGIBLE_UNCLAIMED" {
			state = "REBUTTAL_REVIEW"
		}
	}
	ev.close(eMet)
	ev.one(tT15, eMet, "See the T-15 and T-17 deadlines.")
	ev.addRem(pi, Remedy2023Benefits, state, ev.grpEnd(g))
}
