package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"rescreen"
	"rescreen/access"
)

// Deadlines serves the fake's deadlines: two overdue, one due soon, and a
// title with markup; it refuses an unknown view as the service does, and
// pages one item at a time when the cursor asks.
func (f *fakeFamilies) Deadlines(ctx context.Context, q rescreen.DeadlineFilter) (rescreen.Page[rescreen.DeadlineItem], error) {
	all := []rescreen.DeadlineItem{
		{FamilyID: "F-1", Person: "CBP_E3:P-1", Clock: "T-2", Title: "Re-interview within 30 days", Due: rescreen.NewDate(2018, 12, 1), Status: "MISSED", Overdue: true},
		{FamilyID: "F-2", Person: "CBP_E3:P-7", Clock: "T-4", Title: "<b>Notice</b> served", Due: rescreen.NewDate(2019, 1, 2), Status: "OPEN", Overdue: true},
		{FamilyID: "F-3", Person: "CBP_E3:P-9", Clock: "T-1", Title: "Election form returned", Due: q.Today.AddDays(3), Status: "OPEN"},
	}
	var out rescreen.Page[rescreen.DeadlineItem]
	switch q.Whose {
	case rescreen.DeadlinesMine: // the user's own: F-1 alone, paged
		if q.After == "" {
			out.Items, out.Next = all[:1], "c1"
		}
		return out, nil
	case rescreen.DeadlinesTeam:
		return out, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "whose", Msg: "none of your roles is limited to an office"}}}).AsError("deadlines")
	}
	switch q.View {
	case rescreen.DeadlinesOverdue:
		out.Items = all[:2]
	case rescreen.DeadlinesDueSoon:
		if q.Within < 0 || q.Within > 366 {
			return out, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "within", Msg: "must be from 1 to 366 days"}}}).AsError("deadlines")
		}
		out.Items = all[2:]
	case rescreen.DeadlinesOpen:
		out.Items = all
		if q.After == "" {
			out.Items, out.Next = all[:1], "c1"
		} else {
			out.Items = all[1:]
		}
	default:
		return out, (&rescreen.ValidationError{Problems: []rescreen.FieldError{{Field: "view", Msg: "must be overdue, soon or open"}}}).AsError("deadlines")
	}
	return out, nil
}

func TestUITasks(t *testing.T) {
	env := newEnv(t)
	get := func(target, lang string) (int, string) {
		req := httptest.NewRequest("GET", target, nil)
		req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
		w := httptest.NewRecorder()
		env.serveHTTP(w, req)
		return w.Code, w.Body.String()
	}
	code, body := get("/tasks", "en")
	if code != http.StatusOK || !strings.Contains(body, "Overdue deadlines, oldest first") || !strings.Contains(body, `<a href="/families/F-1">F-1</a>`) ||
		!strings.Contains(body, "2018-12-01") || strings.Contains(body, "F-3") {
		t.Fatalf("overdue view: %d\n%s", code, body)
	}
	if strings.Contains(body, "<b>Notice</b>") || !strings.Contains(body, "&lt;b&gt;Notice&lt;/b&gt;") {
		t.Error("a title's markup is not shown inert")
	}
	code, body = get("/tasks?view=soon&within=10", "es")
	if code != http.StatusOK || !strings.Contains(body, "Vencen en 10 días") || !strings.Contains(body, "F-3") || strings.Contains(body, "F-1<") {
		t.Fatalf("due-soon view in Spanish: %d\n%s", code, body)
	}
	code, body = get("/tasks?view=open", "en")
	if code != http.StatusOK || !strings.Contains(body, `href="/tasks?after=c1&amp;view=open"`) {
		t.Fatalf("open view, first page: %d\n%s", code, body)
	}
	code, body = get("/tasks?view=open&after=c1", "en")
	if code != http.StatusOK || !strings.Contains(body, "F-2") || !strings.Contains(body, `href="/tasks?view=open"`) {
		t.Fatalf("open view, second page: %d\n%s", code, body)
	}
	// Whose: mine keeps to the user's own and through the pages; the
	// all-powerful user has no team to choose.
	code, body = get("/tasks?view=open&whose=mine", "en")
	if code != http.StatusOK || !strings.Contains(body, `id="whose-mine" name="whose" value="mine" checked`) || strings.Contains(body, "F-2") ||
		!strings.Contains(body, `href="/tasks?after=c1&amp;view=open&amp;whose=mine"`) || strings.Contains(body, `id="whose-team"`) {
		t.Fatalf("my deadlines: %d\n%s", code, body)
	}
	tok := "rst_shelter"
	env.auth.tokens[tok] = access.Principal{User: "orr-1", Roles: []access.Assignment{{Role: access.ORRCaseManager, Scope: access.Unit, Units: []string{"shelter:TX-1", "shelter:TX-2"}}}}
	req := httptest.NewRequest("GET", "/tasks", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	env.serveHTTP(w, req)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<label for="whose-team">My team&#39;s (shelter:TX-1, shelter:TX-2)</label>`) ||
		!strings.Contains(w.Body.String(), `value="all" checked`) {
		t.Fatalf("a case manager's choices: %d\n%s", w.Code, w.Body)
	}
	for _, bad := range []string{"/tasks?whose=team", "/tasks?view=late", "/tasks?view=soon&within=x", "/tasks?view=%3Cscript%3E"} {
		code, body = get(bad, "en")
		if code != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) || strings.Contains(body, "<script>") {
			t.Errorf("%s: %d", bad, code)
		}
	}
}
