package models_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/callbacks"
	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/models"
	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// courseMLP is the course's network: Flatten → Dense 256 → ReLU → Dense
// 128 ReLU → Dense 10 → Softmax.
func courseMLP() *models.Sequential {
	return models.NewSequential([]int{28, 28},
		layers.NewFlatten(),
		layers.NewDense(256), layers.NewReLU(),
		layers.NewDense(128, layers.WithActivation("relu")),
		layers.NewDense(10), layers.NewSoftmax())
}

func scce() losses.Loss {
	l, _ := losses.Get("sparse_categorical_crossentropy", nil)
	return l
}

func TestSummaryCourseModel(t *testing.T) {
	m := courseMLP()
	var b bytes.Buffer
	if err := m.Summary(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// Parameter counts: 784·256+256, 256·128+128, 128·10+10 (the figures);
	// sizes as Keras prints them, 4 bytes a float32 parameter in KiB: 235,146·4/1024.
	for _, want := range []string{
		`Model: "sequential"`,
		"│ flatten (Flatten)               │ (None, 784)            │             0 │",
		"│ dense (Dense)                   │ (None, 256)            │       200,960 │",
		"│ re_lu (ReLU)                    │ (None, 256)            │             0 │",
		"│ dense_1 (Dense)                 │ (None, 128)            │        32,896 │",
		"│ dense_2 (Dense)                 │ (None, 10)             │         1,290 │",
		"│ softmax (Softmax)               │ (None, 10)             │             0 │",
		" Total params: 235,146 (918.54 KB)",
		" Trainable params: 235,146 (918.54 KB)",
		" Non-trainable params: 0 (0.00 B)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q; got:\n%s", want, out)
		}
	}
}

// smallMNIST returns the first n training and test images.
func smallMNIST(t *testing.T, n int) (train, test *data.Dataset) {
	t.Helper()
	tr, err := data.LoadMNIST("train")
	if err != nil {
		t.Fatal(err)
	}
	te, err := data.LoadMNIST("test")
	if err != nil {
		t.Fatal(err)
	}
	return tr.Slice(0, n), te.Slice(0, 2000)
}

// TestEveryOptimizerTrainsCourseModel trains the course's model with each
// optimizer on 20,000 MNIST images for 2 epochs (batch 32) and requires > 90 % test
// accuracy.
func TestEveryOptimizerTrainsCourseModel(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST")
	}
	train, test := smallMNIST(t, 20000)
	cases := []struct {
		name string
		opt  optimizers.Optimizer
	}{
		{"sgd", optimizers.NewSGD(0.1, 0, false)},
		{"momentum", optimizers.NewSGD(0.05, 0.9, false)},
		{"nesterov", optimizers.NewSGD(0.05, 0.9, true)},
		{"adagrad", optimizers.NewAdagrad(0.05, 0.1, 1e-7)},
		{"rmsprop", optimizers.NewRMSprop(0.001, 0.9, 0, 1e-7, false)},
		{"adam", optimizers.NewAdam(0.001, 0.9, 0.999, 1e-7, false)},
		{"adamw", optimizers.NewAdamW(0.001, 0.004, 0.9, 0.999, 1e-7, false)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := courseMLP()
			if err := m.Compile(c.opt, scce(), "accuracy"); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Fit(train.X, train.Y, models.FitOptions{Epochs: 2, BatchSize: 32, Verbose: models.VerboseSilent}); err != nil {
				t.Fatal(err)
			}
			logs, err := m.Evaluate(test.X, test.Y, 500)
			if err != nil {
				t.Fatal(err)
			}
			acc, _ := logs.Get("accuracy")
			if acc < 0.90 {
				t.Errorf("%s: test accuracy %.4f, want > 0.90", c.name, acc)
			}
			t.Logf("%s: test accuracy %.4f", c.name, acc)
		})
	}
}

