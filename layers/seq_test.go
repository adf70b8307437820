package layers_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/layers/layertest"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// seqMasks are timestep masks of 5 steps (1 = real step); row b of a batch
// takes pattern b mod the number of patterns.
var seqMasks = []struct {
	name     string
	patterns [][]float64
}{
	{"right-padded", [][]float64{{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}, {1, 0, 0, 0, 0}}},
	{"holes", [][]float64{{1, 0, 1, 1, 0}, {0, 0, 1, 1, 1}}},
}

func seqMaskFunc(patterns [][]float64) layertest.MaskFunc {
	return func(n int, dt tensor.DType) *tensor.Tensor {
		steps := len(patterns[0])
		m := tensor.New(dt, n, steps)
		for b := range n {
			for t, v := range patterns[b%len(patterns)] {
				m.Set(v, b, t)
			}
		}
		return m
	}
}

// lengthMask is the right-padded mask of the given lengths.
func lengthMask(lengths []int, steps int, dt tensor.DType) *tensor.Tensor {
	m := tensor.New(dt, len(lengths), steps)
	for b, n := range lengths {
		for t := range n {
			m.Set(1, b, t)
		}
	}
	return m
}

// rnnConfig is a way a recurrent layer reads and returns.
type rnnConfig struct {
	name string
	opts []layers.RNNOption
}

// rnnConfigs are the four ways: both directions, with and without
// return_sequences.
var rnnConfigs = []rnnConfig{
	{"last", nil},
	{"sequences", []layers.RNNOption{layers.ReturnSequences()}},
	{"backwards", []layers.RNNOption{layers.GoBackwards()}},
	{"backwards sequences", []layers.RNNOption{layers.GoBackwards(), layers.ReturnSequences()}},
}

// TestRNNMaskedConformance runs the shared checks (shapes, config round
// trip, float64 finite-difference gradients) on each recurrent layer in
// both directions, with and without return_sequences, under each mask.
func TestRNNMaskedConformance(t *testing.T) {
	for _, kind := range []string{"simple_rnn", "lstm", "gru"} {
		for _, c := range rnnConfigs {
			for _, m := range seqMasks {
				t.Run(kind+" "+c.name+" "+m.name, func(t *testing.T) {
					layertest.CheckMasked(t, newRNN(kind, 3, c.opts...), []int{5, 2}, seqMaskFunc(m.patterns))
				})
			}
		}
	}
}

// TestBidirectionalConformance runs the shared checks and the kernel check
// on Bidirectional around each recurrent layer: every merge mode, with and
// without return_sequences, with and without a mask.
func TestBidirectionalConformance(t *testing.T) {
	type bcase struct {
		mode string
		seq  bool
		mask [][]float64
	}
	cases := []bcase{{"concat", false, nil}, {"concat", true, seqMasks[0].patterns}, {"sum", true, seqMasks[1].patterns},
		{"mul", true, seqMasks[0].patterns}, {"ave", false, seqMasks[1].patterns}, {"mul", false, nil}}
	for _, kind := range []string{"simple_rnn", "lstm", "gru"} {
		for _, c := range cases {
			name := fmt.Sprintf("%s %s seq=%v mask=%v", kind, c.mode, c.seq, c.mask != nil)
			mk := func() layers.Layer {
				var opts []layers.RNNOption
				if c.seq {
					opts = append(opts, layers.ReturnSequences())
				}
				return layers.NewBidirectional(newRNN(kind, 3, opts...), layers.WithMergeMode(c.mode))
			}
			var mask layertest.MaskFunc
			if c.mask != nil {
				mask = seqMaskFunc(c.mask)
			}
			t.Run(name, func(t *testing.T) {
				layertest.CheckMasked(t, mk(), []int{5, 2}, mask)
				layertest.CheckKernelMasked(t, mk, []int{5, 2}, mask)
			})
		}
	}
	// A backward layer given explicitly, with its own activation.
	t.Run("backward_layer", func(t *testing.T) {
		mk := func() layers.Layer {
			return layers.NewBidirectional(layers.NewGRU(3, layers.ReturnSequences()),
				layers.WithBackwardLayer(layers.NewGRU(3, layers.ReturnSequences(), layers.GoBackwards(), layers.WithRNNActivation("relu"))))
		}
		layertest.CheckMasked(t, mk(), []int{5, 2}, seqMaskFunc(seqMasks[0].patterns))
		layertest.CheckKernelMasked(t, mk, []int{5, 2}, seqMaskFunc(seqMasks[0].patterns))
	})
}

