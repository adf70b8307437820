package models

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Helpers shared by the kernel-path tests (plan_test.go, conv_test.go,
// rnn_plan_test.go, seq_test.go): a model recipe, its inputs and targets,
// and the checks every recipe must pass.

// planCase is a model recipe: input shape per sample, a fresh set of
// layers, a loss and a generator of targets.
type planCase struct {
	name    string
	input   []int
	layers  func() []layers.Layer
	loss    string
	args    spec.Args
	targets func(rng *rand.Rand, n int) *tensor.Tensor
}

// weightTol is the weight tolerance of checkPlanMatchesAutograd (else
// 1e-5) for models whose kernels round differently enough from the
// autograd graph for Adam to show it: Adam's first steps divide each
// gradient by its own magnitude, so a component that cancels to near zero
// moves by up to the learning rate whatever its rounding. Winograd's
// convolution (the mini convnet's second layer) is as accurate as im2col +
// GEMM against float64 (mnist-cnn's second layer, batch 8: relative errors
// 3e-7 against 6e-7 forward, 3e-7 against 2e-7 for dx, 3e-7 against 7e-7
// for dkernel), but not the same bits as the graph's sums.
var weightTol = map[string]float64{"mini convnet": 1e-4}

// batchFunc returns n inputs of the given shape per sample.
type batchFunc func(rng *rand.Rand, n int, shape []int) *tensor.Tensor

// normalBatch fills n samples with standard normal values.
func normalBatch(rng *rand.Rand, n int, shape []int) *tensor.Tensor {
	x := tensor.Zeros(append([]int{n}, shape...)...)
	for i, d := 0, x.Float32s(); i < len(d); i++ {
		d[i] = float32(rng.NormFloat64())
	}
	return x
}

func sparseTargets(classes int) func(*rand.Rand, int) *tensor.Tensor {
	return func(rng *rand.Rand, n int) *tensor.Tensor {
		y := tensor.Zeros(n)
		for i := 0; i < n; i++ {
			y.SetFlat(i, float64(rng.IntN(classes)))
		}
		return y
	}
}

func denseTargets(shape ...int) func(*rand.Rand, int) *tensor.Tensor {
	return func(rng *rand.Rand, n int) *tensor.Tensor {
		y := tensor.Zeros(append([]int{n}, shape...)...)
		for i, d := 0, y.Float32s(); i < len(d); i++ {
			d[i] = float32(rng.IntN(2))
		}
		return y
	}
}

func oneHot(classes int) func(*rand.Rand, int) *tensor.Tensor {
	return func(rng *rand.Rand, n int) *tensor.Tensor {
		y := tensor.Zeros(n, classes)
		for i := 0; i < n; i++ {
			y.Set(1, i, rng.IntN(classes))
		}
		return y
	}
}

func buildPlanModel(t testing.TB, c planCase) *Sequential {
	m := NewSequential(c.input, c.layers()...)
	m.SetSeed(7)
	loss, err := losses.Get(c.loss, c.args)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Compile(optimizers.NewAdam(0.01, 0.9, 0.999, 1e-7, false), loss, "accuracy"); err != nil {
		t.Fatal(err)
	}
	return m
}

// checkPlanMatchesAutograd trains two copies of each model for a few
// steps, one through the layers' Kernels and one through the autograd
// graph, and requires the same losses, metrics, weights and predictions
// (to float32 rounding).
func checkPlanMatchesAutograd(t *testing.T, cases []planCase, batch batchFunc) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fast, ref := buildPlanModel(t, c), buildPlanModel(t, c)
			tf, tr := newTrainer(fast), newTrainer(ref)
			if tf.plan == nil {
				t.Fatal("no kernel plan for a model whose layers all have kernels")
			}
			tr.plan = nil
			rng := rand.New(rand.NewPCG(1, 2))
			for step, n := range []int{8, 8, 5} { // a partial last batch too
				x, y := batch(rng, n, c.input), c.targets(rng, n)
				lf, err := tf.step(x, y, nil)
				if err != nil {
					t.Fatal(err)
				}
				lr, err := tr.step(x, y, nil)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(lf-lr) > 1e-5*(1+math.Abs(lr)) {
					t.Fatalf("step %d: loss %.8g on the kernel path, %.8g on the autograd path", step, lf, lr)
				}
			}
			if a, b := fast.metrics[0].Result(), ref.metrics[0].Result(); math.Abs(a-b) > 1e-9 {
				t.Errorf("accuracy %v vs %v", a, b)
			}
			wf, wr := fast.GetWeights(), ref.GetWeights()
			tol := 1e-5
			if t, ok := weightTol[c.name]; ok {
				tol = t
			}
			for i := range wf {
				a, b := wf[i].Float32s(), wr[i].Float32s()
				for j := range a {
					if math.Abs(float64(a[j]-b[j])) > tol*(1+math.Abs(float64(b[j]))) {
						t.Fatalf("weight %s[%d]: %v (kernels) vs %v (autograd)", fast.Weights()[i].Value.Name, j, a[j], b[j])
					}
				}
			}
			// Inference agrees too.
			x := batch(rng, 5, c.input)
			pf, err := fast.Predict(x, 2)
			if err != nil {
				t.Fatal(err)
			}
			fast.trainer.plan = nil
			pr, err := fast.Predict(x, 2)
			if err != nil {
				t.Fatal(err)
			}
			for j, v := range pf.Float32s() {
				if math.Abs(float64(v-pr.Float32s()[j])) > 1e-6 {
					t.Fatalf("predict[%d]: %v (kernels) vs %v (autograd)", j, v, pr.Float32s()[j])
				}
			}
		})
	}
}

