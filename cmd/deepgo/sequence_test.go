package main

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/tensor"
)

// epochLosses runs train --json and returns the "loss" (or key) of each
// epoch line.
func epochLosses(t *testing.T, args []string, key string) []float64 {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(append(args, "--json"), &out, &errb); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errb.String())
	}
	var losses []float64
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		if v, ok := obj[key].(float64); ok {
			losses = append(losses, v)
		}
	}
	return losses
}

// TestTrainLSTMOnNPYSequences trains an LSTM end to end from NPY files of
// shape (samples, timesteps, features), the layout Keras's recurrent layers
// take: the target is the mean over time of feature 0 minus feature 1.
func TestTrainLSTMOnNPYSequences(t *testing.T) {
	const n, steps, features = 128, 6, 2
	rng := rand.New(rand.NewPCG(3, 4))
	x := tensor.Zeros(n, steps, features)
	y := tensor.Zeros(n, 1)
	for i := range n {
		var s float64
		for j := range steps {
			a, b := rng.NormFloat64(), rng.NormFloat64()
			x.Set(a, i, j, 0)
			x.Set(b, i, j, 1)
			s += a - b
		}
		y.Set(s/steps, i, 0)
	}
	dir := t.TempDir()
	xPath, yPath := filepath.Join(dir, "x.npy"), filepath.Join(dir, "y.npy")
	if err := data.SaveNPY(xPath, x); err != nil {
		t.Fatal(err)
	}
	if err := data.SaveNPY(yPath, y); err != nil {
		t.Fatal(err)
	}
	spec := write(t, dir, "lstm.yaml", "input: [6, 2]\nlayers:\n  - lstm: {units: 16}\n  - dense: {units: 1}\n"+
		"compile:\n  optimizer: {adam: {learning_rate: 0.01}}\n  loss: mse\n  metrics: [mae]\nfit: {epochs: 30, batch_size: 16}\n")
	model := filepath.Join(dir, "lstm.deepgo")
	form := "npy:" + xPath + "," + yPath
	losses := epochLosses(t, []string{"train", "--model", spec, "--data", form, "--out", model}, "loss")
	if len(losses) != 30 {
		t.Fatalf("got %d epoch losses, want 30", len(losses))
	}
	// The targets' variance is 2/6 ≈ 0.33 (a mean of 6 differences of unit
	// normals), the mse of always predicting 0; a model that learned the
	// sum does far better.
	t.Logf("losses %.4f … %.4f", losses[0], losses[len(losses)-1])
	if last := losses[len(losses)-1]; !(last < losses[0]/4 && last < 0.05) {
		t.Errorf("mse went from %.4f to %.4f in 30 epochs; want below a quarter and below 0.05", losses[0], last)
	}
	var out, errb bytes.Buffer
	npy := filepath.Join(dir, "p.npy")
	if code := run([]string{"predict", "--model", model, "--data", "npy:" + xPath, "--out", npy}, &out, &errb); code != 0 {
		t.Fatalf("predict: exit %d: %s", code, errb.String())
	}
	if p, err := data.LoadNPY(npy); err != nil || p.Dim(0) != n || p.Dim(1) != 1 {
		t.Errorf("predict wrote %v (%v), want shape (%d, 1)", p, err, n)
	}
}

// TestTrainSeriesForm trains on the series: form with a chronological
// validation subset and checks that validation metrics are reported.
func TestTrainSeriesForm(t *testing.T) {
	dir := t.TempDir()
	var csv strings.Builder
	csv.WriteString("t,value\n")
	for i := range 200 {
		csv.WriteString(itoa(i) + "," + ftoa(math.Sin(float64(i)/5)) + "\n")
	}
	path := write(t, dir, "sine.csv", csv.String())
	spec := write(t, dir, "f.yaml", "input: [10, 1]\nlayers:\n  - lstm: {units: 8}\n  - dense: {units: 1}\n"+
		"compile:\n  optimizer: {adam: {learning_rate: 0.01}}\n  loss: mse\n  metrics: [mae]\nfit: {epochs: 10, batch_size: 16}\n")
	form := "series:" + path + ",window=10,column=value,validation_split=0.25,subset="
	val := epochLosses(t, []string{"train", "--model", spec, "--data", form + "training", "--val", form + "validation",
		"--out", filepath.Join(dir, "f.deepgo")}, "val_mae")
	if len(val) != 10 {
		t.Fatalf("got %d epochs with val_mae, want 10", len(val))
	}
	t.Logf("val_mae %.4f … %.4f", val[0], val[len(val)-1])
	if val[len(val)-1] >= val[0] {
		t.Errorf("val_mae went from %.4f to %.4f; want it to fall", val[0], val[len(val)-1])
	}
}

// TestTrainSunspotsExample runs the built-in forecasting example from a
// directory without its data file: the data comes from the binary.
func TestTrainSunspotsExample(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	var out, errb bytes.Buffer
	if code := run([]string{"train", "--example", "sunspots", "--epochs", "2", "--out", filepath.Join(dir, "s.deepgo")}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "Test (series:sunspots/sunspots.csv") || !strings.Contains(out.String(), "50 samples") {
		t.Errorf("output %q, want a test line on 50 windows", out.String())
	}
}
