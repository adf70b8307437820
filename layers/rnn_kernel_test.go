package layers_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/layers/layertest"
	"github.com/deepgo-dev/deepgo/tensor"
)

// rnnMasks are the timestep masks the recurrent kernels are checked with
// (5 timesteps; 1 = real step). Row b of a batch takes pattern b mod the
// number of patterns.
var rnnMasks = []struct {
	name     string
	patterns [][5]float32
}{
	// Right-padded sequences of every length, the fully masked one included.
	{"right-padded", [][5]float32{{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {1, 0, 0, 0, 0}, {1, 1, 1, 1, 0}, {0, 0, 0, 0, 0}, {1, 1, 0, 0, 0}}},
	// A sample with nothing real in a batch of real ones.
	{"fully masked row", [][5]float32{{1, 1, 1, 1, 1}, {0, 0, 0, 0, 0}}},
	// Holes: a masked step between real ones, leading padding, both.
	{"holes", [][5]float32{{1, 1, 0, 1, 1}, {0, 1, 1, 0, 1}, {0, 0, 1, 1, 1}}},
}

// maskFunc returns the layertest.MaskFunc of the given patterns.
func maskFunc(patterns [][5]float32) layertest.MaskFunc {
	return func(n int, dt tensor.DType) *tensor.Tensor {
		m := tensor.New(dt, n, 5)
		for b := range n {
			for t, v := range patterns[b%len(patterns)] {
				m.Set(float64(v), b, t)
			}
		}
		return m
	}
}

// rnnKernelCases lists every recurrent layer in both directions, with and
// without return_sequences.
func rnnKernelCases() (names []string, makers []func() layers.Layer) {
	for _, kind := range []string{"simple_rnn", "lstm", "gru"} {
		for _, seq := range []bool{false, true} {
			for _, back := range []bool{false, true} {
				var opts []layers.RNNOption
				name := kind
				if seq {
					opts = append(opts, layers.ReturnSequences())
					name += " sequences"
				}
				if back {
					opts = append(opts, layers.GoBackwards())
					name += " backwards"
				}
				names = append(names, name)
				makers = append(makers, func() layers.Layer { return newRNN(kind, 6, opts...) })
			}
		}
	}
	return names, makers
}

// TestRNNKernel compares the kernels of SimpleRNN, LSTM and GRU with their
// Call (autograd) on batches of 3, 3 and 2, without a mask and with each
// of rnnMasks: outputs, input gradients and weight gradients.
func TestRNNKernel(t *testing.T) {
	names, makers := rnnKernelCases()
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			l := makers[i]()
			if err := l.Build([]int{5, 4}, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			if k, ok := l.(layers.Kernel); !ok || !k.Fast() {
				t.Fatal("the default configuration has no fast kernel")
			}
			layertest.CheckKernel(t, makers[i], []int{5, 4})
			for _, m := range rnnMasks {
				t.Run(m.name, func(t *testing.T) {
					layertest.CheckKernelMasked(t, makers[i], []int{5, 4}, maskFunc(m.patterns))
				})
			}
		})
	}
}

// TestRNNKernelActivations checks the kernels' general path, taken for
// activations other than Keras's tanh and sigmoid, against Call.
func TestRNNKernelActivations(t *testing.T) {
	for _, c := range []struct {
		name string
		make func() layers.Layer
	}{
		{"simple_rnn relu", func() layers.Layer { return layers.NewSimpleRNN(6, layers.WithRNNActivation("relu")) }},
		{"simple_rnn sigmoid", func() layers.Layer {
			return layers.NewSimpleRNN(6, layers.WithRNNActivation("sigmoid"), layers.ReturnSequences())
		}},
		{"lstm relu/tanh gates", func() layers.Layer {
			return layers.NewLSTM(6, layers.WithRNNActivation("relu"), layers.WithRecurrentActivation("tanh"))
		}},
		{"lstm linear", func() layers.Layer {
			return layers.NewLSTM(6, layers.WithRNNActivation("linear"), layers.GoBackwards())
		}},
		{"gru sigmoid/relu gates", func() layers.Layer {
			return layers.NewGRU(6, layers.WithRNNActivation("sigmoid"), layers.WithRecurrentActivation("relu"), layers.ReturnSequences())
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			layertest.CheckKernel(t, c.make, []int{5, 4})
			layertest.CheckKernelMasked(t, c.make, []int{5, 4}, maskFunc(rnnMasks[2].patterns))
		})
	}
}

