package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"rescreen"
)

// The rules package explains its results in English: the tests its
// criteria make, the facts that decided them, why a member is held and
// what would lift the hold, deadlines, and the rule book. Those texts are
// the record (the API and the exports give them as they are); a page in
// another language translates them as it shows them, from a source
// catalogue: locales/LANG/source/*.json, flat objects whose keys are the
// rules' own English and whose values are the translation.
//
// An explanation is made of fixed phrases of the rules with values from
// the records between them (dates, record keys, names, numbers, codes),
// and the rules mark where the values are (rescreen.TextValues). A text is
// translated, best first:
//
//  1. whole, when the catalogue has the text itself (a sentence without
//     values) or its pattern: the phrases with each value written {1},
//     {2}, … in order, which the translation may reorder;
//  2. else phrase by phrase: each run of fixed text between two values is
//     looked up whole, and else cut into the fewest pieces the catalogue
//     knows (the rules write a sentence from several literals, and every
//     literal of the rules' source is in the catalogue: a test reads the
//     source to make sure).
//
// Values stay as they are, except a value that is itself a phrase of the
// catalogue (a choice's description). Text the catalogue cannot cover
// stays English; the tests keep that from happening on every explanation
// the synthetic class and the rules' own test cases produce.

// sourceCatalog is one language's translation of the rules' English.
type sourceCatalog struct {
	m     map[string]string // English text or pattern to translation
	trie  *phraseNode       // the keys without values, for cutting a run of text
	mu    sync.RWMutex
	cache map[string]string // translations made, by text and value marks
}

// phraseNode is a node of a byte trie of the catalogue's phrases.
type phraseNode struct {
	next map[byte]*phraseNode
	end  bool // a phrase ends here
}

// maxCache bounds the translations kept; the cache starts afresh when it
// is full. Explanations repeat across families (most differ only in their
// values, and those are part of the key), so a page mostly hits it.
const maxCache = 1 << 16

// loadSourceCatalogs reads the source catalogues of every language that
// has them (English has none: it is the source). A key defined twice, an
// empty translation or a pattern whose translation drops or invents a
// value is an error at start.
func loadSourceCatalogs(fsys fs.FS) (map[string]*sourceCatalog, error) {
	out := map[string]*sourceCatalog{}
	for _, lang := range languages {
		names, err := fs.Glob(fsys, "locales/"+lang+"/source/*.json")
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		if len(names) == 0 {
			continue
		}
		sc := &sourceCatalog{m: map[string]string{}, trie: &phraseNode{}, cache: map[string]string{}}
		for _, name := range names {
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("web: %w", err)
			}
			var m map[string]string
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("web: %s: %w", name, err)
			}
			for k, v := range m {
				if _, dup := sc.m[k]; dup {
					return nil, fmt.Errorf("web: %s: the text %q is translated twice in %s", name, k, lang)
				}
				if strings.TrimSpace(v) == "" && strings.TrimSpace(k) != "" {
					return nil, fmt.Errorf("web: %s: the text %q has no translation", name, k)
				}
				if n := placeholders(k); n > 0 {
					if placeholders(v) != n || !samePlaceholders(k, v) {
						return nil, fmt.Errorf("web: %s: the translation of %q does not use the values {1} to {%d} once each", name, k, n)
					}
				} else {
					sc.trie.add(k)
				}
				sc.m[k] = v
			}
		}
		out[lang] = sc
	}
	return out, nil
}

func (n *phraseNode) add(s string) {
	for i := 0; i < len(s); i++ {
		if n.next == nil {
			n.next = map[byte]*phraseNode{}
		}
		c, ok := n.next[s[i]]
		if !ok {
			c = &phraseNode{}
			n.next[s[i]] = c
		}
		n = c
	}
	n.end = true
}

// placeholders counts the {N} of a pattern.
func placeholders(s string) int {
	n := 0
	for i := 1; ; i++ {
		if !strings.Contains(s, "{"+strconv.Itoa(i)+"}") {
			return n
		}
		n++
	}
}

// samePlaceholders reports whether the translation v uses each value of
// the pattern k exactly once.
func samePlaceholders(k, v string) bool {
	for i := 1; i <= placeholders(k); i++ {
		if strings.Count(v, "{"+strconv.Itoa(i)+"}") != 1 {
			return false
		}
	}
	return true
}

