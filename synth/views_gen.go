package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"rescreen"
)

// viewStream separates the views' random streams from the class's: a
// family's noise is seeded from the view seed and its index mixed with this
// constant, and each source of the family has a stream of its own.
const viewStream = 0x7669657773

// maxSlots bounds the records of one source about one family; record ids
// are drawn from family index × maxSlots + slot.
const maxSlots = 64

// idPrefix is the prefix of each view's record ids, in the order of
// ViewSources.
var idPrefix = [len(viewSpecs)]string{"S", "EID", "UC", "ZCF", "H"}

// viewGenerator draws the views of one family at a time. It is not safe for
// concurrent use.
type viewGenerator struct {
	seed  uint64
	noise [len(viewSpecs)]*sourceNoise
	idx   int
	pcg   rand.PCG
	r     *rand.Rand
	fv    FamilyViews
	d     *rescreen.Dataset
	ps    []vperson

	// the source being written
	src  int
	n    *sourceNoise
	slot int
}

// vperson is a person of the family with what the views need at hand.
type vperson struct {
	p          *rescreen.Person
	key        rescreen.Ref // the person's full reference, as the class's records give it
	given      []string     // given names in units ("María", "de los Ángeles")
	an1, an2   string       // the A-number and a second one, nine digits each
	an2InClass bool         // the class itself issued the second A-number
	usedAN2    bool         // a view recorded the second A-number
}

func (vp *vperson) adult() bool { return vp.p.Role.IsAdult() }

func (vg *viewGenerator) u() float64            { return vg.r.Float64() }
func (vg *viewGenerator) chance(p float64) bool { return vg.r.Float64() < p }
func (vg *viewGenerator) intn(n int) int        { return vg.r.IntN(n) }

// draw decides whether an error of kind k is put into the record, and
// notes it in errs when it is. Call it only for records k can apply to.
func (vg *viewGenerator) draw(k ErrorKind, errs *Errors) bool {
	if vg.r.Float64() < vg.n.rate[k] {
		errs.add(k)
		return true
	}
	return false
}

func (vg *viewGenerator) family(d *rescreen.Dataset) {
	vg.d = d
	fv := &vg.fv
	fv.Persons, fv.ParentChild, fv.Records = fv.Persons[:0], fv.ParentChild[:0], fv.Records[:0]
	fv.FamilyID = ""
	if len(d.Families) > 0 {
		fv.FamilyID = d.Families[0].SourceID
	}
	vg.ps = vg.ps[:0]
	for i := range d.Persons {
		p := &d.Persons[i]
		key := p.Key()
		vp := vperson{p: p, key: key, given: givenUnits(p.GivenNames)}
		for j := range d.Identifiers {
			id := &d.Identifiers[j]
			if id.Kind != rescreen.IDANumber || id.Person.Resolve(id.Source) != key {
				continue
			}
			digits := strings.TrimPrefix(id.Value, "A")
			switch {
			case id.Status == idDuplicate:
				vp.an2, vp.an2InClass = digits, true
			case vp.an1 == "":
				vp.an1 = digits
			}
		}
		if vp.an2 == "" && vp.an1 != "" {
			// The second A-number the class would have issued: the class
			// numbers duplicates 498,000,000 above the first.
			if n, err := strconv.Atoi(vp.an1); err == nil {
				vp.an2 = strconv.Itoa(n + 498_000_000)
			}
		}
		vg.ps = append(vg.ps, vp)
	}
	for i := range vg.ps {
		a := &vg.ps[i]
		if !a.adult() {
			continue
		}
		for j := range vg.ps {
			if c := &vg.ps[j]; c.p.Role == rescreen.RoleChild {
				kind := rescreen.RelParentOf
				if a.p.Role != rescreen.RoleParent {
					kind = rescreen.RelGuardianOf
				}
				fv.ParentChild = append(fv.ParentChild, ParentChild{Parent: a.p.SourceID, Child: c.p.SourceID, Kind: kind})
			}
		}
	}
	for i, n := range vg.noise {
		if n == nil {
			continue
		}
		vg.pcg.Seed(vg.seed^(uint64(i+1)*0x9e3779b97f4a7c15), splitmix64(uint64(vg.idx)^viewStream))
		vg.src, vg.n, vg.slot = i, n, 0
		switch n.src {
		case rescreen.SourceCBP:
			vg.writeCBP()
		case rescreen.SourceICE:
			vg.writeICE()
		case rescreen.SourceORR:
			vg.writeORR()
		case rescreen.SourceUSCIS:
			vg.writeUSCIS()
		case rescreen.SourceEOIR:
			vg.writeEOIR()
		}
	}
	for i := range vg.ps {
		vp := &vg.ps[i]
		p := vp.p
		tp := TruePerson{
			ID: p.SourceID, FamilyID: fv.FamilyID, Role: p.Role, Sex: p.Sex,
			GivenNames: p.GivenNames, FirstSurname: p.FirstSurname, SecondSurname: p.SecondSurname,
			BirthDate: p.BirthDate, Country: p.Country,
		}
		if vp.an1 != "" {
			tp.ANumber = "A" + vp.an1
		}
		if vp.an2InClass || vp.usedAN2 {
			tp.SecondANumber = "A" + vp.an2
		}
		fv.Persons = append(fv.Persons, tp)
	}
}

