package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium package, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// Window size of every test: a laptop screen, so that the screenshots show
// what an officer sees.
const windowWidth, windowHeight = 1280, 900

// testTimeout bounds one test's whole conversation with the browser. A
// step that waits on an element that never comes fails when it runs out,
// naming the step and the page, instead of hanging until go test's own
// timeout kills every test at once. The longest test, TestScreens, takes
// 3.5 s alone and 9 s under -race on a 2-core machine; the margin is for a
// loaded CI machine running every package's tests at once.
const testTimeout = 90 * time.Second

// stepTimeout bounds one step, so that a missing element fails the test
// in seconds, not at the end of its budget. A page loads here in tens of
// milliseconds.
const stepTimeout = 15 * time.Second

// needChromium skips the test when Chromium is not installed, so that the
// README's test command works on any machine, but fails it when CI is set:
// CI installs Chromium and must never pass by skipping the browser tests.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return
	}
	msg := fmt.Sprintf("browser tests need %s: install Debian's chromium package (apt-get install chromium)", chromiumPath)
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; CI is set, so they must run (.ci/run installs it)")
	}
	t.Skip(msg)
}

// browser is one headless Chromium with one tab, of its own for each test,
// so that no cookie (the language chosen) passes from one test to another.
type browser struct {
	t    *testing.T
	base string          // the site's URL
	tab  context.Context // the tab; ends with the test
	ctx  context.Context // the tab with the test's deadline

	width int // of the viewport, in CSS pixels
}

// step returns the context of one step: the test's, bounded by stepTimeout.
func (b *browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// newBrowser starts Chromium for the test and closes it when the test
// ends. It skips or fails the test as needChromium says when Chromium is
// missing.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	needChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		// CI runs as root, and Chromium refuses to start its sandbox as
		// root. The pages are our own, served on the loopback interface.
		chromedp.NoSandbox,
		chromedp.WindowSize(windowWidth, windowHeight),
		// The UI picks its language from Accept-Language until the user
		// chooses one; the tests start in English wherever they run.
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("accept-lang", "en-US,en"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first Do starts the browser. It runs on the tab's own context:
	// the browser lives as long as the context of its first action.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	ctx, cancel := context.WithTimeout(tab, testTimeout)
	t.Cleanup(cancel)
	b := &browser{t: t, base: base, tab: tab, ctx: ctx}
	// The window's size includes the browser's own bars, even headless;
	// the page gets exactly the size asked for only by emulation.
	b.resize(windowWidth, windowHeight)
	return b
}

// fail ends the test with the step that failed, why, and where the browser
// was, so that a failure in CI can be understood from the log alone.
func (b *browser) fail(step string, err error) {
	b.t.Helper()
	why := err.Error()
	if errors.Is(err, context.DeadlineExceeded) {
		why = fmt.Sprintf("not done within %s, or the test's %s ran out (an element it waits for never appeared?)", stepTimeout, testTimeout)
	}
	// The test's context may be spent; look around with a fresh one.
	ctx, cancel := context.WithTimeout(b.tab, 5*time.Second)
	defer cancel()
	url, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if len(text) > 1500 {
		text = strings.ToValidUTF8(text[:1500], "") + "…"
	}
	b.t.Fatalf("%s: %s\npage: %s\n%s", step, why, url, text)
}

// do runs actions that stay on the page.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail(step, err)
	}
}

// load runs actions that lead to a new page, such as a click on a link or
// a form's button, waits until that page has loaded and checks its HTTP
// status.
func (b *browser) load(step string, status int, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.fail(step, err)
	}
	if int(resp.Status) != status {
		b.fail(step, fmt.Errorf("%s answered %d %s, want %d", resp.URL, resp.Status, resp.StatusText, status))
	}
}

// open loads a page of the site by its path.
func (b *browser) open(step, path string) {
	b.t.Helper()
	b.load(step, http.StatusOK, chromedp.Navigate(b.base+path))
}