// explain translates one of the rules' texts with its value marks. A nil
// catalogue (English) returns the text as it is.
func (sc *sourceCatalog) explain(s string, vals rescreen.TextValues) string {
	if sc == nil || s == "" {
		return s
	}
	key := s
	if len(vals) > 0 {
		var b strings.Builder
		b.Grow(len(s) + 4*len(vals))
		b.WriteString(s)
		for _, v := range vals {
			b.WriteByte(0)
			b.WriteString(strconv.Itoa(int(v)))
		}
		key = b.String()
	}
	sc.mu.RLock()
	t, ok := sc.cache[key]
	sc.mu.RUnlock()
	if ok {
		return t
	}
	t, _ = sc.translate(s, vals)
	sc.mu.Lock()
	if len(sc.cache) >= maxCache {
		clear(sc.cache)
	}
	sc.cache[key] = t
	sc.mu.Unlock()
	return t
}

// translate translates a text and reports whether the catalogue covered
// every phrase of it.
func (sc *sourceCatalog) translate(s string, vals rescreen.TextValues) (string, bool) {
	if t, ok := sc.m[s]; ok {
		return t, true
	}
	if !wellFormed(s, vals) {
		vals = nil // marks that do not fit the text: treat it all as phrases
	}
	n := len(vals) / 2
	runs := make([]string, 0, n+1)
	at := 0
	for i := 0; i < n; i++ {
		runs = append(runs, s[at:vals[2*i]])
		at = int(vals[2*i+1])
	}
	runs = append(runs, s[at:])
	value := func(i int) string {
		v := s[vals[2*i]:vals[2*i+1]]
		if t, ok := sc.m[v]; ok {
			return t
		}
		return v
	}
	if n > 0 {
		var p strings.Builder
		for i, r := range runs {
			if i > 0 {
				p.WriteString("{" + strconv.Itoa(i) + "}")
			}
			p.WriteString(r)
		}
		if t, ok := sc.m[p.String()]; ok {
			return fill(t, n, value), true
		}
	}
	var out strings.Builder
	all := true
	for i, r := range runs {
		if i > 0 {
			out.WriteString(value(i - 1))
		}
		t, ok := sc.phrases(r)
		all = all && ok
		out.WriteString(t)
	}
	return out.String(), all
}

// wellFormed reports whether value marks are in order and inside s.
func wellFormed(s string, vals rescreen.TextValues) bool {
	if len(vals)%2 != 0 {
		return false
	}
	at := int32(0)
	for i := 0; i < len(vals); i += 2 {
		a, b := vals[i], vals[i+1]
		if a < at || b < a || int(b) > len(s) {
			return false
		}
		at = b
	}
	return true
}

// phrases translates a run of fixed text: whole if the catalogue has it,
// else cut into the fewest phrases it knows. Bytes no phrase covers stay
// as they are; the run counts as covered if those hold no lower-case
// letter (spaces, punctuation, and codes, which are written in capitals).
func (sc *sourceCatalog) phrases(r string) (string, bool) {
	if r == "" {
		return "", true
	}
	if t, ok := sc.m[r]; ok {
		return t, true
	}
	const unknown = 1 << 10 // the cost of leaving one character as it is
	n := len(r)
	cost := make([]int, n+1)
	from := make([]int, n+1)
	for i := 1; i <= n; i++ {
		cost[i] = -1
	}
	for i := 0; i < n; i++ {
		if cost[i] < 0 {
			continue
		}
		node := sc.trie
		for j := i; j < n && node != nil; j++ {
			node = node.next[r[j]]
			if node != nil && node.end && (cost[j+1] < 0 || cost[i]+1 < cost[j+1]) {
				cost[j+1], from[j+1] = cost[i]+1, i
			}
		}
		_, w := utf8.DecodeRuneInString(r[i:])
		if c := cost[i] + unknown; cost[i+w] < 0 || c < cost[i+w] {
			cost[i+w], from[i+w] = c, i
		}
	}
	var parts []string
	covered := true
	for j := n; j > 0; j = from[j] {
		i := from[j]
		piece := r[i:j]
		if t, ok := sc.m[piece]; ok && cost[j]-cost[i] == 1 {
			parts = append(parts, t)
			continue
		}
		parts = append(parts, piece)
		if strings.IndexFunc(piece, unicode.IsLower) >= 0 {
			covered = false // words; codes (INVALID) are written in capitals and kept
		}
	}
	var b strings.Builder
	for k := len(parts) - 1; k >= 0; k-- {
		b.WriteString(parts[k])
	}
	return b.String(), covered
}

// fill writes a pattern's translation with its values, in one pass, so
// that a value which itself reads like a placeholder ("{1}" in a name) is
// never replaced again.
func fill(t string, n int, value func(int) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			return b.String()
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			b.WriteString(t)
			return b.String()
		}
		if k, err := strconv.Atoi(t[i+1 : i+j]); err == nil && k >= 1 && k <= n {
			b.WriteString(t[:i])
			b.WriteString(value(k - 1))
		} else {
			b.WriteString(t[:i+j+1])
		}
		t = t[i+j+1:]
	}
}