// checkStepAllocatesNothing: a steady training step of the model on the
// kernel path, batch 16, allocates nothing.
func checkStepAllocatesNothing(t *testing.T, c planCase, batch batchFunc) {
	t.Helper()
	if raceDetectorOn {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	tr := newTrainer(buildPlanModel(t, c))
	if tr.plan == nil {
		t.Fatalf("%s: no kernel plan", c.name)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	x, y := batch(rng, 16, c.input), c.targets(rng, 16)
	if _, err := tr.step(x, y, nil); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := tr.step(x, y, nil); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%s: %.1f allocations per training step, want 0", c.name, allocs)
	}
}

// checkSaveLoad saves m to a model file, loads it back, requires
// bit-identical predictions on x and returns the loaded model.
func checkSaveLoad(t *testing.T, m *Sequential, x *tensor.Tensor) *Sequential {
	t.Helper()
	path := filepath.Join(t.TempDir(), "model.deepgo")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p1, err := m.Predict(x, 4)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := loaded.Predict(x, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range p1.Float32s() {
		if w := p2.Float32s()[i]; math.Float32bits(v) != math.Float32bits(w) {
			t.Fatalf("prediction %d: %v before saving, %v after loading", i, v, w)
		}
	}
	return loaded
}

// checkLearns compiles m with loss and Adam at 0.01, requires it to run on
// the kernel path, fits it to (x, y) in batches of 32 and requires an
// accuracy of at least 0.9 on (xt, yt), which what names in messages.
func checkLearns(t *testing.T, m *Sequential, loss string, epochs int, x, y, xt, yt *tensor.Tensor, what string) {
	t.Helper()
	l, err := losses.Get(loss, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Compile(optimizers.NewAdam(0.01, 0.9, 0.999, 1e-7, false), l, "accuracy"); err != nil {
		t.Fatal(err)
	}
	if m.kernelPlan() == nil {
		t.Fatal("the model does not run on the kernel path")
	}
	if _, err := m.Fit(x, y, FitOptions{Epochs: epochs, BatchSize: 32, Verbose: VerboseSilent}); err != nil {
		t.Fatal(err)
	}
	logs, err := m.Evaluate(xt, yt, 128)
	if err != nil {
		t.Fatal(err)
	}
	acc, _ := logs.Get("accuracy")
	t.Logf("accuracy on %s %.3f", what, acc)
	if acc < 0.9 {
		t.Errorf("accuracy %.3f on %s after %d epochs, want ≥ 0.9", acc, what, epochs)
	}
}
