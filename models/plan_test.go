package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

type planCase struct {
	name    string
	input   []int
	layers  func() []layers.Layer
	loss    string
	args    spec.Args
	targets func(rng *rand.Rand, n int) *tensor.Tensor
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

var planCases = []planCase{
	{"course MLP", []int{6, 5}, func() []layers.Layer {
		return []layers.Layer{layers.NewFlatten(), layers.NewDense(16), layers.NewReLU(),
			layers.NewDense(8, layers.WithActivation("relu")), layers.NewDense(4), layers.NewSoftmax()}
	}, "sparse_categorical_crossentropy", nil, sparseTargets(4)},
	{"tanh sigmoid bce", []int{5}, func() []layers.Layer {
		return []layers.Layer{layers.NewDense(7, layers.WithActivation("tanh")), layers.NewDense(3, layers.WithActivation("sigmoid"))}
	}, "binary_crossentropy", nil, denseTargets(3)},
	{"dropout dense-softmax cce", []int{5}, func() []layers.Layer {
		return []layers.Layer{layers.NewDense(9, layers.WithActivation("relu")), layers.NewDropout(0.3),
			layers.NewDense(4, layers.WithActivation("softmax"))}
	}, "categorical_crossentropy", nil, oneHot(4)},
	{"leaky logits", []int{5}, func() []layers.Layer {
		return []layers.Layer{layers.NewDense(9), layers.NewLeakyReLU(0.3), layers.NewDense(4, layers.WithoutBias())}
	}, "sparse_categorical_crossentropy", spec.Args{{Name: "from_logits", Value: true}}, sparseTargets(4)},
	{"rank-3 dense", []int{3, 4}, func() []layers.Layer {
		return []layers.Layer{layers.NewDense(5, layers.WithActivation("sigmoid")), layers.NewFlatten(),
			layers.NewDense(3), layers.NewActivation("softmax")}
	}, "sparse_categorical_crossentropy", nil, sparseTargets(3)},
	{"mse regression", []int{4}, func() []layers.Layer {
		return []layers.Layer{layers.NewDense(6), layers.NewActivation("tanh"), layers.NewDense(2)}
	}, "mean_squared_error", nil, denseTargets(2)},
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

// TestPlanMatchesAutograd trains two copies of each model for a few steps,
// one through the layers' Kernels and one through the autograd graph, and
// requires the same losses, metrics and weights (to float32 rounding).
func TestPlanMatchesAutograd(t *testing.T) {
	for _, c := range planCases {
		t.Run(c.name, func(t *testing.T) {
			fast, ref := buildPlanModel(t, c), buildPlanModel(t, c)
			tf, tr := newTrainer(fast), newTrainer(ref)
			if tf.plan == nil {
				t.Fatal("no kernel plan for a model whose layers all have kernels")
			}
			tr.plan = nil
			rng := rand.New(rand.NewPCG(1, 2))
			for step, n := range []int{8, 8, 5} { // a partial last batch too
				x := tensor.Zeros(append([]int{n}, c.input...)...)
				for i, d := 0, x.Float32s(); i < len(d); i++ {
					d[i] = float32(rng.NormFloat64())
				}
				y := c.targets(rng, n)
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
			for i := range wf {
				a, b := wf[i].Float32s(), wr[i].Float32s()
				for j := range a {
					if math.Abs(float64(a[j]-b[j])) > 1e-5*(1+math.Abs(float64(b[j]))) {
						t.Fatalf("weight %d[%d]: %v (kernels) vs %v (autograd)", i, j, a[j], b[j])
					}
				}
			}
			// Inference agrees too.
			x := tensor.Zeros(append([]int{3}, c.input...)...)
			for i, d := 0, x.Float32s(); i < len(d); i++ {
				d[i] = float32(rng.NormFloat64())
			}
			pf, _ := fast.Predict(x, 2)
			fast.trainer.plan = nil
			pr, _ := fast.Predict(x, 2)
			for j, v := range pf.Float32s() {
				if math.Abs(float64(v-pr.Float32s()[j])) > 1e-6 {
					t.Fatalf("predict[%d]: %v (kernels) vs %v (autograd)", j, v, pr.Float32s()[j])
				}
			}
		})
	}
}

// TestTrainStepAllocatesNothing: a steady training step of the course's
// MLP on the kernel path allocates nothing.
func TestTrainStepAllocatesNothing(t *testing.T) {
	m := buildPlanModel(t, planCases[0])
	tr := newTrainer(m)
	rng := rand.New(rand.NewPCG(3, 4))
	x := tensor.Zeros(16, 6, 5)
	for i, d := 0, x.Float32s(); i < len(d); i++ {
		d[i] = float32(rng.NormFloat64())
	}
	y := sparseTargets(4)(rng, 16)
	if _, err := tr.step(x, y, nil); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := tr.step(x, y, nil); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per training step, want 0", allocs)
	}
}