// TestBidirectionalKernelFast checks that Bidirectional runs as a Kernel
// exactly when both of its layers do.
func TestBidirectionalKernelFast(t *testing.T) {
	for _, c := range []struct {
		opts []layers.RNNOption
		want bool
	}{{nil, true}, {[]layers.RNNOption{layers.WithRNNDropout(0.2)}, false}} {
		l := layers.NewBidirectional(layers.NewLSTM(3, c.opts...))
		if err := l.Build([]int{4, 2}, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		inner := l.ForwardLayer.(layers.Kernel).Fast()
		if got := l.Fast(); got != c.want || got != inner {
			t.Errorf("Bidirectional(LSTM %v).Fast() = %v, want %v (the LSTM's: %v)", c.opts, got, c.want, inner)
		}
	}
}

// TestWrapperWeightNames checks Keras 3's weight paths, with dots.
func TestWrapperWeightNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	b := layers.NewBidirectional(layers.NewLSTM(2))
	b.SetName("bidirectional")
	if err := b.Build([]int{3, 2}, rng); err != nil {
		t.Fatal(err)
	}
	td := layers.NewTimeDistributed(layers.NewDense(2))
	td.SetName("time_distributed")
	if err := td.Build([]int{3, 2}, rng); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range append(b.Weights(), td.Weights()...) {
		got = append(got, w.Value.Name)
	}
	want := []string{"bidirectional.forward_lstm.kernel", "bidirectional.forward_lstm.recurrent_kernel", "bidirectional.forward_lstm.bias",
		"bidirectional.backward_lstm.kernel", "bidirectional.backward_lstm.recurrent_kernel", "bidirectional.backward_lstm.bias",
		"time_distributed.dense.kernel", "time_distributed.dense.bias"}
	if !slices.Equal(got, want) {
		t.Errorf("weight names:\n got %v\nwant %v", got, want)
	}
}

// TestTimeDistributed checks the shared contract and the kernel, and that
// TimeDistributed(Dense) equals Dense on every timestep.
func TestTimeDistributed(t *testing.T) {
	mk := func() layers.Layer {
		return layers.NewTimeDistributed(layers.NewDense(3, layers.WithActivation("tanh")))
	}
	layertest.CheckMasked(t, mk(), []int{5, 2}, seqMaskFunc(seqMasks[0].patterns))
	layertest.CheckKernelMasked(t, mk, []int{5, 2}, seqMaskFunc(seqMasks[0].patterns))
	layertest.CheckKernel(t, func() layers.Layer { return layers.NewTimeDistributed(layers.NewDropout(0.3)) }, []int{4, 3})
	// A recurrent layer over the second axis of (4, 5, 2) samples.
	layertest.Check(t, layers.NewTimeDistributed(layers.NewGRU(2)), []int{3, 4, 2})

	rng := rand.New(rand.NewPCG(1, 2))
	td := layers.NewTimeDistributed(layers.NewDense(3))
	td.SetName("td")
	if err := td.Build([]int{5, 2}, rng); err != nil {
		t.Fatal(err)
	}
	d := layers.NewDense(3)
	d.SetName("d")
	if err := d.Build([]int{2}, rng); err != nil {
		t.Fatal(err)
	}
	for i, w := range d.Weights() {
		w.Value.Data.CopyFrom(td.Weights()[i].Value.Data)
	}
	x := autograd.Const(layertest.Input(3, 2, 5, 2).AsType(tensor.Float32))
	got := td.Call(&layers.Context{}, x).Data
	want := d.Call(&layers.Context{}, x).Data
	if !slices.Equal(got.Float32s(), want.Float32s()) || !slices.Equal(got.Shape(), []int{2, 5, 3}) {
		t.Errorf("TimeDistributed(Dense): %v %v, want Dense's %v", got.Shape(), got.Float32s(), want.Float32s())
	}
	// The mask passes through.
	m := lengthMask([]int{2, 5}, 5, tensor.Float32)
	if got := layers.NextMask(td, &layers.Context{}, x.Data, m); got != m {
		t.Errorf("TimeDistributed: NextMask = %v, want the input mask", got)
	}
}

