package sqlstore

import (
	"context"
	"strings"
	"unicode/utf8"

	"rescreen"
)

// NameWord is a word of the name vocabulary and its phonetic key.
type NameWord struct {
	Word string
	Key  string
}

// PutNameWords adds words to the name vocabulary; a word already there is
// left as it is. The inserts are held (held.go).
func (tx *Tx) PutNameWords(ctx context.Context, words []NameWord) error {
	for _, w := range words {
		if err := tx.insertLater(ctx, "name words", rankOthers, `INSERT INTO name_words (word, key, len) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			w.Word, w.Key, utf8.RuneCountInString(w.Word)); err != nil {
			return err
		}
	}
	return nil
}

// PendingNameWords returns up to limit words of the vocabulary whose key is
// not computed yet.
func (db *DB) PendingNameWords(ctx context.Context, limit int) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT word FROM name_words WHERE key = '' LIMIT ?`, limit)
	if err != nil {
		return nil, translate("name words", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, translate("name words", err)
		}
		out = append(out, w)
	}
	return out, translate("name words", rows.Err())
}

// SetNameKeys stores the keys of words of the vocabulary.
func (tx *Tx) SetNameKeys(ctx context.Context, words []NameWord) error {
	for _, w := range words {
		if _, err := tx.exec(ctx, `UPDATE name_words SET key = ? WHERE word = ?`, w.Key, w.Word); err != nil {
			return translate("name words", err)
		}
	}
	return nil
}

// WordsByKey returns the words of the vocabulary whose phonetic key is key.
func (db *DB) WordsByKey(ctx context.Context, key string) ([]string, error) {
	return db.words(ctx, `SELECT word FROM name_words WHERE key = ? ORDER BY word`, key)
}

// WordsOfLength returns the words of the vocabulary of min to max
// characters.
func (db *DB) WordsOfLength(ctx context.Context, minLen, maxLen int) ([]string, error) {
	return db.words(ctx, `SELECT word FROM name_words WHERE len BETWEEN ? AND ? ORDER BY len, word`, minLen, maxLen)
}

func (db *DB) words(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate("name words", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, translate("name words", err)
		}
		out = append(out, w)
	}
	return out, translate("name words", rows.Err())
}

// HitRow is a record a search found, with its person and family.
type HitRow struct {
	Kind     rescreen.Kind // the record's kind
	Source   rescreen.Source
	SourceID string
	Data     []byte    // the record's JSON, for name hits
	Person   PersonRow // empty when the record is about no one person
	FamilyID rescreen.FamilyID
	Stage    rescreen.Stage
	// Value and IDKind are the identifier found, for identifier hits.
	Value, IDKind string
}

// NameTerm is one term of a name search: the word itself, or, with
// Prefix, any word that begins with it.
type NameTerm struct {
	Word   string
	Prefix bool
}

// NameHits returns up to limit person and name-variant records whose
// folded name words satisfy the query: for each group of terms, a word of
// the name matches one of the group's terms. The order is the index's.
func (db *DB) NameHits(ctx context.Context, query [][]NameTerm, limit int) ([]HitRow, error) {
	const cols = `SELECT r.kind, r.source, r.source_id, r.data, p.id, p.family_id, p.role, p.name, p.birth_date, p.country, p.custody, f.stage
		FROM name_search ns
		JOIN records r ON r.rowid = ns.rowid
		JOIN persons p ON p.id = ns.person_id
		JOIN families f ON f.id = p.family_id`
	cond, arg := db.nameMatch(query)
	rows, err := db.read.QueryContext(ctx, cols+` WHERE `+cond+` LIMIT ?`, arg, limit)
	if err != nil {
		return nil, translate("search names", err)
	}
	defer rows.Close()
	var out []HitRow
	for rows.Next() {
		var h HitRow
		p := &h.Person
		if err := rows.Scan(&h.Kind, &h.Source, &h.SourceID, &h.Data, &p.ID, &p.FamilyID, &p.Role, &p.Name, &p.BirthDate, &p.Country, &p.Custody, &h.Stage); err != nil {
			return nil, translate("search names", err)
		}
		h.FamilyID = p.FamilyID
		out = append(out, h)
	}
	return out, translate("search names", rows.Err())
}

