// Package layertest is the one conformance check every layer goes
// through: building, shapes, weight names, config round trip and a
// finite-difference gradient check in float64 of the output with respect to
// the input and every trainable weight.
package layertest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Input returns a deterministic float64 batch of the given shape with
// values in (-1.5, 1.5), away from 0 so that kinks are not hit.
func Input(seed int, shape ...int) *tensor.Tensor {
	t := tensor.New(tensor.Float64, shape...)
	for i := 0; i < t.Len(); i++ {
		v := math.Sin(float64(seed*131+i*17)+0.3) * 1.5
		if math.Abs(v) < 0.05 {
			v = 0.1
		}
		t.SetFlat(i, v)
	}
	return t
}

// Check runs the conformance checks on a fresh (unbuilt) layer l for
// samples of the given shape, with a batch of 2.
func Check(t *testing.T, l layers.Layer, sample []int) {
	t.Helper()
	CheckMasked(t, l, sample, nil)
}

// CheckMasked is Check with Context.Mask set to mask's result for the
// batch of 2 (no mask when mask is nil), in Call and in the gradient check.
func CheckMasked(t *testing.T, l layers.Layer, sample []int, mask MaskFunc) {
	t.Helper()
	var m *tensor.Tensor
	if mask != nil {
		m = mask(2, tensor.Float64)
	}
	if l.Name() == "" {
		l.SetName("layer_under_test")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	if err := l.Build(sample, rng); err != nil {
		t.Fatalf("Build(%v): %v", sample, err)
	}
	// Weight names are unique and prefixed by the layer's name.
	seen := map[string]bool{}
	for _, w := range l.Weights() {
		full := l.Name() + "." + w.Name
		if w.Value.Name != full {
			t.Errorf("weight %q carries name %q, want %q", w.Name, w.Value.Name, full)
		}
		if seen[full] {
			t.Errorf("duplicate weight name %q", full)
		}
		seen[full] = true
	}
	// The output of Call has the declared shape (with a batch axis).
	x := Input(7, append([]int{2}, sample...)...)
	for _, w := range l.Weights() {
		w.Value.Data = w.Value.Data.AsType(tensor.Float64)
	}
	y := l.Call(&layers.Context{RNG: rng, Mask: m}, autograd.Const(x))
	want := append([]int{2}, l.OutputShape()...)
	if !tensor.SameShape(y.Shape(), want) {
		t.Errorf("Call output shape %v, OutputShape says %v", y.Shape(), want)
	}
	// Config round trip: FromSpec(ToSpec(l)) rebuilds the same layer.
	sl := layers.ToSpec(l)
	sl.Index, sl.Source = 1, "roundtrip"
	l2, err := layers.FromSpec(sl)
	if err != nil {
		t.Fatalf("FromSpec(ToSpec(layer)): %v", err)
	}
	if l2.ClassName() != l.ClassName() || l2.Name() != l.Name() || !reflect.DeepEqual(l2.Config(), l.Config()) {
		t.Errorf("config round trip: got %s %s %v, want %s %s %v", l2.ClassName(), l2.Name(), l2.Config(), l.ClassName(), l.Name(), l.Config())
	}
	if err := l2.Build(sample, rng); err != nil {
		t.Errorf("rebuilt layer: Build: %v", err)
	} else if len(l2.Weights()) != len(l.Weights()) {
		t.Errorf("rebuilt layer has %d weights, want %d", len(l2.Weights()), len(l.Weights()))
	}
	// Gradients with respect to the input and every trainable weight.
	if err := gradCheck(l, x, m); err != nil {
		t.Errorf("gradient check: %v", err)
	}
}

// GradCheck compares the layer's analytic gradients (input and trainable
// weights) with finite differences, in float64, in inference mode.
func GradCheck(l layers.Layer, x *tensor.Tensor) error { return gradCheck(l, x, nil) }

// gradCheck is GradCheck with a timestep mask in the context (may be nil).
func gradCheck(l layers.Layer, x, mask *tensor.Tensor) error {
	ws := l.Weights()
	var train []*layers.Weight
	inputs := []*tensor.Tensor{x}
	for _, w := range ws {
		if w.Trainable {
			train = append(train, w)
			inputs = append(inputs, w.Value.Data)
		}
	}
	saved := make([]*autograd.Value, len(train))
	for i, w := range train {
		saved[i] = w.Value
	}
	defer func() {
		for i, w := range train {
			w.Value = saved[i]
		}
	}()
	ctx := &layers.Context{RNG: rand.New(rand.NewPCG(3, 4)), Mask: mask}
	err := autograd.GradCheck(func(in []*autograd.Value) *autograd.Value {
		for i, w := range train {
			in[i+1].Name = saved[i].Name
			w.Value = in[i+1]
		}
		return l.Call(ctx, in[0])
	}, inputs, autograd.GradCheckOptions{})
	if err != nil {
		names := []string{"input"}
		for _, w := range train {
			names = append(names, w.Name)
		}
		return fmt.Errorf("%w (inputs in order: %v)", err, names)
	}
	return nil
}

// Spec is a helper for tests that build layers from spec text.
func Spec(typ string, args ...spec.Arg) spec.Layer {
	return spec.Layer{Type: typ, Args: args, Index: 1, Source: "test"}
}
