// Package e2e drives the web UI in a real headless Chromium, the way an
// officer or counsel uses it: the application runs in-process (app.Service
// over a temporary SQLite store holding a small synthetic class, served by
// web.NewServer on a loopback httptest server) and the tests click, type and
// read pages through the Chrome DevTools protocol (chromedp).
//
// The tests need Debian's chromium package at /usr/bin/chromium, which .ci/run
// installs. Without it they skip, with a message saying so, unless the
// environment variable CI is set, in which case they fail: CI must run them.
//
// go test ./e2e -e2e.screenshots rewrites the PNG files in docs/screenshots/
// that the README shows; a normal run takes the same screenshots into a
// temporary directory and only checks them. The class, the clock and the
// ids are fixed, so the pictures change only when the pages do.
//
// The package has no code outside its tests; this file holds its
// documentation.
package e2e
