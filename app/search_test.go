package app_test

import (
	"context"
	"strings"
	"testing"

	"rescreen"
	"rescreen/app"
	"rescreen/sqlstore"
)

// searchJSON is a small class whose names differ the ways agents' spellings
// do: accents, Spanish letters that sound alike, a transposition, a prefix,
// and a Mayan surname written two ways, one of them a name variant.
const searchJSON = `{"format":"rescreen-exchange","version":1,
"families":[
{"source":"CBP_E3","source_id":"F-1"},
{"source":"CBP_E3","source_id":"F-2"},
{"source":"CBP_E3","source_id":"F-3"},
{"source":"CBP_E3","source_id":"F-4"},
{"source":"CBP_E3","source_id":"F-5"},
{"source":"CBP_E3","source_id":"F-6"}
],
"persons":[
{"source":"CBP_E3","source_id":"P-1","family":"F-1","role":"PARENT","given_names":"María José","first_surname":"López","second_surname":"García","birth_date":"1990-03-04","country":"GT"},
{"source":"CBP_E3","source_id":"P-1C","family":"F-1","role":"CHILD","given_names":"Ana","first_surname":"Jiménez","second_surname":"López","birth_date":"2012-07-01","country":"GT"},
{"source":"CBP_E3","source_id":"P-2","family":"F-2","role":"PARENT","given_names":"Marianela","first_surname":"Lopez","birth_date":"1985-01-02","country":"HN"},
{"source":"CBP_E3","source_id":"P-3","family":"F-3","role":"PARENT","given_names":"Maria","first_surname":"Lopes","birth_date":"1988-05-06","country":"SV"},
{"source":"CBP_E3","source_id":"P-4","family":"F-4","role":"PARENT","given_names":"Maria","first_surname":"Lpoez","birth_date":"1979-09-10","country":"GT"},
{"source":"CBP_E3","source_id":"P-5","family":"F-5","role":"PARENT","given_names":"Juana","first_surname":"Xuc","second_surname":"Tzul","birth_date":"1992-11-12","country":"GT"},
{"source":"ORR_UCPORTAL","source_id":"UAC-2018-5521","family":"CBP_E3:F-6","role":"CHILD","given_names":"Pedro","first_surname":"Chuc","birth_date":"2014-02-03","country":"GT"}
],
"names":[
{"source":"CBP_E3","source_id":"N-5","person":"P-5","kind":"SPELLING_VARIANT","given_names":"Juana","first_surname":"Shuc"}
],
"identifiers":[
{"source":"CBP_E3","source_id":"ID-1","person":"P-1","kind":"A_NUMBER","value":"A-012-345-678"},
{"source":"ORR_UCPORTAL","source_id":"ID-6","person":"ORR_UCPORTAL:UAC-2018-5521","kind":"ORR_UAC_ID","value":"UAC778899"}
]}
`

func mustSearchClass(tb testing.TB) *app.Service {
	tb.Helper()
	s := mustService(tb)
	if _, err := importPaths(tb, s, app.ImportOptions{}, writeFile(tb, "class.json", searchJSON)); err != nil {
		tb.Fatal(err)
	}
	return s
}

// hitNames lists the hits as "name/LEVEL".
func hitNames(r *rescreen.SearchResult) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Name+"/"+string(h.Level))
	}
	return out
}

func search(tb testing.TB, s *app.Service, q string) *rescreen.SearchResult {
	tb.Helper()
	r, err := s.Search(context.Background(), q, 0)
	if err != nil {
		tb.Fatalf("search %q: %v", q, err)
	}
	return r
}

