package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestPredictCSVWidth checks how predict reads a CSV: as features only
// when its width is the model's input size, else with a label column that
// it drops.
func TestPredictCSVWidth(t *testing.T) {
	dir := t.TempDir()
	spec := write(t, dir, "m.yaml", "input: [2]\nlayers:\n  - dense: {units: 3, activation: softmax}\n"+
		"compile:\n  optimizer: sgd\n  loss: sparse_categorical_crossentropy\nfit: {epochs: 1, batch_size: 4}\n")
	labeled := write(t, dir, "l.csv", "x,y,label\n0,1,0\n1,0,1\n0.5,0.5,2\n")
	model := filepath.Join(dir, "m.deepgo")
	var out, errb bytes.Buffer
	if code := run([]string{"train", "--model", spec, "--data", "csv:" + labeled, "--out", model, "--json"}, &out, &errb); code != 0 {
		t.Fatalf("train: exit %d: %s", code, errb.String())
	}
	features := write(t, dir, "f.csv", "x,y\n0,1\n1,0\n0.5,0.5\n")
	var got [2]string
	for i, path := range []string{labeled, features} {
		out.Reset()
		if code := run([]string{"predict", "--model", model, "--data", "csv:" + path}, &out, &errb); code != 0 {
			t.Fatalf("predict %s: exit %d: %s", path, code, errb.String())
		}
		got[i] = out.String()
		if rows := strings.Split(strings.TrimSpace(got[i]), "\n"); len(rows) != 3 || strings.Count(rows[0], ",") != 2 {
			t.Errorf("predict %s printed %q, want 3 rows of 3 values", path, got[i])
		}
	}
	if got[0] != got[1] {
		t.Errorf("predict with and without the label column differ:\n%s\n%s", got[0], got[1])
	}
}
