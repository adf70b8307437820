package models

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
)

// convPlanCases are convolutional models; they join TestPlanMatchesAutograd
// (init below), whose kernel path must train exactly as its autograd path.
var convPlanCases = []planCase{
	{"conv2d cnn", []int{7, 6, 2}, func() []layers.Layer {
		return []layers.Layer{
			layers.NewConv2D(4, []int{3}, layers.ConvActivation("relu"), layers.ConvPadding("same"), layers.ConvStrides(2)),
			layers.NewConv2D(3, []int{2}, layers.ConvActivation("tanh"), layers.ConvDilationRate(2)),
			layers.NewFlatten(), layers.NewDense(4, layers.WithActivation("softmax")),
		}
	}, "sparse_categorical_crossentropy", nil, sparseTargets(4)},
	{"conv1d causal", []int{9, 3}, func() []layers.Layer {
		return []layers.Layer{
			layers.NewConv1D(5, 3, layers.ConvPadding("causal"), layers.ConvDilationRate(2), layers.ConvActivation("relu")),
			layers.NewConv1D(2, 2, layers.ConvStrides(2), layers.ConvActivation("sigmoid")),
		}
	}, "binary_crossentropy", nil, denseTargets(4, 2)},
	miniConvnet,
}

func init() { planCases = append(planCases, convPlanCases...) }

// miniConvnet is mnist-cnn in small: where the CPU has the assembly
// kernels, its first convolution and pooling run fused (layers.ConvPool)
// and its second convolution as Winograd.
var miniConvnet = planCase{"mini convnet", []int{12, 12, 1}, func() []layers.Layer {
	return []layers.Layer{
		layers.NewConv2D(16, []int{3}, layers.ConvActivation("relu")), layers.NewMaxPooling2D(),
		layers.NewConv2D(16, []int{3}, layers.ConvActivation("relu")), layers.NewMaxPooling2D(),
		layers.NewFlatten(), layers.NewDropout(0.5), layers.NewDense(3, layers.WithActivation("softmax")),
	}
}, "sparse_categorical_crossentropy", nil, sparseTargets(3)}

// TestFusedConvPoolTrainsAsUnfused: with the first convolution and pooling
// fused, training and prediction give the bits of the layers' own Kernels.
func TestFusedConvPoolTrainsAsUnfused(t *testing.T) {
	run := func(fuse bool) (*Sequential, []float32) {
		defer func(old bool) { fuseConvPool = old }(fuseConvPool)
		fuseConvPool = fuse
		m := buildPlanModel(t, miniConvnet)
		tr := newTrainer(m)
		if _, fused := tr.plan.ks[0].(*layers.ConvPool); fused != fuse {
			t.Skipf("fuse=%v: the plan's first kernel is %T (no direct convolution on this CPU)", fuse, tr.plan.ks[0])
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for _, n := range []int{8, 8, 5} {
			if _, err := tr.step(normalBatch(rng, n, miniConvnet.input), miniConvnet.targets(rng, n), nil); err != nil {
				t.Fatal(err)
			}
		}
		p, err := m.Predict(normalBatch(rng, 6, miniConvnet.input), 4)
		if err != nil {
			t.Fatal(err)
		}
		return m, p.Float32s()
	}
	mf, pf := run(true)
	mu, pu := run(false)
	wf, wu := mf.GetWeights(), mu.GetWeights()
	for i := range wf {
		if !slices.Equal(wf[i].Float32s(), wu[i].Float32s()) {
			t.Fatalf("weight %d differs after training fused and unfused", i)
		}
	}
	if !slices.Equal(pf, pu) {
		t.Fatal("predictions differ fused and unfused")
	}
}

// TestSummaryConv checks the rows Keras's summary prints for the
// convolutions of its "simple MNIST convnet" (keras.io/examples/vision/
// mnist_convnet): 320 and 18,496 parameters. Without its pooling layers
// the second convolution sees (26, 26, 32) rather than (13, 13, 32), which
// changes its output shape but not its parameter count.
func TestSummaryConv(t *testing.T) {
	m := NewSequential([]int{28, 28, 1},
		layers.NewConv2D(32, []int{3, 3}, layers.ConvActivation("relu")),
		layers.NewConv2D(64, []int{3, 3}, layers.ConvActivation("relu")),
		layers.NewFlatten(),
		layers.NewDense(10, layers.WithActivation("softmax")))
	var b bytes.Buffer
	if err := m.Summary(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │",
		"│ conv2d_1 (Conv2D)               │ (None, 24, 24, 64)     │        18,496 │",
		"│ flatten (Flatten)               │ (None, 36864)          │             0 │",
		"│ dense (Dense)                   │ (None, 10)             │       368,650 │", // 36,864·10 + 10
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q; got:\n%s", want, out)
		}
	}
}

// TestSaveLoadConv: a model file rebuilds convolutions from their Keras
// config (tuples, padding, dilation) and predicts bit-identically.
func TestSaveLoadConv(t *testing.T) {
	for _, c := range convPlanCases {
		t.Run(c.name, func(t *testing.T) {
			checkSaveLoad(t, buildPlanModel(t, c), normalBatch(rand.New(rand.NewPCG(5, 6)), 4, c.input))
		})
	}
}

// TestPredictChunks: Predict on the kernel path runs a batch in slices
// that keep each layer's output in cache (plan.predictChunk); the outputs
// are those of one pass over the whole batch, bit for bit.
func TestPredictChunks(t *testing.T) {
	for _, c := range convPlanCases {
		m := buildPlanModel(t, c)
		x := normalBatch(rand.New(rand.NewPCG(5, 6)), 70, c.input)
		p := m.kernelPlan()
		if p == nil {
			t.Fatalf("%s: no kernel plan", c.name)
		}
		p.predictChunk = 70
		whole, err := m.Predict(x, 70)
		if err != nil {
			t.Fatal(err)
		}
		p.predictChunk = 16 // 16, 16, 16, 16, 6
		sliced, err := m.Predict(x, 70)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(whole.Float32s(), sliced.Float32s()) {
			t.Errorf("%s: Predict in slices of 16 differs from one pass", c.name)
		}
	}
}