// emit writes a record of vp unless the source lacks it, and a second one
// as often as the source holds records twice. build fills the row; dup is
// set when it builds the second record.
func (vg *viewGenerator) emit(vp *vperson, build func(rec *ViewRecord, dup bool)) {
	if !vg.chance(vg.n.coverage) {
		return
	}
	vg.add(vp, build, false)
	if vg.chance(vg.n.duplicate) {
		vg.add(vp, build, true)
	}
}

func (vg *viewGenerator) add(vp *vperson, build func(rec *ViewRecord, dup bool), dup bool) {
	rec := ViewRecord{
		Source:    vg.n.src,
		Row:       make([]string, len(viewSpecs[vg.src].Columns)),
		PersonID:  vp.p.SourceID,
		Duplicate: dup,
	}
	rec.Row[0] = idPrefix[vg.src] + pad9(permute(uint64(vg.idx)*maxSlots+uint64(vg.slot), vg.key(uint64(vg.src))))
	vg.slot++
	if vg.slot > maxSlots {
		panic("synth: more than 64 records of one source about one family")
	}
	build(&rec, dup)
	vg.fv.Records = append(vg.fv.Records, rec)
}

// key returns the permutation key of a kind of id under the view seed.
func (vg *viewGenerator) key(kind uint64) uint64 {
	return splitmix64(vg.seed ^ (kind+1)*0x632be59bd9b4e019)
}

// Kinds of id other than the record ids, for key.
const (
	keyEvent = 100 + iota
	keyFamilyUnit
)

// permute maps x in [0, 10^9) to a number in [0, 10^9), one to one under
// a key: a four-round Feistel network on 30 bits, walked until it lands
// below 10^9. Ids drawn this way are unique and say nothing of the family.
func permute(x, key uint64) uint64 {
	for {
		l, r := x>>15, x&0x7fff
		for round := uint64(0); round < 4; round++ {
			l, r = r, l^(splitmix64(r^key^round<<40)&0x7fff)
		}
		x = l<<15 | r
		if x < 1_000_000_000 {
			return x
		}
	}
}

// pad9 writes n in nine digits.
func pad9(n uint64) string {
	var b [9]byte
	for i := 8; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[:])
}

// givenUnits splits given names into the names a person uses: particles
// stay with the name they introduce (María de los Ángeles is two units).
func givenUnits(s string) []string {
	words := strings.Fields(s)
	var units []string
	for i := 0; i < len(words); i++ {
		j := i
		for j < len(words)-1 && isParticle(words[j]) {
			j++
		}
		units = append(units, strings.Join(words[i:j+1], " "))
		i = j
	}
	return units
}

func isParticle(w string) bool {
	switch strings.ToLower(w) {
	case "de", "del", "la", "las", "los", "y", "da", "do", "dos", "das":
		return true
	}
	return false
}

// noisyName is a person's name on its way into a record.
type noisyName struct {
	given  []string // given-name units
	middle string   // the first surname taken for a middle name
	s1, s2 string
}