// hitColumns are the columns after a record's own in an id hit: its
// person, if any, and its family's stage.
const hitColumns = `COALESCE(p.id, ''), COALESCE(p.family_id, ''), COALESCE(p.role, ''), COALESCE(p.name, ''), COALESCE(p.birth_date, ''), COALESCE(p.country, ''), COALESCE(p.custody, ''), f.stage`

func (db *DB) idHits(ctx context.Context, op, query string, args ...any) ([]HitRow, error) {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, translate(op, err)
	}
	defer rows.Close()
	var out []HitRow
	for rows.Next() {
		var h HitRow
		p := &h.Person
		if err := rows.Scan(&h.Kind, &h.Source, &h.SourceID, &h.FamilyID, &h.Value, &h.IDKind,
			&p.ID, &p.FamilyID, &p.Role, &p.Name, &p.BirthDate, &p.Country, &p.Custody, &h.Stage); err != nil {
			return nil, translate(op, err)
		}
		out = append(out, h)
	}
	return out, translate(op, rows.Err())
}

// IdentifierHits returns the identifier records whose value is one of
// values, with the person each is about.
func (db *DB) IdentifierHits(ctx context.Context, values []string, limit int) ([]HitRow, error) {
	if len(values) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(values)+1)
	for _, v := range values {
		args = append(args, v)
	}
	args = append(args, limit)
	return db.idHits(ctx, "search identifiers", `SELECT r.kind, r.source, r.source_id, r.family_id, i.value, i.kind, `+hitColumns+`
		FROM identifiers i
		JOIN records r ON r.id = i.record_id
		LEFT JOIN persons p ON p.id = i.person_id
		JOIN families f ON f.id = r.family_id
		WHERE i.value IN (`+placeholders(len(values))+`)
		ORDER BY r.family_id, i.person_id LIMIT ?`, args...)
}

// SourceIDHits returns the records of any kind, from any source, whose
// source id is one of ids. The records' unique index leads with the kind
// and the source, so the query names every kind and source for SQLite to
// probe the index with each, rather than scan every record.
func (db *DB) SourceIDHits(ctx context.Context, ids []string, limit int) ([]HitRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var args []any
	for _, k := range rescreen.Kinds {
		args = append(args, string(k))
	}
	srcs := rescreen.Source("").Values()
	for _, s := range srcs {
		args = append(args, s)
	}
	for _, id := range ids {
		args = append(args, id)
	}
	args = append(args, limit)
	return db.idHits(ctx, "search source ids", `SELECT r.kind, r.source, r.source_id, r.family_id, r.source_id, '', `+hitColumns+`
		FROM records r
		LEFT JOIN persons p ON p.id = r.person_id
		JOIN families f ON f.id = r.family_id
		WHERE r.kind IN (`+placeholders(len(rescreen.Kinds))+`) AND r.source IN (`+placeholders(len(srcs))+`) AND r.source_id IN (`+placeholders(len(ids))+`)
		ORDER BY r.family_id, r.kind LIMIT ?`, args...)
}

// nameMatch returns the condition on name_search (named ns) that the
// query's words satisfy, and its argument.
func (db *DB) nameMatch(query [][]NameTerm) (string, any) {
	if db.dialect == postgresDialect {
		return `ns.lexemes @@ CAST(? AS tsquery)`, tsQuery(query)
	}
	return `name_search MATCH ?`, "words : (" + ftsQuery(query) + ")"
}

// ftsQuery writes a name query in SQLite FTS5's syntax: each term a
// quoted string, a prefix followed by "*".
func ftsQuery(query [][]NameTerm) string {
	parts := make([]string, len(query))
	for i, g := range query {
		terms := make([]string, len(g))
		for j, t := range g {
			terms[j] = `"` + strings.ReplaceAll(t.Word, `"`, `""`) + `"`
			if t.Prefix {
				terms[j] += "*"
			}
		}
		parts[i] = "(" + strings.Join(terms, " OR ") + ")"
	}
	return strings.Join(parts, " AND ")
}

// tsQuery writes a name query as a PostgreSQL tsquery: each term a quoted
// lexeme, a prefix marked ":*".
func tsQuery(query [][]NameTerm) string {
	parts := make([]string, len(query))
	for i, g := range query {
		terms := make([]string, len(g))
		for j, t := range g {
			terms[j] = "'" + strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(t.Word) + "'"
			if t.Prefix {
				terms[j] += ":*"
			}
		}
		parts[i] = "(" + strings.Join(terms, " | ") + ")"
	}
	return strings.Join(parts, " & ")
}