func TestSearchRanksExactBeforePhoneticBeforeFuzzy(t *testing.T) {
	s := mustSearchClass(t)
	r := search(t, s, "maria lopez")
	want := []string{
		"María José López García/EXACT",
		"Marianela Lopez/PREFIX",
		"Maria Lopes/PHONETIC",
		"Maria Lpoez/FUZZY",
	}
	if got := hitNames(r); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("maria lopez:\n got %q\nwant %q", got, want)
	}
	if r.Kind != rescreen.SearchByName || r.More {
		t.Errorf("kind %s, more %v", r.Kind, r.More)
	}
	// Each hit says why, word by word, with the spelling on record.
	phon := r.Hits[2].Reasons
	if len(phon) != 2 || phon[0] != (rescreen.MatchReason{Level: rescreen.MatchExact, Field: rescreen.FieldGivenNames, Term: "maria", Found: "Maria"}) ||
		phon[1] != (rescreen.MatchReason{Level: rescreen.MatchPhonetic, Field: rescreen.FieldFirstSurname, Term: "lopez", Found: "Lopes"}) {
		t.Errorf("reasons of the phonetic hit: %+v", phon)
	}
	if f := r.Hits[3].Reasons[1]; f.Level != rescreen.MatchFuzzy || f.Found != "Lpoez" {
		t.Errorf("reason of the fuzzy hit: %+v", f)
	}
	if r.Hits[0].FamilyID == "" || r.Hits[0].PersonID == "" || r.Hits[0].Country != "GT" || r.Hits[0].BirthDate != rescreen.MustDate("1990-03-04") {
		t.Errorf("first hit %+v", r.Hits[0])
	}
}

func TestSearchMisspelledNames(t *testing.T) {
	s := mustSearchClass(t)
	for _, tt := range []struct {
		q, want string
		level   rescreen.MatchLevel
		field   rescreen.MatchField
	}{
		{"Ximenez", "Ana Jiménez López", rescreen.MatchPhonetic, rescreen.FieldFirstSurname},
		{"Gimenes", "Ana Jiménez López", rescreen.MatchPhonetic, rescreen.FieldFirstSurname},
		{"JIMENEZ", "Ana Jiménez López", rescreen.MatchExact, rescreen.FieldFirstSurname},
		{"Maria Lopes", "María José López García", rescreen.MatchPhonetic, rescreen.FieldFirstSurname},
		{"Mraia Lopez", "María José López García", rescreen.MatchFuzzy, rescreen.FieldGivenNames},
		{"Jose Garsia", "María José López García", rescreen.MatchPhonetic, rescreen.FieldSecondSurname},
		{"Juana Tsul", "Juana Xuc Tzul", rescreen.MatchPhonetic, rescreen.FieldSecondSurname},
		{"Mari", "Marianela Lopez", rescreen.MatchPrefix, rescreen.FieldGivenNames},
	} {
		r := search(t, s, tt.q)
		found := false
		for _, h := range r.Hits {
			if h.Name != tt.want {
				continue
			}
			found = true
			if h.Level != tt.level {
				t.Errorf("%q found %s at level %s, want %s (%+v)", tt.q, tt.want, h.Level, tt.level, h.Reasons)
			}
			hasField := false
			for _, re := range h.Reasons {
				hasField = hasField || (re.Field == tt.field && re.Level == tt.level)
			}
			if !hasField {
				t.Errorf("%q: no %s reason on %s: %+v", tt.q, tt.level, tt.field, h.Reasons)
			}
		}
		if !found {
			t.Errorf("%q did not find %s: %q", tt.q, tt.want, hitNames(r))
		}
	}
	// Chuc and Xuc are two surnames, not two spellings of one: Chuc finds
	// Pedro Chuc first, and Juana Xuc only by her variant Shuc, one letter
	// away, as the weakest kind of match.
	r := search(t, s, "Chuc")
	if len(r.Hits) == 0 || r.Hits[0].Name != "Pedro Chuc" || r.Hits[0].Level != rescreen.MatchExact {
		t.Fatalf("Chuc: %q", hitNames(r))
	}
	for _, h := range r.Hits[1:] {
		if h.Level != rescreen.MatchFuzzy {
			t.Errorf("Chuc found %s by %s", h.Name, h.Level)
		}
	}
}

