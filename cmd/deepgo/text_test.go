package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// textFolder writes a two-class text:DIR tree (neg, pos) whose class shows
// in its words, n files per class.
func textFolder(t *testing.T, dir string, n int) string {
	t.Helper()
	words := map[string][]string{"neg": {"bad", "awful", "boring", "poor"}, "pos": {"good", "great", "superb", "fine"}}
	for class, ws := range words {
		if err := os.MkdirAll(filepath.Join(dir, class), 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			text := "the film was " + ws[i%4] + ", really " + ws[(i+1)%4] + "."
			write(t, filepath.Join(dir, class), sprintf("%03d.txt", i), text)
		}
	}
	return dir
}

const textSpecYAML = `input: [1]
layers:
  - text_vectorization: {max_tokens: 30, output_sequence_length: 8}
  - embedding: {input_dim: 30, output_dim: 8, mask_zero: true}
  - global_average_pooling1d
  - dense: {units: 2, activation: softmax}
compile:
  optimizer: {adam: {learning_rate: 0.05}}
  loss: sparse_categorical_crossentropy
  metrics: [accuracy]
fit: {epochs: 20, batch_size: 8}
`

// TestTextCommands trains a text classifier on a text:DIR folder, then
// evaluates it on text, and predicts on --text, lines:FILE and text:DIR,
// with and without --labels.
func TestTextCommands(t *testing.T) {
	dir := t.TempDir()
	spec := write(t, dir, "text.yaml", textSpecYAML)
	folder := textFolder(t, filepath.Join(dir, "reviews"), 16)
	model := filepath.Join(dir, "text.deepgo")
	var out, errb bytes.Buffer
	if code := run([]string{"train", "--model", spec, "--data", "text:" + folder + ",validation_split=0.25,subset=training",
		"--val", "text:" + folder + ",validation_split=0.25,subset=validation", "--out", model, "--json"}, &out, &errb); code != 0 {
		t.Fatalf("train: exit %d: %s", code, errb.String())
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 20 || !strings.Contains(lines[19], `"val_accuracy":1`) {
		t.Errorf("train --json: %d lines, last %q; want 20 epochs ending at val_accuracy 1", len(lines), lines[len(lines)-1])
	}
	out.Reset()
	if code := run([]string{"eval", "--model", model, "--data", "text:" + folder, "--json"}, &out, &errb); code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), `"accuracy":1}`) {
		t.Errorf("eval printed %q, want accuracy 1 on the training folder", out.String())
	}

	out.Reset()
	if code := run([]string{"predict", "--model", model, "--text", "A GREAT film", "--text", "awful and boring", "--labels"}, &out, &errb); code != 0 {
		t.Fatalf("predict --text: exit %d: %s", code, errb.String())
	}
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(rows) != 2 || !strings.HasSuffix(rows[0], ",pos") || !strings.HasSuffix(rows[1], ",neg") || strings.Count(rows[0], ",") != 2 {
		t.Errorf("predict --text --labels printed %q, want two rows of 2 outputs ending in pos, neg", rows)
	}
	lines := write(t, dir, "docs.txt", "superb\n\nbad bad\n")
	out.Reset()
	if code := run([]string{"predict", "--model", model, "--data", "lines:" + lines}, &out, &errb); code != 0 {
		t.Fatalf("predict lines: exit %d: %s", code, errb.String())
	}
	if rows := strings.Split(strings.TrimSpace(out.String()), "\n"); len(rows) != 3 || strings.Count(rows[1], ",") != 1 {
		t.Errorf("predict lines: printed %q, want 3 rows of 2 outputs (the empty line too)", rows)
	}
	out.Reset()
	if code := run([]string{"predict", "--model", model, "--data", "text:" + folder}, &out, &errb); code != 0 {
		t.Fatalf("predict text: exit %d: %s", code, errb.String())
	}
	if rows := strings.Split(strings.TrimSpace(out.String()), "\n"); len(rows) != 32 {
		t.Errorf("predict text:DIR printed %d rows, want 32", len(rows))
	}
	out.Reset()
	if code := run([]string{"summary", "--model", model}, &out, &errb); code != 0 || !strings.Contains(out.String(), "(None, 8)") {
		t.Errorf("summary: exit %d, %q", code, out.String())
	}
}

func TestTextCommandErrors(t *testing.T) {
	dir := t.TempDir()
	spec := write(t, dir, "text.yaml", textSpecYAML)
	numeric := write(t, dir, "num.yaml", "input: [3]\nlayers:\n  - dense: {units: 2, activation: softmax}\n"+specHeader)
	folder := textFolder(t, filepath.Join(dir, "reviews"), 4)
	if err := os.MkdirAll(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A saved model for the predict cases.
	model := filepath.Join(dir, "m.deepgo")
	var out, errb bytes.Buffer
	if code := run([]string{"train", "--model", spec, "--data", "text:" + folder, "--out", model, "--epochs", "1", "--json"}, &out, &errb); code != 0 {
		t.Fatalf("train: exit %d: %s", code, errb.String())
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing folder", []string{"train", "--model", spec, "--data", "text:" + filepath.Join(dir, "nope")}, "text folder " + filepath.Join(dir, "nope")},
		{"empty folder", []string{"train", "--model", spec, "--data", "text:" + filepath.Join(dir, "empty")}, "empty text folder"},
		{"texts for a numeric model", []string{"train", "--model", numeric, "--data", "text:" + folder}, "not text_vectorization"},
		{"validation split of a folder", []string{"train", "--model", spec, "--data", "text:" + folder, "--validation-split", "0.2"}, "last classes only"},
		{"--text and --data", []string{"predict", "--model", model, "--text", "x", "--data", "text:" + folder}, "--text and --data cannot be combined"},
		{"no --data nor --text", []string{"predict", "--model", model}, "--data (or --text) is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(c.args, &stdout, &stderr); code == 0 {
				t.Fatalf("exit status 0, want non-zero")
			}
			if msg := stderr.String(); strings.Count(msg, "\n") != 1 || !strings.Contains(msg, c.want) {
				t.Errorf("stderr %q, want one line containing %q", msg, c.want)
			}
		})
	}
}

// TestFortunesExampleCommand runs `deepgo train --example fortunes` (2
// epochs) from another directory: the example's data is built into the
// program.
func TestFortunesExampleCommand(t *testing.T) {
	t.Chdir(t.TempDir())
	var out, errb bytes.Buffer
	if code := run([]string{"train", "--example", "fortunes", "--epochs", "2", "--json"}, &out, &errb); code != 0 {
		t.Fatalf("train --example fortunes: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), `"test_accuracy":`) {
		t.Errorf("no test accuracy in %q", out.String())
	}
	out.Reset()
	if code := run([]string{"predict", "--model", "fortunes.deepgo", "--text", "Beam me up, Scotty", "--labels"}, &out, &errb); code != 0 {
		t.Fatalf("predict: exit %d: %s", code, errb.String())
	}
	if strings.Count(out.String(), ",") != 5 {
		t.Errorf("predict printed %q, want 5 outputs and a class name", out.String())
	}
}
