package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRunExitCodes(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"run", "-"}, strings.NewReader("cluster 1\nput a v\n"), &out, &errOut); code != 0 || out.String() != "committed 1\n" {
		t.Fatalf("code %d out %q err %q", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := run([]string{"run", "-"}, strings.NewReader("cluster 1\nnoop\nbad\n"), &out, &errOut); code != 2 ||
		out.String() != "committed 1\n" || !strings.HasPrefix(errOut.String(), "error line 3: unknown command 'bad'") {
		t.Fatalf("code %d out %q err %q", code, out.String(), errOut.String())
	}
	if code := run(nil, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Fatalf("no args: code %d", code)
	}
	if code := run([]string{"run", "/no/such/file"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Fatalf("missing file: code %d", code)
	}
}
