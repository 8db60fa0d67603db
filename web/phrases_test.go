package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// phraseFiles are the rules package's source files whose sentences a page
// shows, each with the source catalogue that translates them. The rule
// book (book.go, params.go) is read from the engine instead, and the other
// files write no explanation.
var phraseFiles = map[string]string{
	"criteria.go":  "criteria",
	"coverage.go":  "coverage",
	"member.go":    "member",
	"family.go":    "family",
	"engine.go":    "family",
	"eval.go":      "family",
	"deadlines.go": "deadlines",
}

// rulePhrases reads the rules package's source and returns every fixed
// piece of English its explanations are made of, with the catalogue that
// must translate it: the string literals of those files that read as
// prose (a lower-case letter and a space or closing punctuation), leaving
// out error messages, imports, struct tags and the inputs of the
// version hash. Over-counting is safe (a
// piece that is never shown is still translated); under-counting is what
// the corpus test below catches.
func rulePhrases(t testing.TB) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	out := map[string]string{}
	for file, cat := range phraseFiles {
		f, err := parser.ParseFile(fset, filepath.Join("..", "rules", file), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.ImportSpec, *ast.Field:
				return false
			case *ast.FuncDecl:
				if x.Name.Name == "bookHash" {
					return false // the version hash's input, never shown
				}
			case *ast.ValueSpec:
				if len(x.Names) == 1 && x.Names[0].Name == "logicRevision" {
					return false
				}
			case *ast.CallExpr:
				if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && (id.Name == "fmt" || id.Name == "errors") {
						return false
					}
				}
				if id, ok := x.Fun.(*ast.Ident); ok && id.Name == "panic" {
					return false
				}
			case *ast.BasicLit:
				if x.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(x.Value)
				if err != nil {
					t.Fatal(err)
				}
				if isProse(s) {
					out[s] = cat
				}
			}
			return true
		})
	}
	return out
}

// isProse reports whether a literal reads as words of a sentence rather
// than a code (NEGATIVE, cfg.day_type) or a field name (signed_on).
func isProse(s string) bool {
	lower := strings.IndexFunc(s, unicode.IsLower) >= 0
	return lower && (strings.Contains(s, " ") || strings.ContainsAny(s[len(s)-1:], ".:;,)["))
}
