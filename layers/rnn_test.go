package layers_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/layers/layertest"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// newRNN builds one of the three recurrent layers by its spec name.
func newRNN(kind string, units int, opts ...layers.RNNOption) layers.Layer {
	switch kind {
	case "simple_rnn":
		return layers.NewSimpleRNN(units, opts...)
	case "lstm":
		return layers.NewLSTM(units, opts...)
	case "gru":
		return layers.NewGRU(units, opts...)
	}
	panic("unknown recurrent layer " + kind)
}

// TestRNNConformance runs the shared layer checks (shapes, config round
// trip, float64 finite-difference gradients of input and weights) on each
// recurrent layer, both directions, with and without return_sequences:
// batch 2, 3 timesteps, 4 features, 5 units.
func TestRNNConformance(t *testing.T) {
	for _, kind := range []string{"simple_rnn", "lstm", "gru"} {
		noBias := rnnConfig{"no bias", []layers.RNNOption{layers.WithoutRNNBias(), layers.ReturnSequences()}}
		for _, c := range append(rnnConfigs, noBias) {
			t.Run(kind+" "+c.name, func(t *testing.T) {
				layertest.Check(t, newRNN(kind, 5, c.opts...), []int{3, 4})
			})
		}
	}
}

// TestRNNParamCounts compares weight counts with Keras's model.summary()
// for 128 units on 28 features (MNIST rows): SimpleRNN 128·(28+128+1) =
// 20,096; LSTM 4·128·(28+128+1) = 80,384; GRU reset_after 3·128·(28+128+2)
// = 60,672.
func TestRNNParamCounts(t *testing.T) {
	for kind, want := range map[string]int{"simple_rnn": 20096, "lstm": 80384, "gru": 60672} {
		l := newRNN(kind, 128)
		l.SetName(kind)
		if err := l.Build([]int{28, 28}, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		if got, _ := layers.CountParams(l); got != want {
			t.Errorf("%s(128) on 28 features: %d parameters, want %d (Keras summary)", kind, got, want)
		}
	}
}

// TestLSTMUnitForgetBias checks Keras's initial LSTM bias: zeros with ones
// on the forget gate, the second block of units.
func TestLSTMUnitForgetBias(t *testing.T) {
	for _, ufb := range []bool{true, false} {
		var opts []layers.RNNOption
		if !ufb {
			opts = append(opts, layers.WithoutUnitForgetBias())
		}
		l := layers.NewLSTM(3, opts...)
		if err := l.Build([]int{2, 2}, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		b := l.Weights()[2].Value.Data.Values()
		for j, v := range b {
			want := 0.0
			if ufb && j >= 3 && j < 6 {
				want = 1
			}
			if v != want {
				t.Errorf("unit_forget_bias=%v: bias[%d] = %g, want %g", ufb, j, v, want)
			}
		}
	}
}

// TestGRUResetBeforeHasNoKernel: the original GRU runs on the autograd
// path only, whatever else its configuration allows, and that decision
// follows the layer's ResetAfter field.
func TestGRUResetBeforeHasNoKernel(t *testing.T) {
	for _, resetAfter := range []bool{true, false} {
		var opts []layers.RNNOption
		if !resetAfter {
			opts = append(opts, layers.WithoutResetAfter())
		}
		l := layers.NewGRU(3, opts...)
		l.SetName("gru")
		if err := l.Build([]int{4, 2}, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		if got := l.Fast(); got != resetAfter {
			t.Errorf("GRU reset_after=%v: Fast() = %v, want %v", resetAfter, got, resetAfter)
		}
	}
}

// TestGRUResetBefore checks reset_after=False (no PyTorch equivalent)
// against a direct float64 loop over Keras's GRUCell formulas, and its
// Keras parameter count: 3·(128·(28+128) + 128) = 60,288.
func TestGRUResetBefore(t *testing.T) {
	l := layers.NewGRU(128, layers.WithoutResetAfter())
	l.SetName("gru")
	if err := l.Build([]int{28, 28}, rand.New(rand.NewPCG(1, 2))); err != nil {
		t.Fatal(err)
	}
	if got, _ := layers.CountParams(l); got != 60288 {
		t.Errorf("GRU(128, reset_after=False) on 28 features: %d parameters, want 60,288 (Keras summary)", got)
	}
	bad := layers.NewGRU(3, layers.WithoutResetAfter(), layers.WithRecurrentDropout(0.2))
	if err := bad.Build([]int{2, 2}, rand.New(rand.NewPCG(1, 2))); err == nil || !strings.Contains(err.Error(), "reset_after=false with recurrent_dropout") {
		t.Errorf("reset_after=false with recurrent_dropout: got %v, want a clear error", err)
	}
	for _, c := range rnnConfigs {
		t.Run(c.name, func(t *testing.T) {
			layertest.Check(t, layers.NewGRU(4, append([]layers.RNNOption{layers.WithoutResetAfter()}, c.opts...)...), []int{3, 2})
		})
	}
	const units, steps, feats, batch = 3, 4, 2, 2
	g := layers.NewGRU(units, layers.WithoutResetAfter(), layers.ReturnSequences())
	g.SetName("g")
	if err := g.Build([]int{steps, feats}, rand.New(rand.NewPCG(3, 4))); err != nil {
		t.Fatal(err)
	}
	ws := g.Weights()
	for _, w := range ws { // a non-zero bias too
		w.Value.Data = w.Value.Data.AsType(tensor.Float64)
	}
	for j := range ws[2].Value.Data.Len() {
		ws[2].Value.Data.SetFlat(j, 0.1*float64(j%5)-0.2)
	}
	k, rk, b := ws[0].Value.Data, ws[1].Value.Data, ws[2].Value.Data
	x := layertest.Input(9, batch, steps, feats)
	y := g.Call(&layers.Context{}, autograd.Const(x)).Data
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	for n := 0; n < batch; n++ {
		h := make([]float64, units)
		for s := 0; s < steps; s++ {
			var xp [3 * units]float64
			for j := range xp {
				xp[j] = b.AtFlat(j)
				for f := 0; f < feats; f++ {
					xp[j] += x.At(n, s, f) * k.At(f, j)
				}
			}
			rec := func(v []float64, j int) float64 {
				var sum float64
				for i := range v {
					sum += v[i] * rk.At(i, j)
				}
				return sum
			}
			z, r, rh := make([]float64, units), make([]float64, units), make([]float64, units)
			for u := 0; u < units; u++ {
				z[u] = sig(xp[u] + rec(h, u))
				r[u] = sig(xp[units+u] + rec(h, units+u))
				rh[u] = r[u] * h[u]
			}
			next := make([]float64, units)
			for u := 0; u < units; u++ {
				hh := math.Tanh(xp[2*units+u] + rec(rh, 2*units+u))
				next[u] = z[u]*h[u] + (1-z[u])*hh
			}
			h = next
			for u := 0; u < units; u++ {
				if got := y.At(n, s, u); math.Abs(got-h[u]) > 1e-12 {
					t.Fatalf("sample %d step %d unit %d: %v, want %v", n, s, u, got, h[u])
				}
			}
		}
	}
}

func TestRNNErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	if err := layers.NewLSTM(4).Build([]int{28}, rng); err == nil || !strings.Contains(err.Error(), "(timesteps, features)") {
		t.Errorf("LSTM on rank-1 samples: got %v, want an error asking for (timesteps, features)", err)
	}
	if err := layers.NewGRU(0).Build([]int{3, 4}, rng); err == nil || !strings.Contains(err.Error(), "units") {
		t.Errorf("GRU(0): got %v, want a units error", err)
	}
	for _, c := range []struct {
		typ  string
		arg  spec.Arg
		want string
	}{
		{"lstm", spec.Arg{Name: "dropout", Value: 1.0}, "dropout must be in [0, 1), got 1"},
		{"gru", spec.Arg{Name: "recurrent_dropout", Value: -0.1}, "recurrent_dropout must be in [0, 1)"},
		{"simple_rnn", spec.Arg{Name: "return_state", Value: true}, "return_state=true: a Sequential model takes one output per layer"},
		{"lstm", spec.Arg{Name: "stateful", Value: true}, "stateful=true: not supported"},
		{"gru", spec.Arg{Name: "unroll", Value: true}, "unroll=true: not supported"},
		{"simple_rnn", spec.Arg{Name: "recurrent_activation", Value: "sigmoid"}, "recurrent_activation"},
	} {
		_, err := layers.FromSpec(layertest.Spec(c.typ, spec.Arg{Name: "units", Value: 4}, c.arg))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s with %s=%v: got %v, want an error containing %q", c.typ, c.arg.Name, c.arg.Value, err, c.want)
		}
	}
	// Keras's defaults for the unsupported arguments are accepted.
	if _, err := layers.FromSpec(layertest.Spec("lstm", spec.Arg{Name: "units", Value: 4},
		spec.Arg{Name: "dropout", Value: 0.0}, spec.Arg{Name: "return_state", Value: false})); err != nil {
		t.Errorf("lstm with default dropout and return_state: %v", err)
	}
}

// rnnRef is one case of testdata/rnn_reference.json.
type rnnRef struct {
	Layer           string `json:"layer"`
	GoBackwards     bool   `json:"go_backwards"`
	ReturnSequences bool   `json:"return_sequences"`
	UseBias         bool   `json:"use_bias"`
	Units           int    `json:"units"`
	refIO
	refRNNWeights
}

// TestRNNMatchesPyTorch replays testdata/rnn_reference.json (from
// gen_rnn_reference.py, which maps Keras's weight layouts and gate orders
// to torch.nn.RNN/LSTM/GRU): forward values and the gradients of
// sum(y ⊙ R) with respect to the input and every weight, in float64.
func TestRNNMatchesPyTorch(t *testing.T) {
	var ref struct{ Cases []rnnRef }
	readReference(t, "rnn_reference.json", &ref)
	if len(ref.Cases) != 15 { // the script writes 3 layers × (4 + 1 without bias)
		t.Fatalf("%d reference cases, want 15", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		name := c.Layer
		var opts []layers.RNNOption
		if c.GoBackwards {
			name, opts = name+" backwards", append(opts, layers.GoBackwards())
		}
		if c.ReturnSequences {
			name, opts = name+" sequences", append(opts, layers.ReturnSequences())
		}
		if !c.UseBias {
			name, opts = name+" no bias", append(opts, layers.WithoutRNNBias())
		}
		t.Run(name, func(t *testing.T) {
			l := newRNN(c.Layer, c.Units, opts...)
			l.SetName("l")
			if err := l.Build(c.XShape[1:], rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			checkRNNReference(t, l, &layers.Context{}, c.refIO, []refRNNWeights{c.refRNNWeights}, 1e-10)
		})
	}
}