// text returns the visible text of the first element the CSS selector
// matches, waiting for it to appear.
func (b *browser) text(step, css string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		b.fail(step, err)
	}
	return s
}

// has reports whether the page has an element the CSS selector matches,
// without waiting.
func (b *browser) has(step, css string) bool {
	b.t.Helper()
	return evaluate[bool](b, step, fmt.Sprintf(`document.querySelector(%q) !== null`, css))
}

// evaluate returns the value of a JavaScript expression in the page.
func evaluate[T any](b *browser, step, js string) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.fail(step, err)
	}
	return v
}

// attr returns an attribute of the first element the CSS selector matches.
func (b *browser) attr(step, css, name string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(css), name))
	if err != nil {
		b.fail(step, err)
	}
	return a.Value
}

// wantText fails the step unless the element's text holds every want.
func (b *browser) wantText(step, css string, want ...string) {
	b.t.Helper()
	got := b.text(step, css)
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.fail(step, fmt.Errorf("%s reads %q, which lacks %q", css, got, w))
		}
	}
}

// capture returns a PNG of the window.
func (b *browser) capture(step string) []byte {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.fail(step, err)
	}
	return png
}

// resize makes the window width by height CSS pixels, as a phone's or a
// laptop's screen.
func (b *browser) resize(width, height int) {
	b.t.Helper()
	b.do(fmt.Sprintf("resize the window to %dx%d", width, height), chromedp.EmulateViewport(int64(width), int64(height)))
	b.width = width
}

// screenshot returns a PNG of the whole page, however long.
func (b *browser) screenshot(step string) []byte {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.fail(step, err)
	}
	return png
}

// wantRow fails the step unless the table has a row headed by the name
// whose text holds every want.
func (b *browser) wantRow(step, table, name string, want ...string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
		const t = document.querySelector(%q);
		if (!t) return null;
		for (const th of t.querySelectorAll("tr > th[scope=row]")) {
			if (th.textContent.trim() === %q) return th.parentElement.innerText;
		}
		return null;
	})()`, table, name)
	row := evaluate[*string](b, step, js)
	if row == nil {
		b.fail(step, fmt.Errorf("%s has no row for %q", table, name))
	}
	for _, w := range want {
		if !strings.Contains(*row, w) {
			b.fail(step, fmt.Errorf("the row of %q reads %q, which lacks %q", name, *row, w))
		}
	}
}

// wantFieldError fails the step unless the form field shows the message
// next to itself: in an element #NAME-error in the same paragraph or
// group of choices as the control, which is marked aria-invalid and
// described by the message, so that a screen reader reads it too.
func (b *browser) wantFieldError(step, field, msg string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
		const c = document.getElementById(%q), m = document.getElementById(%q);
		if (!c) return "there is no field";
		if (!m) return "no message is shown for the field";
		if (!m.parentElement.contains(c)) return "the message is not next to the field";
		if (c.getAttribute("aria-invalid") !== "true") return "the field is not marked aria-invalid";
		if (!(c.getAttribute("aria-describedby") || "").split(" ").includes(m.id)) return "the field is not described by the message";
		return "ok:" + m.innerText;
	})()`, field, field+"-error")
	got := evaluate[string](b, step, js)
	text, ok := strings.CutPrefix(got, "ok:")
	switch {
	case !ok:
		b.fail(step, fmt.Errorf("#%s: %s", field, got))
	case !strings.Contains(text, msg):
		b.fail(step, fmt.Errorf("#%s: the message reads %q, want %q", field, text, msg))
	}
}

// signIn opens a page that needs a signed-in user, is sent to the
// sign-in page, signs in and comes back to the page it asked for.
func (b *browser) signIn(path, name, password string) {
	b.t.Helper()
	b.open("open "+path+" signed out", path)
	b.wantText("the sign-in page", "h1", "Sign in")
	b.load("sign in as "+name, http.StatusOK,
		chromedp.SetValue(chromedp.ID("name"), name),
		chromedp.SetValue(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/sign-in"] button[type=submit]`)))
}
