package app

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"rescreen"
	"rescreen/access"
	"rescreen/linkage"
	"rescreen/sqlstore"
)

// The search finds families from one box: by a member's name, by A-number
// in any of the ways people write one, or by the id any agency gave one of
// its records.
//
// A name is searched in tiers, each a superset of the one before: the words
// as typed (ignoring case and accents), words that begin with them, words
// that sound the same under linkage.Phonetic (built for Spanish and Mayan
// names: Ximenez finds Jiménez, Lopes finds López), and words one or two
// letters away (Lopze, Maira). Every word of the query must match a word of
// one name of the person (their record's or a name variant's), as the
// family list's name filter does. A hit ranks by its weakest word, so exact
// hits come first; the search stops after the tier that fills the page.
//
// Everything is an indexed look-up: the phonetic and fuzzy tiers find
// their candidate words in the vocabulary of name words (name_words,
// migration 0008: the phonetic key is indexed, and fuzzy candidates are the
// words of about the query word's length, a few thousand at most even for a
// national class), then find the persons through the full-text index by
// those words.

const (
	searchDefaultLimit = 50
	searchMaxLimit     = 200
	// searchMaxLen bounds the query, in characters: no name or id is
	// longer, and a bound keeps a hostile query cheap.
	searchMaxLen = 200
	// searchMaxWords bounds the words of a name query, as the list filter
	// does.
	searchMaxWords = 8
	// searchMaxCandidates bounds the words one query word may stand for in
	// the phonetic and fuzzy tiers, so that a short word cannot become an
	// enormous full-text query.
	searchMaxCandidates = 64
)

// Search finds families by a member's name, an A-number or an agency's id.
// A query with a digit in it is an id (names have none); anything else is
// a name.
func (s *Service) Search(ctx context.Context, query string, limit int) (*rescreen.SearchResult, error) {
	q := strings.TrimSpace(query)
	switch {
	case q == "":
		return nil, searchProblem("type a name, an A-number or an agency id")
	case utf8.RuneCountInString(q) > searchMaxLen:
		return nil, searchProblem("is longer than any name or id (at most 200 characters)")
	case !utf8.ValidString(q):
		return nil, searchProblem("is not valid text")
	}
	switch {
	case limit == 0:
		limit = searchDefaultLimit
	case limit < 0 || limit > searchMaxLimit:
		return nil, rescreen.Errorf(rescreen.EINVALID, "limit: must be between 1 and %d", searchMaxLimit)
	}
	if _, err := reach(ctx, access.Need{Group: access.Identity, Level: access.Read}); err != nil {
		return nil, err
	}
	var res *rescreen.SearchResult
	var err error
	if strings.ContainsFunc(q, unicode.IsDigit) {
		res, err = s.searchIDs(ctx, q, limit)
	} else {
		res, err = s.searchNames(ctx, q, limit)
	}
	if err != nil {
		return nil, err
	}
	return res, s.scopeHits(ctx, res)
}

// scopeHits drops the hits in families the request's principal may not
// read, and masks the names of the persons it may not identify. The
// search ranks before it filters, so a page may hold fewer hits than the
// limit; it never holds one out of scope.
func (s *Service) scopeHits(ctx context.Context, res *rescreen.SearchResult) error {
	ids := make([]rescreen.FamilyID, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.FamilyID
	}
	lvs, err := s.levelsOf(ctx, ids)
	if err != nil || lvs == nil {
		return err
	}
	today := rescreen.DateOf(s.Now().UTC())
	kept := res.Hits[:0]
	for _, h := range res.Hits {
		lv := lvs[h.FamilyID]
		if !canRead(lv, access.Identity) {
			continue
		}
		if identityHidden(lv, h.Role, h.BirthDate, today) {
			h.Name, h.BirthDate = Initials(h.Name), rescreen.Date{}
			for i := range h.Reasons {
				h.Reasons[i].Found = ""
			}
		}
		kept = append(kept, h)
	}
	res.Hits = kept
	return nil
}

func searchProblem(msg string) error {
	return (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "q", Msg: msg}}}).AsError("app.Search")
}