func TestSearchFindsNameVariants(t *testing.T) {
	s := mustSearchClass(t)
	r := search(t, s, "juana shuc")
	if len(r.Hits) != 1 || r.Hits[0].Name != "Juana Xuc Tzul" || r.Hits[0].Level != rescreen.MatchExact {
		t.Fatalf("juana shuc: %q", hitNames(r))
	}
	if re := r.Hits[0].Reasons[1]; !re.Variant || re.Found != "Shuc" {
		t.Errorf("the hit does not say it matched a name variant: %+v", r.Hits[0].Reasons)
	}
	// Xuc finds her twice over (her name and the variant, by sound), once.
	if r := search(t, s, "xuc"); len(r.Hits) != 1 || r.Hits[0].Level != rescreen.MatchExact || r.Hits[0].Reasons[0].Variant {
		t.Fatalf("xuc: %+v", r.Hits)
	}
}

func TestSearchANumbersInAnyFormat(t *testing.T) {
	s := mustSearchClass(t)
	for _, q := range []string{"A-012-345-678", "A012345678", "012345678", "12345678", "a 012 345 678", "012-345-678", "A012.345.678"} {
		r := search(t, s, q)
		if r.Kind != rescreen.SearchByID || len(r.Hits) != 1 || r.Hits[0].Name != "María José López García" {
			t.Errorf("%q: %q", q, hitNames(r))
			continue
		}
		if re := r.Hits[0].Reasons; len(re) != 1 || re[0].Field != rescreen.FieldANumber || re[0].Found != "A012345678" {
			t.Errorf("%q: reasons %+v", q, re)
		}
	}
	if r := search(t, s, "A-012-345-679"); len(r.Hits) != 0 {
		t.Errorf("another A-number found %q", hitNames(r))
	}
}

func TestSearchAgencyIDs(t *testing.T) {
	s := mustSearchClass(t)
	for _, tt := range []struct {
		q     string
		field rescreen.MatchField
	}{
		{"UAC778899", rescreen.FieldIdentifier},
		{"uac778899", rescreen.FieldIdentifier},
		{"UAC-2018-5521", rescreen.FieldSourceID},
		{"ORR_UCPORTAL:UAC-2018-5521", rescreen.FieldSourceID},
	} {
		r := search(t, s, tt.q)
		if len(r.Hits) != 1 || r.Hits[0].Name != "Pedro Chuc" {
			t.Errorf("%q: %q", tt.q, hitNames(r))
			continue
		}
		re := r.Hits[0].Reasons[0]
		if re.Field != tt.field || re.Level != rescreen.MatchExact {
			t.Errorf("%q: reason %+v", tt.q, re)
		}
		if tt.field == rescreen.FieldSourceID && (re.Source != rescreen.SourceORR || re.Kind != "persons") {
			t.Errorf("%q: reason %+v", tt.q, re)
		}
		if tt.field == rescreen.FieldIdentifier && re.Kind != "ORR_UAC_ID" {
			t.Errorf("%q: reason %+v", tt.q, re)
		}
	}
	// A family's own source id finds the family, with no person.
	r := search(t, s, "F-5")
	if len(r.Hits) != 1 || r.Hits[0].PersonID != "" || r.Hits[0].Reasons[0].Kind != "families" {
		t.Fatalf("F-5: %+v", r.Hits)
	}
}

