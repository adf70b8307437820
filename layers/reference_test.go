package layers_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// readReference decodes testdata/name, a reference file written by one of
// the testdata/gen_*.py scripts, into v; a missing or malformed file fails
// the test.
func readReference(t *testing.T, name string, v any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