// searchIDs looks the query up as an A-number (any format that
// NormalizeANumber reads: A-012-345-678, 012345678, A 012 345 678), as the
// value of any identifier record, and as the source id of any record,
// optionally written SOURCE:ID.
func (s *Service) searchIDs(ctx context.Context, q string, limit int) (*rescreen.SearchResult, error) {
	res := &rescreen.SearchResult{Query: q, Kind: rescreen.SearchByID, Hits: []rescreen.SearchHit{}}
	values := []string{q}
	add := func(v string) {
		if v != "" && !slices.Contains(values, v) {
			values = append(values, v)
		}
	}
	add(strings.ToUpper(q))
	anum, err := rescreen.NormalizeANumber(q)
	if err == nil {
		add(anum)
	}
	ids := slices.Clone(values)
	if src, sid, ok := strings.Cut(q, ":"); ok && slices.Contains(rescreen.Source("").Values(), strings.ToUpper(strings.TrimSpace(src))) {
		if sid = strings.TrimSpace(sid); sid != "" && !slices.Contains(ids, sid) {
			ids = append(ids, sid)
		}
	}
	idRows, err := s.DB.IdentifierHits(ctx, values, limit+1)
	if err != nil {
		return nil, err
	}
	srcRows, err := s.DB.SourceIDHits(ctx, ids, limit+1)
	if err != nil {
		return nil, err
	}
	type key struct {
		f rescreen.FamilyID
		p rescreen.PersonID
	}
	at := map[key]int{}
	addHit := func(h sqlstore.HitRow, r rescreen.MatchReason) {
		k := key{h.FamilyID, h.Person.ID}
		i, seen := at[k]
		if !seen {
			i = len(res.Hits)
			at[k] = i
			res.Hits = append(res.Hits, hitOf(h, rescreen.MatchExact))
		}
		if !slices.Contains(res.Hits[i].Reasons, r) {
			res.Hits[i].Reasons = append(res.Hits[i].Reasons, r)
		}
	}
	for _, h := range idRows {
		r := rescreen.MatchReason{Level: rescreen.MatchExact, Field: rescreen.FieldIdentifier, Term: q, Found: h.Value, Kind: h.IDKind}
		if h.IDKind == string(rescreen.IDANumber) {
			r.Field, r.Kind = rescreen.FieldANumber, ""
		}
		addHit(h, r)
	}
	for _, h := range srcRows {
		addHit(h, rescreen.MatchReason{Level: rescreen.MatchExact, Field: rescreen.FieldSourceID, Term: q, Found: h.SourceID, Kind: string(h.Kind), Source: h.Source})
	}
	if len(idRows) > limit || len(srcRows) > limit || len(res.Hits) > limit {
		res.More = true
		res.Hits = res.Hits[:min(limit, len(res.Hits))]
	}
	return res, nil
}

// hitOf starts a hit from a found record's person and family.
func hitOf(h sqlstore.HitRow, level rescreen.MatchLevel) rescreen.SearchHit {
	p := h.Person
	bd, _ := rescreen.ParseDate(p.BirthDate)
	return rescreen.SearchHit{FamilyID: h.FamilyID, PersonID: p.ID, Name: p.Name, Role: p.Role, BirthDate: bd,
		Country: p.Country, Stage: h.Stage, Level: level}
}

// candidate is a word on record that a query word may stand for, and how.
type candidate struct {
	word   string // a folded word of the vocabulary, or the prefix itself
	level  rescreen.MatchLevel
	prefix bool
}

// fuzzyEdits is how many edits a word of n characters may be from a query
// word and still match it fuzzily: none for words of three letters or
// fewer, where one edit makes another name (Ana, Eva), one up to seven
// letters, two beyond.
func fuzzyEdits(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 7:
		return 1
	}
	return 2
}

// matchWord says how a query word matches a word on record, both folded;
// ok is false if it does not.
func matchWord(term, word string) (rescreen.MatchLevel, bool) {
	switch {
	case term == word:
		return rescreen.MatchExact, true
	case utf8.RuneCountInString(term) >= 2 && strings.HasPrefix(word, term):
		return rescreen.MatchPrefix, true
	case linkage.Phonetic(term) == linkage.Phonetic(word):
		return rescreen.MatchPhonetic, true
	}
	if k := fuzzyEdits(utf8.RuneCountInString(term)); k > 0 && linkage.OSAMax(term, word, k) <= k {
		return rescreen.MatchFuzzy, true
	}
	return "", false
}

