package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"rescreen"
)

// Every string a page shows goes through a message catalogue: one per
// language, made of the JSON files under locales/LANG/ (a flat object of
// key to text, the text a fmt format whose verbs may be indexed, %[2]s,
// where a language orders words differently). English and Spanish are
// complete, and a test fails on a key that one has and the other lacks,
// on a key a template uses that neither has, and on an enum value with no
// label. Adding a language is adding a directory and its name to
// languages.

// languages are the languages the UI speaks, the default first.
var languages = []string{"en", "es"}

// languageNames name each language in itself, for the switcher.
var languageNames = map[string]string{"en": "English", "es": "Español"}

// catalog is one language's messages.
type catalog map[string]string

// loadCatalogs reads every language's catalogue from the embedded files. A
// key defined twice in one language is an error, as is a language with no
// files.
func loadCatalogs(fsys fs.FS) (map[string]catalog, error) {
	out := make(map[string]catalog, len(languages))
	for _, lang := range languages {
		names, err := fs.Glob(fsys, "locales/"+lang+"/*.json")
		if err != nil || len(names) == 0 {
			return nil, fmt.Errorf("web: no message catalogue for %q", lang)
		}
		c := catalog{}
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
				if _, dup := c[k]; dup {
					return nil, fmt.Errorf("web: %s: key %q is defined twice in %s", name, k, lang)
				}
				c[k] = v
			}
		}
		out[lang] = c
	}
	return out, nil
}

// text returns the message for the key formatted with the arguments; a
// key missing from the catalogue shows as the key itself in brackets (the
// tests keep that from happening), never as an empty string.
func (c catalog) text(key string, args ...any) string {
	f, ok := c[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// enumLabel returns the label of an enum value, by its type's name: the
// key is enum.TYPE.VALUE. An empty value shows as a dash; a value without
// a label (an agency's code the catalogue does not know) as itself.
func (c catalog) enumLabel(typ string, value any) string {
	v := fmt.Sprint(value)
	if v == "" {
		return "–"
	}
	if l, ok := c["enum."+typ+"."+v]; ok {
		return l
	}
	return v
}

// funcsFor returns the template functions of one language.
func funcsFor(c catalog, sc *sourceCatalog) map[string]any {
	return map[string]any{
		"t":    c.text,
		"enum": c.enumLabel,
		// explain shows a text the rules wrote in English in the page's
		// language, given the marks of the values in it if it has any.
		"explain": func(s string, vals ...rescreen.TextValues) string {
			var v rescreen.TextValues
			if len(vals) > 0 {
				v = vals[0]
			}
			return sc.explain(s, v)
		},
		// date shows a calendar date as 2018-06-21 in every language, and an
		// unknown one as a dash.
		"date": func(d rescreen.Date) string {
			if d.IsZero() {
				return "–"
			}
			return d.String()
		},
		// timestamp shows an instant in UTC, so that every reader sees the
		// same day whatever their time zone.
		"timestamp": func(t time.Time) string {
			if t.IsZero() {
				return "–"
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		// yesno shows a recorded flag; an absent flag is an unknown fact,
		// not a no.
		"yesno": func(b *bool) string {
			switch {
			case b == nil:
				return c.text("flag.unknown")
			case *b:
				return c.text("flag.yes")
			}
			return c.text("flag.no")
		},
		"join": strings.Join,
	}
}

// langCookie keeps the user's choice of language.
const langCookie = "lang"

// language returns the language of the request: the user's choice if
// they made one, else the first of the browser's languages the UI speaks,
// else English.
func language(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && slices.Contains(languages, c.Value) {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if slices.Contains(languages, base) {
			return base
		}
	}
	return languages[0]
}

// localPath returns p if it is a path on this site ("/families/F-1?x"),
// else "/": the language form's return address is never sent elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") || len(p) > 2000 {
		return "/"
	}
	if clean := path.Clean(strings.SplitN(p, "?", 2)[0]); !strings.HasPrefix(clean, "/") {
		return "/"
	}
	return p
}

// uiLanguage answers POST /language: it remembers the language chosen
// for a year and goes back to the page the form was on. It works without
// JavaScript; a language the UI does not speak is refused.
func (s *Server) uiLanguage(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		s.uiError(w, r, rescreen.Errorf(rescreen.EINVALID, "The form could not be read."))
		return
	}
	lang := r.PostForm.Get("lang")
	if !slices.Contains(languages, lang) {
		s.uiError(w, r, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "lang", Msg: "is not a language of this site"}}}).AsError("web.uiLanguage"))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, localPath(r.PostForm.Get("return")), http.StatusSeeOther)
}
