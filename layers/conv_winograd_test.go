package layers_test

import (
	"math/rand/v2"
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/layers/layertest"
	"github.com/deepgo-dev/deepgo/tensor"
)

// TestConvWinograd runs the Kernel-versus-Call check on 3×3 stride-1
// convolutions over 16·i channels, which run as Winograd F(2×2, 3×3)
// (forced, so that the Go twins run too where the CPU has no assembly):
// valid and same padding, odd and even sizes, ReLU and linear, with and
// without bias; then that a training step allocates nothing.
func TestConvWinograd(t *testing.T) {
	defer layers.ForceWinograd()()
	o := func(opts ...layers.ConvOption) []layers.ConvOption { return opts }
	cases := []struct {
		name    string
		filters int
		opts    []layers.ConvOption
		sample  []int
	}{
		{"valid relu odd", 32, o(layers.ConvActivation("relu")), []int{7, 9, 16}},
		{"same linear even", 16, o(layers.ConvPadding("same")), []int{6, 4, 16}},
		{"same relu no bias", 48, o(layers.ConvPadding("same"), layers.ConvActivation("relu"), layers.ConvWithoutBias()), []int{5, 5, 32}},
		{"valid one tile", 16, nil, []int{3, 3, 16}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			newLayer := func() layers.Layer { return layers.NewConv2D(c.filters, []int{3}, c.opts...) }
			layertest.CheckKernel(t, newLayer, c.sample)
			l := newLayer()
			l.SetName("c")
			if err := l.Build(c.sample, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			k := l.(layers.Kernel)
			x, ctx := tensor.Zeros(append([]int{3}, c.sample...)...), &layers.Context{Training: true}
			dy := tensor.Zeros(append([]int{3}, l.OutputShape()...)...)
			step := func() {
				k.Forward(ctx, x)
				k.Backward(dy, true)
			}
			step()
			if !layers.RanWinograd(l) {
				t.Fatal("the convolution did not run as Winograd")
			}
			if n := testing.AllocsPerRun(5, step); n != 0 {
				t.Errorf("%v allocations per training step, want 0", n)
			}
		})
	}
}
