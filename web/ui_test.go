package web

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"rescreen"
)

func TestUIIndex(t *testing.T) {
	env := newEnv(t)
	w := env.do(t, "GET", "/", "")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("index: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	body := w.Body.String()
	for _, want := range []string{
		`<html lang="en">`,
		`use the Search page`,
		`<a href="/families/` + string(env.family) + `">`,
		`María José Pérez`,
		`2018-06-21 14:30 UTC`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("index lacks %s", want)
		}
	}
	if strings.Contains(body, "<script") {
		t.Error("the UI must not use scripts")
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", w.Header().Get("Cache-Control"))
	}
}

func TestUIIndexSearchAndErrors(t *testing.T) {
	env := newEnv(t)
	w := env.do(t, "GET", "/?name=mar%C3%ADa&stage=&custody=ORR_SHELTER&utm=x", "")
	if w.Code != http.StatusOK {
		t.Fatalf("search: %d", w.Code)
	}
	// A name in the address is ignored: names go to the search page's
	// form, which posts them.
	if env.fam.lastFilter.Name != "" || env.fam.lastFilter.Custody != rescreen.CustodyORRShelter {
		t.Errorf("filter = %+v", env.fam.lastFilter)
	}
	if strings.Contains(w.Body.String(), `maría`) || !strings.Contains(w.Body.String(), `<option value="ORR_SHELTER" selected>`) {
		t.Error("the filter form does not echo the query, or echoes the name")
	}

	w = env.do(t, "GET", "/?limit=9999&stage=NOPE", "")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `role="alert"`) || !strings.Contains(w.Body.String(), "limit:") {
		t.Errorf("bad search: %d\n%s", w.Code, w.Body)
	}
}

func TestUIPagination(t *testing.T) {
	env := newEnv(t)
	for _, sid := range []string{"FAM-2", "FAM-3", "FAM-4"} {
		if _, err := env.fam.CreateFamily(t.Context(), sampleDataset(sid, "Rosa", "López")); err != nil {
			t.Fatal(err)
		}
	}
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	target, seen := "/?limit=2", 0
	for pages := 0; target != ""; pages++ {
		if pages > 3 {
			t.Fatal("pagination does not end")
		}
		w := env.do(t, "GET", target, "")
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d", target, w.Code)
		}
		seen += strings.Count(w.Body.String(), `<a href="/families/`)
		target = ""
		if m := next.FindStringSubmatch(w.Body.String()); m != nil {
			target = html.UnescapeString(m[1])
			if !strings.Contains(target, "limit=2") || !strings.Contains(target, "after=") {
				t.Errorf("next link %q loses the query or the cursor", target)
			}
		}
	}
	if seen != 4 {
		t.Errorf("saw %d families over the pages, want 4", seen)
	}
}

func TestUIFamilyPage(t *testing.T) {
	env := newEnv(t)
	w := env.do(t, "GET", "/families/"+string(env.family), "")
	if w.Code != http.StatusOK {
		t.Fatalf("family page: %d\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{
		"<h2 id=\"members\">Members</h2>", "Separations", "Custody timeline", "Screenings", "Elections",
		"A012345678", "2018-06-21", "2018-07-30", "Prosecution referral", "ORR shelter", "Option A: remain and be screened",
		"<title>Family " + string(env.family) + " · rescreen</title>",
		"<h2 id=\"timeline\">Timeline</h2>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("family page lacks %q", want)
		}
	}
	// The separation names both people rather than their references.
	if !strings.Contains(body, "<td>María José Pérez</td><td>Ana Pérez</td>") {
		t.Error("the separation does not name the parent and the child")
	}
	if strings.Contains(body, "CBP_E3:FAM-1-P1") {
		t.Error("a reference is shown instead of a name")
	}

	w = env.do(t, "GET", "/families/F99999", "")
	if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "No family has the id F99999.") {
		t.Errorf("missing family: %d\n%s", w.Code, w.Body)
	}
}

func TestUIHostileNamesAreInert(t *testing.T) {
	for _, name := range hostileNames {
		t.Run(name, func(t *testing.T) {
			env := newEnv(t)
			d, err := env.fam.CreateFamily(t.Context(), sampleDataset("FAM-H", name, "X"))
			if err != nil {
				t.Fatal(err)
			}
			for _, target := range []string{"/", "/families/" + string(d.FamilyID), "search"} {
				var body string
				if target == "search" {
					body = env.search(t, name, "").Body.String()
				} else {
					body = env.do(t, "GET", target, "").Body.String()
				}
				if strings.Contains(body, name) && strings.ContainsAny(name, `<>"'`) {
					t.Errorf("%s: the name appears unescaped", target)
				}
				if !strings.Contains(body, html.EscapeString(name)) {
					t.Errorf("%s: the escaped name is missing", target)
				}
				if strings.Contains(body, "<script>") || strings.Contains(body, "<img") {
					t.Errorf("%s: markup from the data is live", target)
				}
			}
		})
	}
}

func TestUIStatic(t *testing.T) {
	env := newEnv(t)
	m := regexp.MustCompile(`<link rel="stylesheet" href="(/static/style\.[0-9a-f]{12}\.css)">`).FindStringSubmatch(env.do(t, "GET", "/", "").Body.String())
	if m == nil {
		t.Fatal("no hashed stylesheet link in the index")
	}
	w := env.do(t, "GET", m[1], "")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("stylesheet: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control = %q", cc)
	}
	if w := env.do(t, "GET", "/static/style.000000000000.css", ""); w.Code != http.StatusNotFound {
		t.Errorf("stale stylesheet name: %d", w.Code)
	}
}

// TestNamesInText: the rules' references to members are written as names,
// a longer reference never broken by a shorter one it begins with.
func TestNamesInText(t *testing.T) {
	r := namesInText(map[rescreen.Ref]string{"CBP_E3:F1-M1": "Ana Pérez", "CBP_E3:F1-M10": "Luis Pérez", "CBP_E3:F1-M2": ""})
	got := r.Replace("waiting for: CBP_E3:F1-M10 (PENDING), CBP_E3:F1-M1 (NEGATIVE), CBP_E3:F1-M2")
	want := "waiting for: Luis Pérez (CBP_E3:F1-M10) (PENDING), Ana Pérez (CBP_E3:F1-M1) (NEGATIVE), CBP_E3:F1-M2"
	if got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}