// candidates returns, for one query word, the words on record it may stand
// for at each level: itself, itself as a prefix, the vocabulary's words of
// the same phonetic key, and those within fuzzyEdits of it.
func (s *Service) candidates(ctx context.Context, term string) ([]candidate, error) {
	out := []candidate{{word: term, level: rescreen.MatchExact}}
	// Words the prefix finds need no other candidate.
	byPrefix := func(string) bool { return false }
	if utf8.RuneCountInString(term) >= 2 {
		out = append(out, candidate{word: term, level: rescreen.MatchPrefix, prefix: true})
		byPrefix = func(w string) bool { return strings.HasPrefix(w, term) }
	}
	seen := map[string]bool{term: true}
	phon, err := s.DB.WordsByKey(ctx, linkage.Phonetic(term))
	if err != nil {
		return nil, err
	}
	n := 0
	for _, w := range phon {
		if !seen[w] && !byPrefix(w) && n < searchMaxCandidates {
			seen[w] = true
			out = append(out, candidate{word: w, level: rescreen.MatchPhonetic})
			n++
		}
	}
	size := utf8.RuneCountInString(term)
	if k := fuzzyEdits(size); k > 0 {
		words, err := s.DB.WordsOfLength(ctx, size-k, size+k)
		if err != nil {
			return nil, err
		}
		type near struct {
			w string
			d int
		}
		var fuzzy []near
		for _, w := range words {
			if seen[w] || byPrefix(w) {
				continue
			}
			if d := linkage.OSAMax(term, w, k); d <= k {
				fuzzy = append(fuzzy, near{w, d})
			}
		}
		// The closest first, should there be more than the bound.
		slices.SortStableFunc(fuzzy, func(a, b near) int { return cmp.Compare(a.d, b.d) })
		for i, f := range fuzzy {
			if i == searchMaxCandidates {
				break
			}
			out = append(out, candidate{word: f.w, level: rescreen.MatchFuzzy})
		}
	}
	return out, nil
}

// tierQuery returns the full-text query of a tier: every query word must
// match one of its candidates of that level or a stronger one.
func tierQuery(cands [][]candidate, tier int) [][]sqlstore.NameTerm {
	q := make([][]sqlstore.NameTerm, len(cands))
	for i, cs := range cands {
		for _, c := range cs {
			if c.level.Rank() <= tier {
				q[i] = append(q[i], sqlstore.NameTerm{Word: c.word, Prefix: c.prefix})
			}
		}
	}
	return q
}

// tierAdds reports whether the tier adds a candidate to any word; a tier
// that adds none would find only what the one before found.
func tierAdds(cands [][]candidate, tier int) bool {
	for _, cs := range cands {
		for _, c := range cs {
			if c.level.Rank() == tier {
				return true
			}
		}
	}
	return false
}