// TestSearchHostileQueries: full-text syntax, markup and SQL in a query are
// words or nothing; a query too long or without letters is refused.
func TestSearchHostileQueries(t *testing.T) {
	s := mustSearchClass(t)
	for _, q := range []string{`"`, `maria"`, `lop*`, `NEAR(maria lopez)`, `maria OR lopez`, `maria AND NOT lopez`,
		`<script>alert(1)</script>`, `'; DROP TABLE families; --`, `words : maria`, `{maria}`, `^maria`, `maria\`} {
		if _, err := s.Search(context.Background(), q, 0); err != nil && rescreen.ErrorCode(err) != rescreen.EINVALID {
			t.Errorf("%q: %v", q, err)
		}
	}
	// A quoted name is still the name.
	if r := search(t, s, `"Lopes"`); len(r.Hits) == 0 || r.Hits[0].Name != "Maria Lopes" {
		t.Errorf(`"Lopes": %q`, hitNames(search(t, s, `"Lopes"`)))
	}
	for _, q := range []string{"", "   ", "!!!", strings.Repeat("a", 201), "a b c d e f g h i", "\xff\xfe"} {
		_, err := s.Search(context.Background(), q, 0)
		if rescreen.ErrorCode(err) != rescreen.EINVALID {
			t.Errorf("%q: %v, want EINVALID", q, err)
		}
	}
	if _, err := s.Search(context.Background(), "maria", 1000); rescreen.ErrorCode(err) != rescreen.EINVALID {
		t.Errorf("limit 1000: %v", err)
	}
	// The store is whole.
	if st, err := s.Stats(context.Background()); err != nil || st.Families != 6 {
		t.Fatalf("after the hostile queries: %+v %v", st, err)
	}
}

// TestSearchLimitAndMore: a page holds the best hits and says there are
// more.
func TestSearchLimitAndMore(t *testing.T) {
	s := mustSearchClass(t)
	r, err := s.Search(context.Background(), "maria", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != 2 || !r.More || r.Hits[0].Level != rescreen.MatchExact {
		t.Fatalf("maria, 2: %q more %v", hitNames(r), r.More)
	}
}

// TestSearchFollowsChanges: a changed name is found under its new spelling
// at once, by sound too.
func TestSearchFollowsChanges(t *testing.T) {
	s := mustSearchClass(t)
	ctx := context.Background()
	p := search(t, s, "Marianela").Hits[0]
	rec, _, err := s.GetPerson(ctx, p.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	rec.FirstSurname = "Vásquez"
	if _, err := s.ApplyChanges(ctx, p.FamilyID, 0, []rescreen.Change{{Kind: rescreen.KindPersons, Record: rec}}); err != nil {
		t.Fatal(err)
	}
	r := search(t, s, "marianela basques")
	if len(r.Hits) != 1 || r.Hits[0].Name != "Marianela Vásquez" || r.Hits[0].Level != rescreen.MatchPhonetic {
		t.Fatalf("marianela basques: %q", hitNames(r))
	}
	if r := search(t, s, "marianela lopez"); len(r.Hits) != 0 {
		t.Fatalf("the old surname still finds her: %q", hitNames(r))
	}
}

// TestSearchKeysWordsOfAnOlderStore: the words migration 0008 copied from
// an existing store have no phonetic key; the first search computes them.
func TestSearchKeysWordsOfAnOlderStore(t *testing.T) {
	s := mustSearchClass(t)
	ctx := context.Background()
	if err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.Exec(ctx, `UPDATE name_words SET key = ''`) }); err != nil {
		t.Fatal(err)
	}
	if r := search(t, s, "Ximenez"); len(r.Hits) != 1 || r.Hits[0].Level != rescreen.MatchPhonetic {
		t.Fatalf("Ximenez after the keys were lost: %q", hitNames(r))
	}
	if left, err := s.DB.PendingNameWords(ctx, 10); err != nil || len(left) != 0 {
		t.Fatalf("words left without a key: %v %v", left, err)
	}
}

// TestSearchSyntheticMisspellings swaps two letters of the surnames of a
// synthetic class's members and searches for each by given name and the
// misspelled surname: every one must be found.
func TestSearchSyntheticMisspellings(t *testing.T) {
	s := mustSyntheticClass(t, 200)
	ctx := context.Background()
	page, err := s.ListPersons(ctx, rescreen.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	tried := 0
	for i, p := range page.Items {
		if i%5 != 0 {
			continue
		}
		rec, _, err := s.GetPerson(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		sur := []rune(rescreen.Fold(rec.FirstSurname))
		given := strings.Fields(rescreen.Fold(rec.GivenNames))
		if len(sur) < 5 || len(given) == 0 {
			continue
		}
		sur[1], sur[2] = sur[2], sur[1]
		q := given[0] + " " + string(sur)
		r, err := s.Search(ctx, q, 200)
		if err != nil {
			t.Fatal(err)
		}
		tried++
		found := false
		for _, h := range r.Hits {
			found = found || h.PersonID == p.ID
		}
		if !found {
			t.Errorf("%q did not find %s (%s): %q", q, p.Name, p.ID, hitNames(r))
		}
	}
	if tried < 30 {
		t.Fatalf("only %d persons tried", tried)
	}
}