// TestRNNKernelChunks runs the kernel comparison, in training and in
// inference, on batches that the kernels cut into several chunks of rows
// (run on parallel goroutines), the last one partial, with 4 threads: 1,
// 17, 70 and 300 samples.
func TestRNNKernelChunks(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	names, makers := rnnKernelCases()
	sizes := []int{1, 17, 70, 300}
	if testing.Short() {
		sizes = []int{17, 70}
	}
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			fast, ref := makers[i](), makers[i]()
			for _, l := range []layers.Layer{fast, ref} {
				l.SetName("k")
				if err := l.Build([]int{5, 4}, rand.New(rand.NewPCG(5, 6))); err != nil {
					t.Fatal(err)
				}
			}
			for _, n := range sizes {
				for _, m := range []layertest.MaskFunc{nil, maskFunc(rnnMasks[0].patterns), maskFunc(rnnMasks[2].patterns)} {
					compareKernel(t, fast, ref, n, m)
				}
			}
		})
	}
}

// compareKernel runs one batch of n samples through fast's Kernel and
// ref's Call and compares output, input gradient and weight gradients, as
// layertest.CheckKernelMasked does for its fixed batch sizes, but with ref
// in float64: the weight gradients sum n·5 rows, and two float32 sums in
// different orders (the kernel's rows are time-major, Call's batch-major)
// differ by more than layertest's tolerance at a few hundred samples.
func compareKernel(t *testing.T, fast, ref layers.Layer, n int, mask layertest.MaskFunc) {
	t.Helper()
	fw, rw := fast.Weights(), ref.Weights()
	for i := range rw {
		rw[i].Value.Data = fw[i].Value.Data.AsType(tensor.Float64)
	}
	rng := rand.New(rand.NewPCG(uint64(n), 3))
	x := tensor.Zeros(append([]int{n}, 5, 4)...)
	for i, d := 0, x.Float32s(); i < len(d); i++ {
		d[i] = float32(rng.NormFloat64())
	}
	var m32, m64 *tensor.Tensor
	if mask != nil {
		m32, m64 = mask(n, tensor.Float32), mask(n, tensor.Float64)
	}
	xv := autograd.Param(x.AsType(tensor.Float64), "x")
	yref := ref.Call(&layers.Context{Training: true, Mask: m64}, xv)
	r := tensor.ZerosLike(yref.Data)
	for i := range r.Len() {
		r.SetFlat(i, math.Sin(float64(i)))
	}
	for _, w := range rw {
		w.Value.ZeroGrad()
	}
	autograd.Backward(autograd.Sum(autograd.Mul(yref, autograd.Const(r)), false))
	k := fast.(layers.Kernel)
	what := fmt.Sprintf("batch %d, mask %v", n, mask != nil)
	// Inference takes another path (step-by-step projection, states
	// updated in place): the same output.
	closeTo(t, what+": inference output", k.Forward(&layers.Context{Mask: m32}, x), yref.Data, 1e-5)
	y := k.Forward(&layers.Context{Training: true, Mask: m32}, x)
	// float32 sums of many terms: allow √(terms/100) times layertest's
	// relative 1e-5.
	scale := math.Sqrt(max(1, float64(n*5)/100))
	closeTo(t, what+": output", y, yref.Data, 1e-5)
	dx := k.Backward(r.AsType(tensor.Float32), true)
	closeTo(t, what+": input gradient", dx, xv.Grad, 1e-5)
	for i := range fw {
		closeTo(t, what+": "+fw[i].Name+" gradient", fw[i].Value.Grad, rw[i].Value.Grad, 1e-5*scale)
	}
}