// TestMaskPropagation checks ComputeMask and SupportsMasking on the
// sequence layers, as Keras 3 propagates masks.
func TestMaskPropagation(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := lengthMask([]int{2, 3}, 3, tensor.Float32)
	x := tensor.Zeros(2, 3, 2)
	for _, c := range []struct {
		l    layers.Layer
		in   []int
		pass bool
	}{
		{layers.NewLSTM(2), []int{3, 2}, false},
		{layers.NewLSTM(2, layers.ReturnSequences()), []int{3, 2}, true},
		{layers.NewGRU(2, layers.ReturnSequences(), layers.GoBackwards()), []int{3, 2}, true}, // Keras: not reversed
		{layers.NewBidirectional(layers.NewSimpleRNN(2)), []int{3, 2}, false},
		{layers.NewBidirectional(layers.NewSimpleRNN(2, layers.ReturnSequences())), []int{3, 2}, true},
		{layers.NewDense(2), []int{3, 2}, true},
		{layers.NewDropout(0.5), []int{3, 2}, true},
		{layers.NewActivation("relu"), []int{3, 2}, true},
		{layers.NewReLU(), []int{3, 2}, true},
		{layers.NewLeakyReLU(0.3), []int{3, 2}, true},
		{layers.NewSoftmax(), []int{3, 2}, true},
		{layers.NewGlobalAveragePooling1D(), []int{3, 2}, false},
		{layers.NewGlobalMaxPooling1D(), []int{3, 2}, false},
		{layers.NewFlatten(), []int{3, 2}, false},
	} {
		if err := c.l.Build(c.in, rng); err != nil {
			t.Fatal(err)
		}
		got := layers.NextMask(c.l, &layers.Context{}, x, m)
		if (got == m) != c.pass || (!c.pass && got != nil) {
			t.Errorf("%s: NextMask gave %v, want the mask passed on: %v", c.l.ClassName(), got, c.pass)
		}
	}
}

// seqRef is testdata/seq_reference.json, from gen_seq_reference.py.
type seqRef struct {
	RNN []struct {
		Layer           string `json:"layer"`
		Wrapper         string `json:"wrapper"`
		GoBackwards     bool   `json:"go_backwards"`
		ReturnSequences bool   `json:"return_sequences"`
		MergeMode       string `json:"merge_mode"`
		Units           int    `json:"units"`
		Lengths         []int  `json:"lengths"`
		refIO
		Weights []refRNNWeights `json:"weights"`
	} `json:"rnn"`
	Embedding struct {
		InputDim    int       `json:"input_dim"`
		OutputDim   int       `json:"output_dim"`
		IDs         []float64 `json:"ids"`
		IDsShape    []int     `json:"ids_shape"`
		Embeddings  []float64 `json:"embeddings"`
		Y           []float64 `json:"y"`
		YShape      []int     `json:"y_shape"`
		DEmbeddings []float64 `json:"dembeddings"`
	} `json:"embedding"`
	Pooling struct {
		Lengths []int `json:"lengths"`
		refIO
	} `json:"pooling"`
}

func loadSeqRef(t *testing.T) *seqRef {
	t.Helper()
	var ref seqRef
	readReference(t, "seq_reference.json", &ref)
	return &ref
}