// name draws the structural errors of a person's name: whose surnames, in
// which order and how many; which given names, in which order, as
// nicknames; Mayan spellings; accents. Keyboard and OCR errors come later,
// on the fields as the source lays them out.
func (vg *viewGenerator) name(vp *vperson, errs *Errors) noisyName {
	p := vp.p
	nm := noisyName{given: append([]string(nil), vp.given...), s1: p.FirstSurname, s2: p.SecondSurname}

	if p.Role == rescreen.RoleChild {
		var cands [4]*vperson
		n := 0
		for i := range vg.ps {
			a := &vg.ps[i]
			if a.adult() && (a.p.FirstSurname != nm.s1 || a.p.SecondSurname != nm.s2) && n < len(cands) {
				cands[n] = a
				n++
			}
		}
		if n > 0 && vg.draw(ErrChildSurname, errs) {
			a := cands[vg.intn(n)]
			nm.s1, nm.s2 = a.p.FirstSurname, a.p.SecondSurname
		}
	}

	// One draw decides the surnames' structure: the three errors exclude
	// each other.
	if nm.s2 != "" {
		pm, ps, pa := vg.n.rate[ErrNoSecondSurname], vg.n.rate[ErrSurnamesSwapped], vg.n.rate[ErrSurnameAsMiddle]
		switch u := vg.u(); {
		case u < pm:
			nm.s2 = ""
			errs.add(ErrNoSecondSurname)
		case u < pm+ps:
			if nm.s1 != nm.s2 {
				nm.s1, nm.s2 = nm.s2, nm.s1
				errs.add(ErrSurnamesSwapped)
			}
		case u < pm+ps+pa:
			nm.middle, nm.s1, nm.s2 = nm.s1, nm.s2, ""
			errs.add(ErrSurnameAsMiddle)
		}
	}

	if len(nm.given) >= 2 {
		pr, ps := vg.n.rate[ErrGivenReordered], vg.n.rate[ErrGivenShortened]
		switch u := vg.u(); {
		case u < pr:
			nm.given = append(nm.given[1:], nm.given[0])
			errs.add(ErrGivenReordered)
		case u < pr+ps:
			if vg.chance(0.7) {
				nm.given = nm.given[:1]
			} else {
				nm.given = append(nm.given[:1], initial(nm.given[1]))
			}
			errs.add(ErrGivenShortened)
		}
	}

	for i, g := range nm.given {
		nicks := nicknames[g]
		if nicks == nil {
			continue
		}
		if vg.draw(ErrNickname, errs) {
			nick := nicks[vg.intn(len(nicks))]
			if vg.chance(0.5) {
				nm.given = []string{nick}
			} else {
				nm.given[i] = nick
			}
		}
		break
	}

	if vg.mayanEligible(&nm) && vg.draw(ErrMayanSpelling, errs) {
		first := true
		respell := func(s string) string {
			words := strings.Fields(s)
			changed := false
			for i, w := range words {
				if !mayanWords[w] || (!first && !vg.chance(0.7)) {
					continue
				}
				first = false
				words[i], changed = vg.mayanVariant(w), true
			}
			if !changed {
				return s
			}
			return strings.Join(words, " ")
		}
		for i := range nm.given {
			nm.given[i] = respell(nm.given[i])
		}
		nm.middle, nm.s1, nm.s2 = respell(nm.middle), respell(nm.s1), respell(nm.s2)
	}

	accented := hasAccent(nm.middle) || hasAccent(nm.s1) || hasAccent(nm.s2)
	for _, g := range nm.given {
		accented = accented || hasAccent(g)
	}
	if accented && vg.draw(ErrAccents, errs) {
		for i := range nm.given {
			nm.given[i] = stripAccents(nm.given[i])
		}
		nm.middle, nm.s1, nm.s2 = stripAccents(nm.middle), stripAccents(nm.s1), stripAccents(nm.s2)
	}
	return nm
}

// initial returns the initial of a given-name unit: the first letter of its
// last word (de los Ángeles gives Á).
func initial(unit string) string {
	if i := strings.LastIndexByte(unit, ' '); i >= 0 {
		unit = unit[i+1:]
	}
	for _, r := range unit {
		return string(r)
	}
	return ""
}

func (vg *viewGenerator) mayanEligible(nm *noisyName) bool {
	any := func(s string) bool {
		for w := range strings.FieldsSeq(s) {
			if mayanWords[w] {
				return true
			}
		}
		return false
	}
	for _, g := range nm.given {
		if any(g) {
			return true
		}
	}
	return any(nm.middle) || any(nm.s1) || any(nm.s2)
}

// mayanChangeable reports whether some rule spells w another way.
func mayanChangeable(w string) bool {
	for _, rule := range mayanRules {
		if rule(w) != w {
			return true
		}
	}
	return false
}