// closeTo requires |got − want| ≤ tol·(1 + |want|) elementwise.
func closeTo(t *testing.T, what string, got, want *tensor.Tensor, tol float64) {
	t.Helper()
	if !tensor.SameShape(got.Shape(), want.Shape()) {
		t.Fatalf("%s: shape %v from the kernel, %v from Call", what, got.Shape(), want.Shape())
	}
	g, w := got.Values(), want.Values()
	for i := range g {
		if math.Abs(g[i]-w[i]) > tol*(1+math.Abs(w[i])) {
			t.Fatalf("%s[%d] = %v from the kernel, %v from Call (float64)", what, i, g[i], w[i])
		}
	}
}

// TestRNNKernelFast checks which configurations fall back to autograd.
func TestRNNKernelFast(t *testing.T) {
	build := func(l layers.Layer) layers.Kernel {
		l.SetName("k")
		if err := l.Build([]int{5, 4}, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		return l.(layers.Kernel)
	}
	for _, c := range []struct {
		name string
		l    layers.Layer
		want bool
	}{
		{"lstm", layers.NewLSTM(3), true},
		{"gru", layers.NewGRU(3), true},
		{"simple_rnn relu", layers.NewSimpleRNN(3, layers.WithRNNActivation("relu")), true},
		{"lstm hard gates", layers.NewLSTM(3, layers.WithRecurrentActivation("relu")), true},
		{"lstm elu", layers.NewLSTM(3, layers.WithRNNActivation("elu")), false},
		{"simple_rnn softmax", layers.NewSimpleRNN(3, layers.WithRNNActivation("softmax")), false},
	} {
		if got := build(c.l).Fast(); got != c.want {
			t.Errorf("%s: Fast() = %v, want %v", c.name, got, c.want)
		}
	}
	l := layers.NewLSTM(3)
	k := build(l)
	l.Dropout = 0.2
	if k.Fast() {
		t.Error("LSTM with dropout: Fast() = true, want false")
	}
	l.Dropout, l.RecurrentDropout = 0, 0.2
	if k.Fast() {
		t.Error("LSTM with recurrent_dropout: Fast() = true, want false")
	}
	g := layers.NewGRU(3)
	k = build(g)
	for _, w := range g.Weights() {
		w.Value.Data = w.Value.Data.AsType(tensor.Float64)
	}
	if k.Fast() {
		t.Error("float64 GRU: Fast() = true, want false")
	}
}

// TestRNNKernelAllocatesNothing: once its buffers are sized, a masked
// Forward and Backward of each recurrent layer allocates nothing, also
// when full batches alternate with a smaller last one (as in an epoch).
func TestRNNKernelAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	_, makers := rnnKernelCases()
	for _, mk := range makers {
		l := mk()
		l.SetName("k")
		if err := l.Build([]int{5, 4}, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		k := l.(layers.Kernel)
		type batch struct {
			x, dy *tensor.Tensor
			ctx   *layers.Context
		}
		var batches []batch
		for _, n := range []int{40, 33} {
			batches = append(batches, batch{
				x:   layertest.Input(n, n, 5, 4).AsType(tensor.Float32),
				dy:  tensor.Zeros(append([]int{n}, l.OutputShape()...)...),
				ctx: &layers.Context{Training: true, Mask: maskFunc(rnnMasks[2].patterns)(n, tensor.Float32)},
			})
		}
		run := func() {
			for _, b := range batches {
				k.Forward(b.ctx, b.x)
				k.Backward(b.dy, true)
			}
		}
		run()
		if allocs := testing.AllocsPerRun(10, run); allocs != 0 {
			t.Errorf("%s %v: %.1f allocations per two Forward+Backward, want 0", l.ClassName(), l.Config(), allocs)
		}
	}
}