// TestSeqMatchesPyTorch replays testdata/seq_reference.json: masked
// (right-padded) recurrent layers in both directions against
// pack_padded_sequence, Bidirectional in every merge mode, forward values
// and the gradients of sum(y ⊙ R) with respect to the input and every
// weight, in float64.
func TestSeqMatchesPyTorch(t *testing.T) {
	ref := loadSeqRef(t)
	if len(ref.RNN) != 39 { // the script writes 3 layers × (4 + 8 + 1)
		t.Fatalf("%d reference cases, want 39", len(ref.RNN))
	}
	for _, c := range ref.RNN {
		var opts []layers.RNNOption
		name := c.Layer
		if c.GoBackwards {
			name, opts = name+" backwards", append(opts, layers.GoBackwards())
		}
		if c.ReturnSequences {
			name, opts = name+" sequences", append(opts, layers.ReturnSequences())
		}
		steps := c.XShape[1]
		masked := slices.ContainsFunc(c.Lengths, func(n int) bool { return n < steps })
		if c.Wrapper != "none" {
			name = fmt.Sprintf("bidirectional %s %s", c.MergeMode, name)
		}
		if masked {
			name += fmt.Sprintf(" lengths %v", c.Lengths)
		}
		t.Run(name, func(t *testing.T) {
			var l layers.Layer = newRNN(c.Layer, c.Units, opts...)
			if c.Wrapper == "bidirectional" {
				l = layers.NewBidirectional(l, layers.WithMergeMode(c.MergeMode))
			}
			l.SetName("l")
			if err := l.Build(c.XShape[1:], rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			ctx := &layers.Context{}
			if masked {
				ctx.Mask = lengthMask(c.Lengths, steps, tensor.Float64)
			}
			checkRNNReference(t, l, ctx, c.refIO, c.Weights, 1e-10)
		})
	}
}

// TestEmbeddingMatchesPyTorch compares Embedding with torch.nn.Embedding on
// a fixed table: the rows looked up and the table's gradient (ids repeat,
// so rows add up).
func TestEmbeddingMatchesPyTorch(t *testing.T) {
	c := loadSeqRef(t).Embedding
	l := layers.NewEmbedding(c.InputDim, c.OutputDim)
	l.SetName("e")
	if err := l.Build(c.IDsShape[1:], rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	w := l.Weights()[0]
	w.Value.Data = tensor.FromFloat64(c.Embeddings, c.InputDim, c.OutputDim)
	y := l.Call(&layers.Context{}, autograd.Const(tensor.FromFloat64(c.IDs, c.IDsShape...)))
	if !slices.Equal(y.Shape(), c.YShape) {
		t.Fatalf("output shape %v, want %v", y.Shape(), c.YShape)
	}
	close(t, "y", y.Data, c.Y, 1e-12)
	autograd.Backward(autograd.Sum(autograd.Mul(y, autograd.Const(rWeights(y.Shape(), tensor.Float64))), false))
	close(t, "dembeddings", w.Value.Grad, c.DEmbeddings, 1e-12)

	// The kernel, in float32, from the same ids and table.
	k := layers.NewEmbedding(c.InputDim, c.OutputDim)
	k.SetName("k")
	if err := k.Build(c.IDsShape[1:], rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	kw := k.Weights()[0].Value
	kw.Data = tensor.FromFloat64(c.Embeddings, c.InputDim, c.OutputDim).AsType(tensor.Float32)
	for round := 0; round < 2; round++ { // twice: Backward writes, not adds
		ids := tensor.FromFloat64(c.IDs, c.IDsShape...).AsType(tensor.Float32)
		yk := k.Forward(&layers.Context{}, ids)
		close(t, "kernel y", yk, c.Y, 1e-6)
		dy := rWeights(yk.Shape(), tensor.Float32)
		if dx := k.Backward(dy, true); dx == nil || slices.ContainsFunc(dx.Float32s(), func(v float32) bool { return v != 0 }) {
			t.Errorf("kernel input gradient %v, want zeros (ids have no gradient)", dx)
		}
		close(t, "kernel dembeddings", kw.Grad, c.DEmbeddings, 1e-6)
	}
}

// TestEmbedding checks the layer contract (config round trip, weight,
// shapes), the table's gradient by finite differences, mask_zero and the
// errors on bad ids.
func TestEmbedding(t *testing.T) {
	l := layers.NewEmbedding(6, 3, layers.MaskZero())
	l.SetName("embedding")
	if err := l.Build([]int{4}, rand.New(rand.NewPCG(1, 2))); err != nil {
		t.Fatal(err)
	}
	if got := l.OutputShape(); !slices.Equal(got, []int{4, 3}) {
		t.Errorf("OutputShape %v, want (4, 3)", got)
	}
	w := l.Weights()
	if len(w) != 1 || w[0].Name != "embeddings" || w[0].Value.Name != "embedding.embeddings" ||
		!slices.Equal(w[0].Value.Data.Shape(), []int{6, 3}) {
		t.Fatalf("weights %v, want one (6, 3) embedding.embeddings", w)
	}
	// Keras's default initializer: uniform in (−0.05, 0.05).
	for _, v := range w[0].Value.Data.Values() {
		if math.Abs(v) > 0.05 {
			t.Fatalf("initial embedding %v outside (−0.05, 0.05)", v)
		}
	}
	sl := layers.ToSpec(l)
	l2, err := layers.FromSpec(spec.Layer{Type: sl.Type, Args: sl.Args, Index: 1})
	if err != nil || fmt.Sprint(l2.Config()) != fmt.Sprint(l.Config()) {
		t.Errorf("config round trip: %v %v, want %v", err, l2, l.Config())
	}
	ids := tensor.FromFloat64([]float64{3, 0, 5, 3, 1, 1, 0, 0}, 2, 4)
	if err := autograd.GradCheck(func(in []*autograd.Value) *autograd.Value {
		return autograd.Take(in[0], []int{3, 0, 5, 3, 1, 1, 0, 0}, []int{2, 4})
	}, []*tensor.Tensor{w[0].Value.Data}, autograd.GradCheckOptions{}); err != nil {
		t.Errorf("Take gradient: %v", err)
	}
	m := l.ComputeMask(&layers.Context{}, ids, nil)
	if got, want := m.Values(), []float64{1, 0, 1, 1, 1, 1, 0, 0}; !slices.Equal(got, want) || !slices.Equal(m.Shape(), []int{2, 4}) {
		t.Errorf("mask_zero mask %v %v, want %v (2, 4)", m.Shape(), got, want)
	}
	if m := layers.NewEmbedding(6, 3).ComputeMask(&layers.Context{}, ids, nil); m != nil {
		t.Errorf("mask without mask_zero: %v, want none", m)
	}
	for _, c := range []struct {
		id   float64
		want string
	}{{6, "id 6 at sample 1, position 2 is not an integer in [0, input_dim=6)"}, {-1, "id -1 at"}, {2.5, "id 2.5 at"}, {math.NaN(), "id NaN at"}} {
		bad := tensor.FromFloat32([]float32{1, 2, 3, 4, 1, 2, float32(c.id), 4}, 2, 4)
		for _, path := range []string{"Call", "Forward"} {
			func() {
				defer func() {
					r := recover()
					err, ok := r.(error)
					if !ok || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "layer embedding (Embedding)") ||
						!strings.Contains(err.Error(), "input_dim=6") {
						t.Errorf("%s with id %v: panic %v, want an error naming the layer, %q and input_dim", path, c.id, r, c.want)
					}
				}()
				if path == "Call" {
					l.Call(&layers.Context{}, autograd.Const(bad))
				} else {
					l.Forward(&layers.Context{}, bad)
				}
			}()
		}
	}
	// Spec errors.
	for _, c := range []struct {
		args []spec.Arg
		want string
	}{
		{[]spec.Arg{{Name: "output_dim", Value: 2}}, "input_dim must be a positive integer, got 0"},
		{[]spec.Arg{{Name: "input_dim", Value: 5}}, "output_dim must be a positive integer"},
		{[]spec.Arg{{Name: "input_dim", Value: 5}, {Name: "output_dim", Value: 2}, {Name: "embeddings_initializer", Value: "nope"}}, "embeddings_initializer"},
	} {
		l, err := layers.FromSpec(layertest.Spec("embedding", c.args...))
		if err == nil {
			err = l.Build([]int{3}, rand.New(rand.NewPCG(1, 2)))
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("embedding %v: got %v, want an error containing %q", c.args, err, c.want)
		}
	}
}

// TestMasking checks Masking's output and mask on a batch with padded
// steps, its gradient and kernel, and its config round trip.
func TestMasking(t *testing.T) {
	l := layers.NewMasking(-1)
	layertest.Check(t, l, []int{3, 2})
	// Steps of (−1, −1) are padding; (−1, 0.5) is not.
	x := tensor.FromFloat32([]float32{1, 2, -1, -1, -1, 0.5, -1, -1, 3, 4, -1, -1}, 2, 3, 2)
	m := l.ComputeMask(&layers.Context{}, x, nil)
	if got, want := m.Values(), []float64{1, 0, 1, 0, 1, 0}; !slices.Equal(got, want) || !slices.Equal(m.Shape(), []int{2, 3}) {
		t.Errorf("mask %v %v, want %v (2, 3)", m.Shape(), got, want)
	}
	want := []float32{1, 2, 0, 0, -1, 0.5, 0, 0, 3, 4, 0, 0}
	xv := autograd.Param(x, "x")
	y := l.Call(&layers.Context{}, xv)
	if !slices.Equal(y.Data.Float32s(), want) {
		t.Errorf("Call: %v, want %v", y.Data.Float32s(), want)
	}
	autograd.Backward(autograd.Sum(y, false))
	yk := l.Forward(&layers.Context{}, x)
	if !slices.Equal(yk.Float32s(), want) {
		t.Errorf("Forward: %v, want %v", yk.Float32s(), want)
	}
	dx := l.Backward(tensor.Full(1, 2, 3, 2), true)
	if !slices.Equal(dx.Float32s(), xv.Grad.Float32s()) {
		t.Errorf("Backward %v, want Call's gradient %v", dx.Float32s(), xv.Grad.Float32s())
	}
	if err := layers.NewMasking(0).Build([]int{4}, nil); err == nil {
		t.Error("Masking on (4) samples: no error, want one asking for (timesteps, features)")
	}
}

// TestGlobalPoolingMasked checks the masked mean against PyTorch, its
// gradient and kernel, and that the max ignores a mask as in Keras 3.
func TestGlobalPoolingMasked(t *testing.T) {
	c := loadSeqRef(t).Pooling
	l := layers.NewGlobalAveragePooling1D()
	if err := l.Build(c.XShape[1:], nil); err != nil {
		t.Fatal(err)
	}
	x := autograd.Param(tensor.FromFloat64(c.X, c.XShape...), "x")
	ctx := &layers.Context{Mask: lengthMask(c.Lengths, c.XShape[1], tensor.Float64)}
	y := l.Call(ctx, x)
	close(t, "y", y.Data, c.Y, 1e-12)
	autograd.Backward(autograd.Sum(autograd.Mul(y, autograd.Const(rWeights(y.Shape(), tensor.Float64))), false))
	close(t, "dx", x.Grad, c.DX, 1e-12)

	for _, m := range seqMasks {
		mask := seqMaskFunc(m.patterns)
		for _, keep := range []bool{false, true} {
			mk := func() layers.Layer {
				if keep {
					return layers.NewGlobalAveragePooling1D(layers.KeepDims())
				}
				return layers.NewGlobalAveragePooling1D()
			}
			layertest.CheckMasked(t, mk(), []int{5, 3}, mask)
			layertest.CheckKernelMasked(t, mk, []int{5, 3}, mask)
		}
	}
	// A sample with every step masked averages to 0 (Keras: 0/0).
	all := tensor.FromFloat64([]float64{0, 0, 0}, 1, 3)
	z := l.Call(&layers.Context{Mask: all}, autograd.Const(layertest.Input(1, 1, 3, 3)))
	for _, v := range z.Data.Values() {
		if v != 0 {
			t.Fatalf("fully masked sample: %v, want zeros", z.Data.Values())
		}
	}
	// Keras 3's GlobalMaxPooling1D does not support masking: same output.
	mp := layers.NewGlobalMaxPooling1D()
	if err := mp.Build([]int{5, 3}, nil); err != nil {
		t.Fatal(err)
	}
	xm := autograd.Const(layertest.Input(2, 2, 5, 3))
	a := mp.Call(&layers.Context{}, xm).Data.Values()
	b := mp.Call(&layers.Context{Mask: seqMaskFunc(seqMasks[0].patterns)(2, tensor.Float64)}, xm).Data.Values()
	if !slices.Equal(a, b) {
		t.Errorf("GlobalMaxPooling1D with a mask: %v, without: %v; Keras 3 ignores the mask", b, a)
	}
}

// TestRNNStatesAndMasks checks CallWithState and the masked states: a
// right-padded sample gives the state of its real part run alone.
func TestRNNStatesAndMasks(t *testing.T) {
	type stateful interface {
		layers.Layer
		CallWithState(*layers.Context, *autograd.Value) (*autograd.Value, []*autograd.Value)
	}
	for _, kind := range []string{"simple_rnn", "lstm", "gru"} {
		for _, back := range []bool{false, true} {
			var opts []layers.RNNOption
			if back {
				opts = append(opts, layers.GoBackwards())
			}
			l := newRNN(kind, 3, opts...).(stateful)
			l.SetName("r")
			if err := l.Build([]int{5, 2}, rand.New(rand.NewPCG(1, 2))); err != nil {
				t.Fatal(err)
			}
			for _, w := range l.Weights() {
				w.Value.Data = w.Value.Data.AsType(tensor.Float64)
			}
			x := layertest.Input(4, 1, 5, 2)
			y, states := l.CallWithState(&layers.Context{Mask: lengthMask([]int{3}, 5, tensor.Float64)}, autograd.Const(x))
			wantStates := map[string]int{"simple_rnn": 1, "lstm": 2, "gru": 1}[kind]
			if len(states) != wantStates || !slices.Equal(states[0].Data.Values(), y.Data.Values()) {
				t.Fatalf("%s: %d states, h %v; want %d with h = output %v", kind, len(states), states[0].Data.Values(), wantStates, y.Data.Values())
			}
			short := autograd.Const(tensor.FromFloat64(x.Values()[:6], 1, 3, 2))
			_, ref := l.CallWithState(&layers.Context{}, short)
			for i := range states {
				a, b := states[i].Data.Values(), ref[i].Data.Values()
				for j := range a {
					if math.Abs(a[j]-b[j]) > 1e-12 {
						t.Fatalf("%s backwards=%v state %d: masked %v, real part alone %v", kind, back, i, a, b)
					}
				}
			}
		}
	}
}

// TestRNNDropoutGradients checks the gradients through the dropout masks:
// the finite differences redraw the same masks from a fresh generator of
// the same seed at every evaluation.
func TestRNNDropoutGradients(t *testing.T) {
	for _, kind := range []string{"simple_rnn", "lstm", "gru"} {
		l := newRNN(kind, 3, layers.WithRNNDropout(0.4), layers.WithRecurrentDropout(0.3), layers.ReturnSequences())
		l.SetName("r")
		if err := l.Build([]int{4, 3}, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		ws := l.Weights()
		inputs := []*tensor.Tensor{layertest.Input(5, 2, 4, 3)}
		for _, w := range ws {
			inputs = append(inputs, w.Value.Data.AsType(tensor.Float64))
		}
		saved := make([]*autograd.Value, len(ws))
		for i, w := range ws {
			saved[i] = w.Value
		}
		err := autograd.GradCheck(func(in []*autograd.Value) *autograd.Value {
			for i, w := range ws {
				w.Value = in[i+1]
			}
			return l.Call(&layers.Context{Training: true, RNG: rand.New(rand.NewPCG(7, 8))}, in[0])
		}, inputs, autograd.GradCheckOptions{})
		for i, w := range ws {
			w.Value = saved[i]
		}
		if err != nil {
			t.Errorf("%s with dropout: %v", kind, err)
		}
	}
}

// TestRNNDropoutModes checks that dropout acts in training only, that a
// seed gives the same masks, and that the config round trip keeps it.
func TestRNNDropoutModes(t *testing.T) {
	l := layers.NewLSTM(3, layers.WithRNNDropout(0.5), layers.WithRecurrentDropout(0.5))
	layertest.Check(t, l, []int{4, 2})
	x := autograd.Const(layertest.Input(6, 2, 4, 2))
	plain := layers.NewLSTM(3)
	plain.SetName("p")
	if err := plain.Build([]int{4, 2}, rand.New(rand.NewPCG(1, 2))); err != nil {
		t.Fatal(err)
	}
	for i, w := range plain.Weights() {
		w.Value.Data = l.Weights()[i].Value.Data
	}
	run := func(l layers.Layer, training bool, seed uint64) []float64 {
		return l.Call(&layers.Context{Training: training, RNG: rand.New(rand.NewPCG(seed, 1))}, x).Data.Values()
	}
	if !slices.Equal(run(l, false, 1), run(plain, false, 1)) {
		t.Error("dropout changed the output outside training")
	}
	if slices.Equal(run(l, true, 1), run(plain, true, 1)) {
		t.Error("dropout did not change the output in training")
	}
	if !slices.Equal(run(l, true, 3), run(l, true, 3)) {
		t.Error("the same seed gave different dropout masks")
	}
}

// TestSeqSpecs builds the wrappers from spec entries and checks the errors
// a spec can meet.
func TestSeqSpecs(t *testing.T) {
	lstm := spec.Args{{Name: "lstm", Value: spec.Args{{Name: "units", Value: 4}, {Name: "return_sequences", Value: true}}}}
	l, err := layers.FromSpec(layertest.Spec("bidirectional", spec.Arg{Name: "layer", Value: lstm}, spec.Arg{Name: "merge_mode", Value: "sum"}))
	if err != nil {
		t.Fatal(err)
	}
	b := l.(*layers.Bidirectional)
	if b.MergeMode != "sum" || b.ForwardLayer.ClassName() != "LSTM" || b.BackwardLayer.ClassName() != "LSTM" {
		t.Errorf("bidirectional spec: %s %s %s", b.MergeMode, b.ForwardLayer.ClassName(), b.BackwardLayer.ClassName())
	}
	layertest.Check(t, l, []int{3, 2})
	if got := l.OutputShape(); !slices.Equal(got, []int{3, 4}) {
		t.Errorf("sum of two LSTM(4) sequences: %v, want (3, 4)", got)
	}
	// Keras's class_name form, with a named layer and an explicit backward layer.
	named := spec.Args{{Name: "class_name", Value: "GRU"}, {Name: "config", Value: spec.Args{{Name: "name", Value: "g"}, {Name: "units", Value: 2}}}}
	back := spec.Args{{Name: "gru", Value: spec.Args{{Name: "units", Value: 2}, {Name: "go_backwards", Value: true}, {Name: "activation", Value: "relu"}}}}
	l, err = layers.FromSpec(layertest.Spec("bidirectional", spec.Arg{Name: "layer", Value: named}, spec.Arg{Name: "backward_layer", Value: back}))
	if err != nil {
		t.Fatal(err)
	}
	l.SetName("bi")
	layertest.Check(t, l, []int{3, 2})
	if got := l.Weights()[3].Value.Name; got != "bi.gru.kernel" || l.Weights()[0].Value.Name != "bi.forward_g.kernel" {
		t.Errorf("weights %s and %s, want bi.forward_g.kernel and bi.gru.kernel", l.Weights()[0].Value.Name, got)
	}
	td, err := layers.FromSpec(layertest.Spec("time_distributed", spec.Arg{Name: "layer", Value: spec.Args{{Name: "dense", Value: spec.Args{{Name: "units", Value: 8}}}}}))
	if err != nil {
		t.Fatal(err)
	}
	layertest.Check(t, td, []int{3, 2})

	if err := layers.NewBidirectional(layers.NewLSTM(0)).Build([]int{3, 2}, nil); err == nil ||
		!strings.Contains(err.Error(), "(Bidirectional): layer: units must be a positive integer, got 0") {
		t.Errorf("Bidirectional(LSTM(0)): got %v, want the LSTM's units error", err)
	}
	for _, c := range []struct {
		typ  string
		args []spec.Arg
		want string
	}{
		{"bidirectional", []spec.Arg{{Name: "layer", Value: lstm}, {Name: "merge_mode", Value: nil}},
			"merge_mode: null: None returns the two directions as two outputs, and a Sequential model takes one output per layer"},
		{"bidirectional", []spec.Arg{{Name: "layer", Value: lstm}, {Name: "merge_mode", Value: "None"}}, `merge_mode must be one of`},
		{"bidirectional", nil, "layer: missing"},
		{"bidirectional", []spec.Arg{{Name: "layer", Value: spec.Args{{Name: "dense", Value: spec.Args{{Name: "units", Value: 3}}}}}},
			"layer must be a SimpleRNN, LSTM or GRU, got Dense"},
		{"bidirectional", []spec.Arg{{Name: "layer", Value: spec.Args{{Name: "lstm", Value: spec.Args{{Name: "units", Value: 0}}}}}},
			"layer: lstm: argument \"units\": want a positive integer, got 0"},
		{"bidirectional", []spec.Arg{{Name: "layer", Value: spec.Args{{Name: "lstm", Value: spec.Args{{Name: "units", Value: 2}, {Name: "return_state", Value: true}}}}}},
			"layer: lstm: return_state=true: a Sequential model takes one output per layer"},
		{"bidirectional", []spec.Arg{{Name: "layer", Value: lstm}, {Name: "backward_layer", Value: lstm}}, "different go_backwards"},
		{"bidirectional", []spec.Arg{{Name: "layer", Value: spec.Args{{Name: "lstm", Value: spec.Args{{Name: "units", Value: 2}}}}},
			{Name: "backward_layer", Value: spec.Args{{Name: "lstm", Value: spec.Args{{Name: "units", Value: 2}, {Name: "go_backwards", Value: true}, {Name: "return_sequences", Value: true}}}}}},
			"agree on return_sequences"},
		{"time_distributed", nil, "layer: missing"},
		{"time_distributed", []spec.Arg{{Name: "layer", Value: "nope"}}, `layer: nope: unknown layer "nope"`},
	} {
		_, err := layers.FromSpec(layertest.Spec(c.typ, c.args...))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: got %v, want an error containing %q", c.typ, c.args, err, c.want)
		}
	}
}