// mayanVariant returns another spelling of the Mayan word w: a random
// non-empty set of the rules that change it, applied in order.
func (vg *viewGenerator) mayanVariant(w string) string {
	var apply [8]int
	n := 0
	for i, rule := range mayanRules {
		if rule(w) != w {
			apply[n] = i
			n++
		}
	}
	if n == 0 {
		return w
	}
	out := w
	for i := 0; i < n; i++ {
		if vg.chance(0.5) {
			out = mayanRules[apply[i]](out)
		}
	}
	if out == w {
		out = mayanRules[apply[vg.intn(n)]](w)
	}
	return out
}

// Layouts of a name in a source's fields.
const (
	layoutFirstMiddle  = iota // first given name; further given names; both surnames (CBP)
	layoutGivenSurname        // all given names; both surnames (ICE, USCIS, EOIR)
	layoutTwoSurnames         // all given names; first surname; second surname (ORR)
)

// nameFields are a name laid out in a source's fields.
type nameFields struct {
	first, middle, last1, last2 string
}

// layout lays nm out in the source's fields, then draws the errors of the
// keying: the fields swapped, capitals, a keyboard slip, an OCR confusion.
func (vg *viewGenerator) layout(nm noisyName, layout int, upper bool, errs *Errors) nameFields {
	var f nameFields
	join := func(parts ...string) string {
		var b strings.Builder
		for _, s := range parts {
			if s == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s)
		}
		return b.String()
	}
	given := strings.Join(nm.given, " ")
	switch layout {
	case layoutFirstMiddle:
		first, rest := given, ""
		if len(nm.given) > 1 {
			first, rest = nm.given[0], strings.Join(nm.given[1:], " ")
		}
		f = nameFields{first: first, middle: join(rest, nm.middle), last1: join(nm.s1, nm.s2)}
	case layoutGivenSurname:
		f = nameFields{first: join(given, nm.middle), last1: join(nm.s1, nm.s2)}
	case layoutTwoSurnames:
		f = nameFields{first: join(given, nm.middle), last1: nm.s1, last2: nm.s2}
	}
	if vg.draw(ErrNameFieldsSwapped, errs) {
		f.first, f.last1 = f.last1, f.first
	}
	if upper {
		f.first, f.middle, f.last1, f.last2 = strings.ToUpper(f.first), strings.ToUpper(f.middle), strings.ToUpper(f.last1), strings.ToUpper(f.last2)
	}
	fields := [4]*string{&f.first, &f.middle, &f.last1, &f.last2}
	if vg.draw(ErrKeyboard, errs) {
		total := 0
		for _, s := range fields {
			total += len(*s)
		}
		at := vg.intn(max(total, 1))
		for _, s := range fields {
			if at < len(*s) {
				*s = vg.keyboardSlip(*s)
				break
			}
			at -= len(*s)
		}
	}
	if n := ocrCount(fields[:]); n > 0 && vg.draw(ErrOCR, errs) {
		ocrApply(fields[:], vg.intn(n))
	}
	return f
}

// keyboardSlip makes one typing error in s, on an ASCII letter: a
// neighbouring key instead of the right one, a neighbouring key struck as
// well, the key dropped, or two keys swapped. The result always differs
// from s.
func (vg *viewGenerator) keyboardSlip(s string) string {
	b := []byte(s)
	var pos [64]int
	n := 0
	for i := 0; i < len(b) && n < len(pos); i++ {
		if c := b[i] | 0x20; c >= 'a' && c <= 'z' {
			pos[n] = i
			n++
		}
	}
	if n == 0 {
		return s
	}
	i := pos[vg.intn(n)]
	neighbour := func(c byte) byte {
		nb := qwertyNeighbours[c|0x20]
		x := nb[vg.intn(len(nb))]
		if c < 'a' {
			x &^= 0x20
		}
		return x
	}
	switch op := vg.intn(100); {
	case op < 15:
		return string(b[:i+1]) + string(neighbour(b[i])) + string(b[i+1:])
	case op < 35 && n > 1:
		return string(b[:i]) + string(b[i+1:])
	case op < 50 && i+1 < len(b) && b[i+1] != b[i] && b[i+1]|0x20 >= 'a' && b[i+1]|0x20 <= 'z':
		b[i], b[i+1] = b[i+1], b[i]
		return string(b)
	}
	b[i] = neighbour(b[i])
	return string(b)
}

// ocrByFirst lists, for each byte, the OCR confusions whose true text
// starts with it, so that finding the places of confusion costs a look-up
// per byte of a name.
var ocrByFirst = func() (t [256][]uint8) {
	for i, c := range ocrConfusions {
		t[c[0][0]] = append(t[c[0][0]], uint8(i))
	}
	return t
}()

