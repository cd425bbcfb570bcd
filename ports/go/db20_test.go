package db20_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"db20/core"
	"db20/internal/testkit"
	"db20/script"
	"db20/wire"
	"db20/workload"
)

var vectors = testkit.Vectors()

func TestGoldenScenarioAThroughTheCoreAPI(t *testing.T) {
	c, _ := core.NewCluster(5)
	w := workload.NewWorkload(20, 16)
	for i := 0; i < 1000; i++ {
		if !c.Propose(w.NextOp()).Committed {
			t.Fatal("rejected with no partition")
		}
	}
	if got, scenarioA := wire.DigestHex(c.Digest()), testkit.Golden(t, "a"); got != scenarioA {
		t.Fatalf("scenario A digest %s, want %s", got, scenarioA)
	}
}

func TestGoldenScenarioBThroughTheScriptRunner(t *testing.T) {
	scenarioB := testkit.Golden(t, "b")
	var out bytes.Buffer
	if err := script.NewRunner(&out).Run(bytes.NewReader(testkit.Vector(t, "scenario-b.txt"))); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if got := lines[len(lines)-1]; got != "digest "+scenarioB {
		t.Fatalf("scenario B: %s, want digest %s", got, scenarioB)
	}
}

// Every conformance vector through the runner: stdout byte for byte, and the whole error
// line (cmd/db20 runs them again through the program, exit status and stderr included).
func TestEveryVector(t *testing.T) {
	scripts, _ := filepath.Glob(filepath.Join(vectors, "*.txt"))
	sort.Strings(scripts)
	checked := 0
	for _, s := range scripts {
		name := strings.TrimSuffix(filepath.Base(s), ".txt")
		outPath := filepath.Join(vectors, name+".out")
		errPath := filepath.Join(vectors, name+".err")
		expected, outErr := os.ReadFile(outPath)
		prefix, errErr := os.ReadFile(errPath)
		if outErr != nil {
			expected = nil // an error vector may print nothing before its bad line
		}
		checked++
		t.Run(name, func(t *testing.T) {
			in, _ := os.ReadFile(s)
			var out bytes.Buffer
			err := script.NewRunner(&out).Run(bytes.NewReader(in))
			if errErr == nil {
				want := strings.SplitN(string(prefix), "\n", 2)[0]
				if err == nil || err.Error() != want {
					t.Fatalf("err = %v, want %q", err, want)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), expected) && (out.Len() != 0 || len(expected) != 0) {
				t.Fatalf("stdout differs:\n%s\nwant:\n%s", out.String(), expected)
			}
		})
	}
	if checked < 57 {
		t.Fatalf("only %d vectors found", checked)
	}
}
