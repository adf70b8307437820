package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const specHeader = "compile:\n  optimizer: adam\n  loss: sparse_categorical_crossentropy\n  metrics: [accuracy]\n"

// TestBadInputOneLine runs each kind of bad input through the CLI: each
// must exit non-zero with exactly one line on stderr naming the problem,
// and no stack trace.
func TestBadInputOneLine(t *testing.T) {
	dir := t.TempDir()
	good := write(t, dir, "good.yaml", "input: [3]\nlayers:\n  - dense: {units: 2, activation: softmax}\n"+specHeader)
	unknownLayer := write(t, dir, "layer.yaml", "input: [3]\nlayers:\n  - dense: {units: 2}\n  - convolution\n"+specHeader)
	unknownArg := write(t, dir, "arg.yaml", "input: [3]\nlayers:\n  - dense: {units: 2, unit: 4}\n"+specHeader)
	train := write(t, dir, "train.csv", "a,b,c,label\n1,2,3,0\n4,5,6,1\n")
	wide := write(t, dir, "wide.csv", "a,b,c,d,label\n1,2,3,4,0\n")
	outOfRange := write(t, dir, "range.csv", "a,b,c,label\n1,2,3,0\n4,5,6,7\n")
	notNumber := write(t, dir, "nan.csv", "a,b,c,label\n1,2,3,0\n4,x5,6,1\n")
	embed := write(t, dir, "embed.yaml", "input: [3]\nlayers:\n  - embedding: {input_dim: 5, output_dim: 2}\n  - lstm: {units: 2}\n  - dense: {units: 2, activation: softmax}\n"+specHeader)
	ragged := write(t, dir, "ragged.csv", "a,b,c,label\n1,2,3,0\n4,5,1\n")
	emptyText := filepath.Join(dir, "texts", "a")
	if err := os.MkdirAll(emptyText, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"token id ≥ input_dim", []string{"train", "--model", embed, "--data", "csv:" + outOfRange}, "id 5 at sample 1, position 1 is not an integer in [0, input_dim=5)"},
		{"unequal sequences", []string{"train", "--model", embed, "--data", "csv:" + ragged}, "ragged.csv:3: row has 3 columns, want 4"},
		{"empty text folder", []string{"train", "--model", "../../examples/specs/fortunes.yaml", "--data", "text:" + filepath.Dir(emptyText)}, "empty text folder"},
		{"unknown layer", []string{"train", "--model", unknownLayer, "--data", "csv:" + train}, `layer 2 (convolution): unknown layer "convolution"`},
		{"unknown argument", []string{"train", "--model", unknownArg, "--data", "csv:" + train}, `unknown argument "unit"`},
		{"shape mismatch", []string{"train", "--model", good, "--data", "csv:" + wide}, "does not fit the model's input"},
		{"label out of range", []string{"train", "--model", good, "--data", "csv:" + outOfRange}, "label 7 of sample 1 is out of range"},
		{"not a number", []string{"train", "--model", good, "--data", "csv:" + notNumber}, `"x5" is not a number`},
		{"missing spec", []string{"train", "--model", filepath.Join(dir, "nope.yaml"), "--data", "csv:" + train}, "nope.yaml"},
		{"missing data", []string{"train", "--model", good, "--data", "csv:" + filepath.Join(dir, "nope.csv")}, "nope.csv"},
		{"missing model file", []string{"eval", "--model", filepath.Join(dir, "nope.deepgo"), "--data", "csv:" + train}, "nope.deepgo"},
		{"unknown data form", []string{"train", "--model", good, "--data", "parquet:x"}, `"parquet:x"`},
		{"unknown example", []string{"train", "--example", "mnist-transformer"}, `unknown example "mnist-transformer"`},
		{"unknown flag", []string{"train", "--epochz", "3"}, "epochz"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(c.args, &stdout, &stderr)
			if code == 0 {
				t.Fatalf("exit status 0, want non-zero; stdout %q", stdout.String())
			}
			msg := stderr.String()
			if c.name == "unknown flag" { // the flag package also prints usage
				msg = strings.SplitN(msg, "\n", 2)[0] + "\n"
			}
			if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, c.want) {
				t.Errorf("stderr %q, want one line containing %q", msg, c.want)
			}
			if strings.Contains(msg, "goroutine") || strings.Contains(msg, "panic") {
				t.Errorf("stack trace on stderr: %q", msg)
			}
		})
	}
}

