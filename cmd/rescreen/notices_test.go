package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBrokenNoticeTemplatesStopTheBoot: serve and demo check the notice
// templates before anything else, and a broken one stops them with the
// reason, before they listen or build a store.
func TestBrokenNoticeTemplatesStopTheBoot(t *testing.T) {
	if err := checkNoticeTemplates(); err != nil {
		t.Fatalf("the embedded templates: %v", err)
	}
	saved := checkNoticeTemplates
	t.Cleanup(func() { checkNoticeTemplates = saved })
	checkNoticeTemplates = func() error { return errors.New("notice: class_notice.es.v1.txt:12: @field needs LABEL | VALUE") }
	dir := t.TempDir()
	for _, args := range [][]string{
		{"rescreen", "serve", "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "serve")},
		{"rescreen", "demo", "--addr", "127.0.0.1:0", "--families", "5", "--data-dir", filepath.Join(dir, "demo")},
	} {
		var out bytes.Buffer
		err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &out)
		if err == nil || !strings.Contains(err.Error(), "class_notice.es.v1.txt:12") {
			t.Errorf("%s with a broken template: %v", args[1], err)
		}
		if strings.Contains(out.String(), "listening on") || strings.Contains(out.String(), "imported") {
			t.Errorf("%s went on after a broken template:\n%s", args[1], out.String())
		}
		if _, err := os.Stat(args[len(args)-1]); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s made its data directory before checking the templates: %v", args[1], err)
		}
	}
}