// ocrCount returns the number of places in the fields where an OCR
// confusion can happen: each position and confusion whose true text starts
// there.
func ocrCount(fields []*string) int {
	n := 0
	for _, f := range fields {
		s := *f
		for i := 0; i < len(s); i++ {
			for _, c := range ocrByFirst[s[i]] {
				if strings.HasPrefix(s[i:], ocrConfusions[c][0]) {
					n++
				}
			}
		}
	}
	return n
}

// ocrApply makes the k-th confusion that ocrCount counted.
func ocrApply(fields []*string, k int) {
	for _, f := range fields {
		s := *f
		for i := 0; i < len(s); i++ {
			for _, c := range ocrByFirst[s[i]] {
				from := ocrConfusions[c][0]
				if !strings.HasPrefix(s[i:], from) {
					continue
				}
				if k == 0 {
					*f = s[:i] + ocrConfusions[c][1] + s[i+len(from):]
					return
				}
				k--
			}
		}
	}
}

// birth returns the date of birth as the source records it.
func (vg *viewGenerator) birth(d rescreen.Date, layout string, errs *Errors) string {
	if d.IsZero() || vg.draw(ErrBirthMissing, errs) {
		return ""
	}
	estimated := false
	if d.Month != time.January || d.Day != 1 {
		if vg.draw(ErrBirthEstimated, errs) {
			d.Month, d.Day, estimated = time.January, 1, true
		}
	}
	if !estimated && d.Day <= 12 && d.Day != int(d.Month) && vg.draw(ErrDayMonthSwapped, errs) {
		d.Month, d.Day = time.Month(d.Day), int(d.Month)
	}
	if vg.draw(ErrYearOff, errs) {
		if vg.chance(0.5) {
			d.Year++
		} else {
			d.Year--
		}
		if d.Month == time.February && d.Day == 29 {
			d.Day = 28
		}
	}
	return formatDate(d, layout)
}