func (s *Service) searchNames(ctx context.Context, q string, limit int) (*rescreen.SearchResult, error) {
	res := &rescreen.SearchResult{Query: q, Kind: rescreen.SearchByName, Hits: []rescreen.SearchHit{}}
	terms := rescreen.NameTokens(q)
	switch {
	case len(terms) == 0:
		return nil, searchProblem("has no letters to search for")
	case len(terms) > searchMaxWords:
		return nil, searchProblem("has more than 8 words")
	}
	if err := s.fillNameKeys(ctx); err != nil {
		return nil, err
	}
	cands := make([][]candidate, len(terms))
	for i, t := range terms {
		var err error
		if cands[i], err = s.candidates(ctx, t); err != nil {
			return nil, err
		}
	}
	type scored struct {
		hit   rescreen.SearchHit
		score int // the sum of the words' ranks
	}
	var hits []scored
	at := map[rescreen.PersonID]int{}
	prevRows := 0
	for tier := range len(rescreen.MatchLevel("").Values()) {
		if tier > 0 && !tierAdds(cands, tier) {
			continue
		}
		budget := prevRows + 2*(limit+1)
		rows, err := s.DB.NameHits(ctx, tierQuery(cands, tier), budget)
		if err != nil {
			return nil, err
		}
		prevRows = len(rows)
		if len(rows) == budget {
			res.More = true
		}
		for _, row := range rows {
			h, score, ok := nameHit(row, terms)
			if !ok {
				continue
			}
			i, seen := at[h.PersonID]
			switch {
			case !seen:
				at[h.PersonID] = len(hits)
				hits = append(hits, scored{h, score})
			case h.Level.Rank() < hits[i].hit.Level.Rank() || (h.Level == hits[i].hit.Level && score < hits[i].score):
				hits[i] = scored{h, score}
			}
		}
		if len(hits) > limit {
			break
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int {
		return cmp.Or(cmp.Compare(a.hit.Level.Rank(), b.hit.Level.Rank()), cmp.Compare(a.score, b.score),
			strings.Compare(a.hit.Name, b.hit.Name), strings.Compare(string(a.hit.FamilyID), string(b.hit.FamilyID)),
			strings.Compare(string(a.hit.PersonID), string(b.hit.PersonID)))
	})
	if len(hits) > limit {
		hits, res.More = hits[:limit], true
	}
	for _, h := range hits {
		res.Hits = append(res.Hits, h.hit)
	}
	return res, nil
}

// nameHit explains a found record: for each query word, the best match
// among the words of its given names and surnames. It returns false if a
// word matches none, which the full-text query should have made
// impossible.
func nameHit(row sqlstore.HitRow, terms []string) (rescreen.SearchHit, int, bool) {
	var given, first, second string
	variant := row.Kind == rescreen.KindNames
	if variant {
		var v rescreen.NameVariant
		if err := json.Unmarshal(row.Data, &v); err != nil {
			return rescreen.SearchHit{}, 0, false
		}
		given, first, second = v.GivenNames, v.FirstSurname, v.SecondSurname
	} else {
		var p rescreen.Person
		if err := json.Unmarshal(row.Data, &p); err != nil {
			return rescreen.SearchHit{}, 0, false
		}
		given, first, second = p.GivenNames, p.FirstSurname, p.SecondSurname
	}
	fields := []struct {
		f    rescreen.MatchField
		text string
	}{{rescreen.FieldGivenNames, given}, {rescreen.FieldFirstSurname, first}, {rescreen.FieldSecondSurname, second}}
	h := hitOf(row, rescreen.MatchExact)
	score := 0
	for _, t := range terms {
		var best rescreen.MatchReason
		found := false
		for _, f := range fields {
			folded, shown := nameWords(f.text)
			for i, w := range folded {
				l, ok := matchWord(t, w)
				if ok && (!found || l.Rank() < best.Level.Rank()) {
					best = rescreen.MatchReason{Level: l, Field: f.f, Term: t, Found: shown[i], Variant: variant}
					found = true
				}
			}
		}
		if !found {
			return h, 0, false
		}
		h.Reasons = append(h.Reasons, best)
		score += best.Level.Rank()
		if best.Level.Rank() > h.Level.Rank() {
			h.Level = best.Level
		}
	}
	if variant {
		score++ // the person's own name before an alias that matches as well
	}
	return h, score, true
}

// nameWords returns the folded words of a name and each as written. Fold
// turns every character that is neither a letter, a digit nor an
// apostrophe into a break between words, so the written words are cut at
// the same places; should the two ever disagree, the folded words are
// shown.
func nameWords(s string) (folded, shown []string) {
	folded = strings.Fields(rescreen.Fold(s))
	shown = strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' && r != '`' && r != '´'
	})
	if len(shown) != len(folded) {
		shown = folded
	}
	return folded, shown
}

// fillNameKeys computes the phonetic keys of vocabulary words that have
// none: the words of a store made before the vocabulary existed, which the
// migration copied but could not key (SQL has no phonetic function). Words
// written since get their key with them, so after the first search this is
// one indexed look-up that finds nothing.
func (s *Service) fillNameKeys(ctx context.Context) error {
	for {
		words, err := s.DB.PendingNameWords(ctx, 5000)
		if err != nil || len(words) == 0 {
			return err
		}
		keyed := make([]sqlstore.NameWord, len(words))
		for i, w := range words {
			keyed[i] = sqlstore.NameWord{Word: w, Key: phoneticKey(w)}
		}
		if err := s.DB.WithTx(ctx, func(tx *sqlstore.Tx) error { return tx.SetNameKeys(ctx, keyed) }); err != nil {
			return err
		}
	}
}

// phoneticKey is a word's key in the vocabulary; never empty, since an
// empty key marks a word not keyed yet.
func phoneticKey(word string) string {
	if k := linkage.Phonetic(word); k != "" {
		return k
	}
	return "-"
}

// putNames indexes the folded words of a person's or a name variant's name
// for search, and adds them to the vocabulary with their phonetic keys.
func (w *txWriter) putNames(rowid int64, person rescreen.PersonID, replace bool, names ...string) error {
	words := rescreen.NameTokens(names...)
	if err := w.tx.PutNameSearch(w.ctx, rowid, person, strings.Join(words, " "), replace); err != nil {
		return err
	}
	keyed := make([]sqlstore.NameWord, len(words))
	for i, word := range words {
		keyed[i] = sqlstore.NameWord{Word: word, Key: phoneticKey(word)}
	}
	return w.tx.PutNameWords(w.ctx, keyed)
}