// stepCounter records how many steps each epoch ran.
type stepCounter struct {
	callbacks.Base
	steps []int
}

func (s *stepCounter) OnEpochEnd(epoch int, _ *callbacks.Logs) error {
	s.steps = append(s.steps, s.Params.Steps)
	return nil
}

func (s *stepCounter) OnBatchEnd(step int, _ *callbacks.Logs) error {
	if step >= s.Params.Steps {
		panic("step beyond Params.Steps")
	}
	return nil
}

// TestStepCounts checks Keras's step arithmetic: full batch (1 step),
// stochastic (batch 1: one step per sample) and mini-batch
// (ceil(n / batch)).
func TestStepCounts(t *testing.T) {
	n := 250
	x := tensor.Zeros(n, 3)
	y := tensor.Zeros(n)
	for _, c := range []struct{ batch, want int }{{n, 1}, {1, n}, {32, 8}, {100, 3}, {1000, 1}} {
		m := models.NewSequential([]int{3}, layers.NewDense(2, layers.WithActivation("softmax")))
		if err := m.Compile(optimizers.NewSGD(0.01, 0, false), scce()); err != nil {
			t.Fatal(err)
		}
		sc := &stepCounter{}
		if _, err := m.Fit(x, y, models.FitOptions{Epochs: 2, BatchSize: c.batch, Verbose: models.VerboseSilent, Callbacks: []callbacks.Callback{sc}}); err != nil {
			t.Fatal(err)
		}
		if len(sc.steps) != 2 || sc.steps[0] != c.want {
			t.Errorf("batch %d on %d samples: steps %v, want %d per epoch", c.batch, n, sc.steps, c.want)
		}
	}
}

// TestSaveLoadBitIdentical saves a trained model, loads it and checks that
// predictions are bit-identical.
func TestSaveLoadBitIdentical(t *testing.T) {
	train, test := smallMNIST(t, 1000)
	m := courseMLP()
	if err := m.Compile(optimizers.NewAdam(0.001, 0.9, 0.999, 1e-7, false), scce(), "accuracy"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(train.X, train.Y, models.FitOptions{Epochs: 1, BatchSize: 128, Verbose: models.VerboseSilent}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.deepgo")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	m2, err := models.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p1, err := m.Predict(test.X, 100)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := m2.Predict(test.X, 100)
	if err != nil {
		t.Fatal(err)
	}
	a, b := p1.Float32s(), p2.Float32s()
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Fatalf("prediction %d differs after load: %v vs %v", i, a[i], b[i])
		}
	}
	// Continuing training from the file matches continuing in memory.
	if m2.Optimizer().Iterations() != m.Optimizer().Iterations() {
		t.Errorf("optimizer iterations %d after load, want %d", m2.Optimizer().Iterations(), m.Optimizer().Iterations())
	}
	// A truncated file is rejected with an error naming it.
	raw, _ := os.ReadFile(path)
	bad := filepath.Join(t.TempDir(), "bad.deepgo")
	os.WriteFile(bad, raw[:len(raw)/2], 0o644)
	if _, err := models.Load(bad); err == nil || !strings.Contains(err.Error(), "bad.deepgo") {
		t.Errorf("truncated file: got %v, want an error naming the file", err)
	}
}

func TestFitErrors(t *testing.T) {
	m := courseMLP()
	if err := m.Compile(optimizers.NewSGD(0.01, 0, false), scce(), "accuracy"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		x, y *tensor.Tensor
		want string
	}{
		{tensor.Zeros(4, 784), tensor.Zeros(4), "does not fit the model's input"},
		{tensor.Zeros(4, 28, 28), tensor.Full(10, 4), "label 10 of sample 0 is out of range"},
		{tensor.Zeros(4, 28, 28), tensor.Zeros(4, 10), "do not match predictions"},
		{tensor.Zeros(4, 28, 28), tensor.Zeros(3), "4 inputs but 3 targets"},
	}
	for _, c := range cases {
		_, err := m.Fit(c.x, c.y, models.FitOptions{Verbose: models.VerboseSilent})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Fit(%v, %v): got %v, want error containing %q", c.x.Shape(), c.y.Shape(), err, c.want)
		}
	}
}

func TestFromSpecErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"input: [4]\nlayers:\n  - dense: {units: 3}\n  - convolution\n", "layer 2 (convolution)"},
		{"input: [4]\nlayers:\n  - dense: {units: 3, colour: red}\n", `unknown argument "colour"`},
		{"input: [4]\nlayers:\n  - dense: {units: 3}\ncompile:\n  optimizer: adamx\n  loss: mse\n", `adamx`},
		{"input: [4]\nlayers:\n  - dense: {units: 3}\ncompile:\n  optimizer: adam\n  loss: msq\n", `unknown loss "msq"`},
	}
	for _, c := range cases {
		s, err := spec.Parse([]byte(c.src), "m.yaml")
		if err == nil {
			_, err = models.FromSpec(s, 1)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("spec %q: got %v, want error containing %q", c.src, err, c.want)
		}
	}
}

// TestFitValidationInitialEpochClassWeight covers validation_split (val_
// entries in History), initial_epoch (epochs numbered from it) and
// class_weight (a class weighted 0 contributes no loss).
func TestFitValidationInitialEpochClassWeight(t *testing.T) {
	n := 40
	x := tensor.Zeros(n, 2)
	y := tensor.Zeros(n)
	for i := 0; i < n; i++ {
		x.Set(float64(i%2), i, 0)
		y.SetFlat(i, float64(i%2))
	}
	m := models.NewSequential([]int{2}, layers.NewDense(2, layers.WithActivation("softmax")))
	if err := m.Compile(optimizers.NewSGD(0.1, 0, false), scce(), "accuracy"); err != nil {
		t.Fatal(err)
	}
	h, err := m.Fit(x, y, models.FitOptions{Epochs: 3, InitialEpoch: 1, BatchSize: 8, ValidationSplit: 0.25, Verbose: models.VerboseSilent})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Epoch) != 2 || h.Epoch[0] != 1 || h.Epoch[1] != 2 {
		t.Errorf("epochs %v, want [1 2] (initial_epoch 1, epochs 3)", h.Epoch)
	}
	want := []string{"loss", "accuracy", "val_loss", "val_accuracy"}
	if strings.Join(h.Keys, ",") != strings.Join(want, ",") {
		t.Errorf("history keys %v, want %v", h.Keys, want)
	}
	// Every sample of class 0 and 1 weighted 0: the reported loss is 0.
	h, err = m.Fit(x, y, models.FitOptions{Epochs: 1, BatchSize: 8, ClassWeight: map[int]float64{0: 0, 1: 0}, Verbose: models.VerboseSilent})
	if err != nil {
		t.Fatal(err)
	}
	if l := h.Get("loss")[0]; l != 0 {
		t.Errorf("loss with all class weights 0 = %v, want 0", l)
	}
}

// TestProgressLineOutput checks the one-line-per-epoch output Fit prints
// when its output is not a terminal.
func TestProgressLineOutput(t *testing.T) {
	m := models.NewSequential([]int{2}, layers.NewDense(2, layers.WithActivation("softmax")))
	if err := m.Compile(optimizers.NewSGD(0.1, 0, false), scce(), "accuracy"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := m.Fit(tensor.Zeros(10, 2), tensor.Zeros(10), models.FitOptions{Epochs: 2, BatchSize: 3, Output: &out}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || lines[0] != "Epoch 1/2" || !strings.HasPrefix(lines[1], "4/4 - ") || !strings.Contains(lines[1], "accuracy: ") {
		t.Errorf("output %q, want Epoch lines and 4/4 steps (10 samples, batch 3)", out.String())
	}
}