// TestTrainEvalPredictSummary runs the whole CLI path on a small CSV
// problem: train with --json, eval, predict to CSV and NPY, summary of the
// saved file.
func TestTrainEvalPredictSummary(t *testing.T) {
	dir := t.TempDir()
	spec := write(t, dir, "m.yaml", "input: [2]\nlayers:\n  - dense: {units: 8, activation: tanh}\n  - dense: {units: 2, activation: softmax}\n"+
		"compile:\n  optimizer: {adam: {learning_rate: 0.05}}\n  loss: sparse_categorical_crossentropy\n  metrics: [accuracy]\nfit: {epochs: 30, batch_size: 8}\n")
	var csv strings.Builder
	csv.WriteString("x,y,label\n")
	for i := 0; i < 64; i++ { // label = 1 when x > y: linearly separable
		x, y := float64(i%8)/8, float64(i/8)/8
		l := 0
		if x > y {
			l = 1
		}
		csv.WriteString(strings.Join([]string{ftoa(x), ftoa(y), itoa(l)}, ",") + "\n")
	}
	data := write(t, dir, "d.csv", csv.String())
	model := filepath.Join(dir, "m.deepgo")
	var out, errb bytes.Buffer
	if code := run([]string{"train", "--model", spec, "--data", "csv:" + data, "--out", model, "--json"}, &out, &errb); code != 0 {
		t.Fatalf("train: exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 30 || !strings.HasPrefix(lines[0], `{"epoch":1,"loss":`) {
		t.Fatalf("train --json printed %d lines, first %q; want 30 epoch objects", len(lines), lines[0])
	}
	out.Reset()
	if code := run([]string{"eval", "--model", model, "--data", "csv:" + data, "--json"}, &out, &errb); code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errb.String())
	}
	if !strings.HasPrefix(out.String(), `{"loss":`) || !strings.Contains(out.String(), `"accuracy":`) {
		t.Errorf("eval --json printed %q", out.String())
	}
	out.Reset()
	if code := run([]string{"predict", "--model", model, "--data", "csv:" + data}, &out, &errb); code != 0 {
		t.Fatalf("predict: exit %d: %s", code, errb.String())
	}
	if rows := strings.Split(strings.TrimSpace(out.String()), "\n"); len(rows) != 64 || strings.Count(rows[0], ",") != 1 {
		t.Errorf("predict printed %d rows (first %q), want 64 rows of 2 values", len(rows), rows[0])
	}
	npy := filepath.Join(dir, "p.npy")
	if code := run([]string{"predict", "--model", model, "--data", "csv:" + data, "--out", npy}, &out, &errb); code != 0 {
		t.Fatalf("predict npy: exit %d: %s", code, errb.String())
	}
	if b, err := os.ReadFile(npy); err != nil || !bytes.HasPrefix(b, []byte("\x93NUMPY")) {
		t.Errorf("predict --out p.npy did not write an NPY file: %v", err)
	}
	out.Reset()
	if code := run([]string{"summary", "--model", model}, &out, &errb); code != 0 || !strings.Contains(out.String(), "Total params: 42") {
		// 2·8+8 + 8·2+2 = 42 parameters
		t.Errorf("summary: exit %d, output %q", code, out.String())
	}
}

func ftoa(f float64) string {
	return strings.TrimRight(strings.TrimRight(sprintf("%.4f", f), "0"), ".")
}
func itoa(i int) string { return sprintf("%d", i) }

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }

func TestGraphCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"graph", "--model", "../../examples/specs/mnist-mlp.yaml"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"digraph G {", `label="input\n(1, 28, 28)"`, `label="dense.kernel\n(784, 256)"`, `label="softmax\n(1, 10)"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("graph output lacks %q:\n%s", want, out.String())
		}
	}
}