func formatDate(d rescreen.Date, layout string) string {
	if d.IsZero() {
		return ""
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(layout)
}

// aNumber returns vp's A-number as the source records it, in the layout
// (each # a digit).
func (vg *viewGenerator) aNumber(vp *vperson, layout string, errs *Errors) string {
	if vp.an1 == "" || vg.draw(ErrANumberMissing, errs) {
		return ""
	}
	digits := []byte(vp.an1)
	if vg.draw(ErrSecondANumber, errs) {
		digits, vp.usedAN2 = []byte(vp.an2), true
	}
	// A slip or a transposition, never both: one draw decides.
	pd, pt := vg.n.rate[ErrANumberDigit], vg.n.rate[ErrANumberTransposed]
	switch u := vg.u(); {
	case u < pd:
		i := vg.intn(len(digits))
		nb := qwertyNeighbours[digits[i]]
		digits[i] = nb[vg.intn(len(nb))]
		errs.add(ErrANumberDigit)
	case u < pd+pt:
		var at [16]int
		n := 0
		for i := 0; i+1 < len(digits) && n < len(at); i++ {
			if digits[i] != digits[i+1] {
				at[n] = i
				n++
			}
		}
		if n > 0 {
			i := at[vg.intn(n)]
			digits[i], digits[i+1] = digits[i+1], digits[i]
			errs.add(ErrANumberTransposed)
		}
	}
	return formatANumber(digits, layout)
}

func formatANumber(digits []byte, layout string) string {
	out := make([]byte, 0, len(layout))
	j := 0
	for i := 0; i < len(layout); i++ {
		if layout[i] == '#' {
			if j < len(digits) {
				out = append(out, digits[j])
				j++
			}
			continue
		}
		out = append(out, layout[i])
	}
	return string(append(out, digits[j:]...))
}

// sex returns the sex as the source writes it, m for male and f for female.
func (vg *viewGenerator) sex(s rescreen.Sex, m, f string, errs *Errors) string {
	if s != male && s != female {
		return ""
	}
	isMale := s == male
	if vg.draw(ErrSexFlipped, errs) {
		isMale = !isMale
	}
	if isMale {
		return m
	}
	return f
}

func countryName(code string, upper bool) string {
	n := countryNames[code]
	if n == "" {
		n = code
	}
	if upper {
		return strings.ToUpper(n)
	}
	return n
}

// refersTo reports whether ref, in a record from src, points at the person
// whose full reference is key; the class writes full references, so the
// comparison needs no allocation.
func refersTo(ref rescreen.Ref, src rescreen.Source, key rescreen.Ref) bool {
	if ref == key {
		return true
	}
	if s, _ := ref.Split(); s != "" {
		return false
	}
	return ref.Resolve(src) == key
}

// custodyOf returns the custody episodes of vp from src of the kinds.
func (vg *viewGenerator) custodyOf(vp *vperson, src rescreen.Source, kinds ...rescreen.CustodyKind) []*rescreen.Custody {
	var out []*rescreen.Custody
	for i := range vg.d.Custody {
		c := &vg.d.Custody[i]
		if c.Source != src || !refersTo(c.Person, c.Source, vp.key) {
			continue
		}
		for _, k := range kinds {
			if c.Kind == k {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// writeCBP writes the border agency's view: a record per person
// apprehended, with the event shared by the family.
func (vg *viewGenerator) writeCBP() {
	if len(vg.ps) == 0 {
		return
	}
	first := vg.ps[0].p
	code := placeCodes[first.EntryPlace]
	if code == "" {
		code = "UNK"
	}
	event := code + pad9(permute(uint64(vg.idx), vg.key(keyEvent)))
	unit := "FU" + pad9(permute(uint64(vg.idx), vg.key(keyFamilyUnit)))
	for i := range vg.ps {
		vp := &vg.ps[i]
		p := vp.p
		on := p.EntryDate
		if cs := vg.custodyOf(vp, rescreen.SourceCBP, rescreen.CustodyCBP); on.IsZero() && len(cs) > 0 {
			on = cs[0].Start
		}
		vg.emit(vp, func(rec *ViewRecord, dup bool) {
			row, errs := rec.Row, &rec.Errors
			row[cbpEvent], row[cbpEventDate], row[cbpEventPlace] = event, formatDate(on, cbpDateLayout), p.EntryPlace
			f := vg.layout(vg.name(vp, errs), layoutFirstMiddle, true, errs)
			row[cbpLast], row[cbpFirst], row[cbpMiddle] = f.last1, f.first, f.middle
			row[cbpBirth] = vg.birth(p.BirthDate, cbpDateLayout, errs)
			row[cbpSex] = vg.sex(p.Sex, "M", "F", errs)
			row[cbpCitizenship] = countryName(p.Country, true)
			row[cbpANumber] = vg.aNumber(vp, "A#########", errs)
			if !vg.draw(ErrFamilyLinkMissing, errs) {
				row[cbpFamilyUnit] = unit
			}
		})
	}
}

// writeICE writes the detention agency's view: a record per booking into
// detention or family detention.
func (vg *viewGenerator) writeICE() {
	for i := range vg.ps {
		vp := &vg.ps[i]
		p := vp.p
		for _, c := range vg.custodyOf(vp, rescreen.SourceICE, rescreen.CustodyICE, rescreen.CustodyFamily) {
			vg.emit(vp, func(rec *ViewRecord, dup bool) {
				row, errs := rec.Row, &rec.Errors
				row[iceANumber] = vg.aNumber(vp, "#########", errs)
				f := vg.layout(vg.name(vp, errs), layoutGivenSurname, true, errs)
				row[iceLast], row[iceFirst] = f.last1, f.first
				row[iceBirth] = vg.birth(p.BirthDate, iceDateLayout, errs)
				row[iceSex] = vg.sex(p.Sex, "MALE", "FEMALE", errs)
				row[iceCountry] = countryName(p.Country, true)
				row[iceFacility] = c.Facility
				bookIn := c.Start
				if dup { // a re-booking after a transfer
					bookIn = bookIn.AddDays(1 + vg.intn(20))
				}
				row[iceBookIn] = formatDate(bookIn, iceDateLayout)
			})
		}
	}
}

// writeORR writes the shelter agency's view: a record per referral of a
// child, naming the parent the child was separated from and the sponsor.
func (vg *viewGenerator) writeORR() {
	var adults []*vperson
	for i := range vg.ps {
		if vg.ps[i].adult() {
			adults = append(adults, &vg.ps[i])
		}
	}
	for i := range vg.ps {
		vp := &vg.ps[i]
		p := vp.p
		if p.Role != rescreen.RoleChild {
			continue
		}
		sponsor, sponsorName, sponsorRel := vg.sponsorOf(vp, adults)
		for _, c := range vg.custodyOf(vp, rescreen.SourceORR, rescreen.CustodyORRShelter, rescreen.CustodyORRFoster) {
			vg.emit(vp, func(rec *ViewRecord, dup bool) {
				row, errs := rec.Row, &rec.Errors
				f := vg.layout(vg.name(vp, errs), layoutTwoSurnames, false, errs)
				row[orrFirst], row[orrLast1], row[orrLast2] = f.first, f.last1, f.last2
				row[orrBirth] = vg.birth(p.BirthDate, orrDateLayout, errs)
				row[orrSex] = vg.sex(p.Sex, "Male", "Female", errs)
				row[orrCountry] = countryName(p.Country, false)
				if len(adults) > 0 && !vg.draw(ErrFamilyLinkMissing, errs) {
					a := adults[vg.intn(len(adults))]
					row[orrParent], row[orrParentRel] = vg.reportedName(a), relationTo(a.p, p)
					rec.NamedParent = a.p.SourceID
				}
				if sponsor != nil {
					row[orrSponsor], row[orrSponsorRel] = vg.reportedName(sponsor), relationTo(sponsor.p, p)
					rec.NamedSponsor = sponsor.p.SourceID
				} else {
					row[orrSponsor], row[orrSponsorRel] = sponsorName, sponsorRel
				}
				referral := c.Start
				if dup { // referred again from another station
					referral = referral.AddDays(vg.intn(4))
				}
				row[orrReferral], row[orrProgram] = formatDate(referral, orrDateLayout), c.Facility
			})
		}
	}
}

// reportedName returns an adult's name as a child or a case manager
// reported it: the name with the errors of the source's names (not counted
// in the record's errors, which are the child's), and often a surname or
// both left out.
func (vg *viewGenerator) reportedName(a *vperson) string {
	var discard Errors
	nm := vg.name(a, &discard)
	switch u := vg.u(); {
	case u < 0.05:
		nm.s1, nm.s2, nm.middle = "", "", ""
	case u < 0.35:
		nm.s2 = ""
	}
	f := vg.layout(nm, layoutGivenSurname, false, &discard)
	return strings.TrimSpace(f.first + " " + f.last1)
}

// relationTo names what adult a is to child c, as ORR's forms put it.
func relationTo(a, c *rescreen.Person) string {
	switch {
	case a.Role == rescreen.RoleParent && a.Sex == female:
		return "MOTHER"
	case a.Role == rescreen.RoleParent:
		return "FATHER"
	case a.Sex == male:
		return "UNCLE"
	case !a.BirthDate.IsZero() && !c.BirthDate.IsZero() && c.BirthDate.Year-a.BirthDate.Year >= 33:
		return "GRANDMOTHER"
	}
	return "AUNT"
}

// sponsorOf returns whom the child was released or reunified to: an adult
// of the family (released first, to the same town, or reunified with the
// child), or a relative outside the class with a name and relationship;
// nothing if the child was never released.
func (vg *viewGenerator) sponsorOf(c *vperson, adults []*vperson) (*vperson, string, string) {
	released := vg.custodyOf(c, rescreen.SourceORR, rescreen.CustodyReleased, rescreen.CustodyReunified)
	if len(released) == 0 {
		return nil, "", ""
	}
	rel := released[0]
	for _, a := range adults {
		for _, ac := range vg.custodyOf(a, rescreen.SourceICE, rescreen.CustodyReleased, rescreen.CustodyReunified) {
			if ac.Kind == rel.Kind && ac.Facility == rel.Facility && !rel.Start.Before(ac.Start) {
				return a, "", ""
			}
		}
	}
	if rel.Kind == rescreen.CustodyReunified {
		return nil, "", ""
	}
	p := c.p
	var given, surnames, relation string
	switch u := vg.u(); {
	case u < 0.35:
		given, relation = pickV(vg, spanishMaleAdult), "UNCLE"
		surnames = p.FirstSurname + " " + pickV(vg, spanishSurnames)
	case u < 0.70:
		given, relation = pickV(vg, spanishFemaleAdult), "AUNT"
		surnames = p.SecondSurname + " " + pickV(vg, spanishSurnames)
	case u < 0.85:
		given, relation = pickV(vg, spanishMaleAdult), "COUSIN"
		surnames = p.FirstSurname + " " + pickV(vg, spanishSurnames)
	default:
		given, relation = pickV(vg, spanishFemaleAdult), "FAMILY FRIEND"
		surnames = pickV(vg, spanishSurnames) + " " + pickV(vg, spanishSurnames)
	}
	return nil, strings.TrimSpace(given + " " + surnames), relation
}

func pickV[T any](vg *viewGenerator, xs []T) T { return xs[vg.intn(len(xs))] }

// writeUSCIS writes the asylum office's view: a record per screening.
func (vg *viewGenerator) writeUSCIS() {
	for i := range vg.ps {
		vp := &vg.ps[i]
		p := vp.p
		for j := range vg.d.Screenings {
			s := &vg.d.Screenings[j]
			if s.Source != rescreen.SourceUSCIS || !refersTo(s.Person, s.Source, vp.key) {
				continue
			}
			lang := s.Interpreter
			if lang == "" && len(p.Languages) > 0 {
				lang = p.Languages[0]
			}
			vg.emit(vp, func(rec *ViewRecord, dup bool) {
				row, errs := rec.Row, &rec.Errors
				row[uscisANumber] = vg.aNumber(vp, "A-###-###-###", errs)
				f := vg.layout(vg.name(vp, errs), layoutGivenSurname, false, errs)
				row[uscisFamily], row[uscisGiven] = f.last1, f.first
				row[uscisBirth] = vg.birth(p.BirthDate, uscisDateLayout, errs)
				row[uscisSex] = vg.sex(p.Sex, "M", "F", errs)
				row[uscisCountry] = countryName(p.Country, false)
				if names := languageNames[lang]; names != nil {
					row[uscisLanguage] = names[vg.intn(len(names))]
				} else {
					row[uscisLanguage] = lang
				}
				row[uscisInterview], row[uscisOffice] = formatDate(s.On, uscisDateLayout), s.Office
			})
		}
	}
}

// hearing is one appearance of a person on a court list.
type hearing struct {
	on   rescreen.Date
	kind string
}

// writeEOIR writes the court lists: a record per hearing, the review of a
// negative fear finding, the master calendar hearing after a Notice to
// Appear, and the merits hearing of an asylum application.
func (vg *viewGenerator) writeEOIR() {
	for i := range vg.ps {
		vp := &vg.ps[i]
		p := vp.p
		var hs []hearing
		for j := range vg.d.Proceedings {
			pr := &vg.d.Proceedings[j]
			if !refersTo(pr.Person, pr.Source, vp.key) {
				continue
			}
			switch {
			case pr.Source == rescreen.SourceEOIR && pr.Kind == rescreen.ProcSection240 && !pr.Opened.IsZero():
				hs = append(hs, hearing{pr.Opened.AddDays(20 + vg.intn(70)), "MASTER"})
			case pr.Source == rescreen.SourceEOIR && pr.Kind == rescreen.ProcAsylumAppl && !pr.Opened.IsZero():
				on := pr.DecidedOn
				if on.IsZero() {
					on = pr.Opened.AddDays(60 + vg.intn(300))
				}
				hs = append(hs, hearing{on, "MERITS"})
			case pr.Source == rescreen.SourceICE && pr.Status == procActive && !pr.DecidedOn.IsZero():
				// An immigration judge reviewed the negative finding.
				hs = append(hs, hearing{pr.DecidedOn, "CFR"})
			}
		}
		for _, h := range hs {
			court := vg.courtFor(vp, h.on)
			vg.emit(vp, func(rec *ViewRecord, dup bool) {
				row, errs := rec.Row, &rec.Errors
				row[eoirANumber] = vg.aNumber(vp, "###-###-###", errs)
				f := vg.layout(vg.name(vp, errs), layoutGivenSurname, true, errs)
				row[eoirName] = f.last1 + ", " + f.first
				row[eoirNationality] = countryName(p.Country, true)
				on := h.on
				if dup { // the same hearing on another day's list
					on = on.AddDays(7 + vg.intn(60))
				}
				row[eoirDate], row[eoirType], row[eoirCourt] = formatDate(on, eoirDateLayout), h.kind, court
			})
		}
	}
}

// courtFor returns the court for a hearing of vp on the day: the court of
// the state where vp was held or lived then.
func (vg *viewGenerator) courtFor(vp *vperson, on rescreen.Date) string {
	state := ""
	var start rescreen.Date
	for i := range vg.d.Custody {
		c := &vg.d.Custody[i]
		if !refersTo(c.Person, c.Source, vp.key) || c.Kind == rescreen.CustodyRemoved || on.Before(c.Start) || c.Start.Before(start) {
			continue
		}
		state, start = c.State, c.Start
	}
	if court := courtOf[state]; court != "" {
		return court
	}
	return "HOUSTON"
}
