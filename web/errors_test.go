package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"rescreen"
)

// TestAbandonedRequestIsNotAnError: a request whose client went away while
// the store worked fails with the request's context; that is answered 499
// and logged at info level, not as a failure of the server's. The same
// error while the client is still there stays a 500 logged as an error.
func TestAbandonedRequestIsNotAnError(t *testing.T) {
	for _, target := range []string{"/api/v1/families/{id}", "/families/{id}"} {
		t.Run(target, func(t *testing.T) {
			env := newEnv(t)
			target := strings.ReplaceAll(target, "{id}", string(env.family))
			env.fam.fail = rescreen.WrapError(rescreen.EINTERNAL, "begin", context.Canceled, "")

			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			w := serve(env, newRequest("GET", target).WithContext(ctx))
			if w.Code != statusAbandoned {
				t.Fatalf("client gone: status %d, want %d:\n%s", w.Code, statusAbandoned, w.Body)
			}
			logs := env.logs.String()
			if strings.Contains(logs, `"level":"ERROR"`) {
				t.Errorf("an abandoned request was logged as an error:\n%s", logs)
			}
			if !strings.Contains(logs, `"msg":"request abandoned"`) || !strings.Contains(logs, "context canceled") {
				t.Errorf("the log does not say the request was abandoned, and why:\n%s", logs)
			}

			w = serve(env, newRequest("GET", target))
			if w.Code != http.StatusInternalServerError {
				t.Fatalf("client present: status %d, want 500:\n%s", w.Code, w.Body)
			}
			if !strings.Contains(w.Body.String(), genericMessage) {
				t.Errorf("client present: no generic message:\n%s", w.Body)
			}
			if logs := env.logs.String(); !strings.Contains(logs, `"level":"ERROR","msg":"request failed"`) {
				t.Errorf("an internal error with the client present was not logged as an error:\n%s", logs)
			}
		})
	}
}

// TestAbandonedAPIRequestBody: the API's answer to an abandoned request
// names its own code, so that the access log and the metrics count it
// apart from the server's failures.
func TestAbandonedAPIRequestBody(t *testing.T) {
	env := newEnv(t)
	env.fam.fail = rescreen.WrapError(rescreen.EINTERNAL, "begin", context.Canceled, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := serve(env, newRequest("GET", "/api/v1/families/"+string(env.family)).WithContext(ctx))
	if w.Code != statusAbandoned {
		t.Fatalf("status %d, want %d", w.Code, statusAbandoned)
	}
	var b errorBody
	decode(t, w, &b)
	if b.Error.Code != codeAbandoned || b.Error.Message == "" || b.Error.RequestID == "" {
		t.Errorf("body %+v, want code %q with a message and the request id", b.Error, codeAbandoned)
	}
}
