package layers_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/layers/layertest"
	"github.com/deepgo-dev/deepgo/tensor"
)

// TestConvPoolMatchesKernels checks the fused first-layer Kernel against
// the Conv2D's and MaxPooling2D's own Kernels run one after the other:
// the same output bits, kernel and bias gradient bits, and input gradients
// within rounding (they go through another GEMM). Cases: odd convolution
// outputs that leave a row and column outside every window, overlapping
// windows (stride 1), same-padded pooling, no bias, batch 1, and a
// Backward after an inference Forward. The direct kernels are forced on so
// that the Go twins run where the CPU has no assembly.
func TestConvPoolMatchesKernels(t *testing.T) {
	defer layers.ForceDirectConv()()
	cases := []struct {
		filters int
		convOpt []layers.ConvOption
		poolOpt []layers.PoolOption
		sample  []int
		batch   int
	}{
		{32, nil, nil, []int{12, 12, 1}, 5},
		{16, nil, nil, []int{11, 13, 1}, 1},
		{16, []layers.ConvOption{layers.ConvWithoutBias()}, []layers.PoolOption{layers.PoolSize(3), layers.PoolStrides(1)}, []int{9, 8, 2}, 3},
		{32, nil, []layers.PoolOption{layers.PoolSize(2), layers.PoolPadding("same")}, []int{10, 9, 1}, 4},
	}
	for ci, c := range cases {
		for _, inferFirst := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d/infer%v", ci, inferFirst), func(t *testing.T) {
				build := func() (layers.Layer, layers.Layer) {
					conv := layers.NewConv2D(c.filters, []int{3}, append([]layers.ConvOption{layers.ConvActivation("relu")}, c.convOpt...)...)
					pool := layers.NewMaxPooling2D(c.poolOpt...)
					conv.SetName("conv")
					pool.SetName("pool")
					if err := conv.Build(c.sample, rand.New(rand.NewPCG(1, 2))); err != nil {
						t.Fatal(err)
					}
					if err := pool.Build(conv.OutputShape(), nil); err != nil {
						t.Fatal(err)
					}
					return conv, pool
				}
				x := layertest.Input(3, append([]int{c.batch}, c.sample...)...).AsType(tensor.Float32)
				train := &layers.Context{Training: true}
				first := train
				if inferFirst {
					first = &layers.Context{}
				}

				conv, pool := build()
				ck, pk := conv.(layers.Kernel), pool.(layers.Kernel)
				want := pk.Forward(first, ck.Forward(first, x)).Clone()
				dy := layertest.Input(4, want.Shape()...).AsType(tensor.Float32)
				wantDX := ck.Backward(pk.Backward(dy.Clone(), true), true).Clone()
				wantGrads := grads(conv)

				conv2, pool2 := build()
				fused := layers.FuseConvPool(conv2, pool2)
				if fused == nil {
					t.Fatal("FuseConvPool did not fuse")
				}
				got := fused.Forward(first, x)
				sameBits(t, "output", got.Float32s(), want.Float32s())
				gotDX := fused.Backward(dy.Clone(), true)
				for i, g := range grads(conv2) {
					sameBits(t, fmt.Sprintf("weight %d gradient", i), g, wantGrads[i])
				}
				a, b := gotDX.Float32s(), wantDX.Float32s()
				for i := range a {
					if math.Abs(float64(a[i]-b[i])) > 1e-5*(1+math.Abs(float64(b[i]))) {
						t.Fatalf("dx[%d] = %v, want %v", i, a[i], b[i])
					}
				}
				// Without dx the weight gradients are the same.
				fused.Forward(train, x)
				fused.Backward(dy.Clone(), false)
				for i, g := range grads(conv2) {
					sameBits(t, fmt.Sprintf("weight %d gradient without dx", i), g, wantGrads[i])
				}
				step := func() {
					fused.Forward(train, x)
					fused.Backward(dy, false)
				}
				if n := testing.AllocsPerRun(5, step); n != 0 {
					t.Errorf("%v allocations per training step, want 0", n)
				}
			})
		}
	}
}

// TestFuseConvPoolDeclines: only a directly run ReLU convolution followed
// by 2-D max pooling fuses.
func TestFuseConvPoolDeclines(t *testing.T) {
	defer layers.ForceDirectConv()()
	mk := func(conv layers.Layer, pool layers.Layer, in []int) (layers.Layer, layers.Layer) {
		conv.SetName("c")
		pool.SetName("p")
		if err := conv.Build(in, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		if err := pool.Build(conv.OutputShape(), nil); err != nil {
			t.Fatal(err)
		}
		return conv, pool
	}
	relu := layers.ConvActivation("relu")
	for name, pair := range map[string]func() (layers.Layer, layers.Layer){
		"tanh": func() (layers.Layer, layers.Layer) {
			return mk(layers.NewConv2D(16, []int{3}, layers.ConvActivation("tanh")), layers.NewMaxPooling2D(), []int{8, 8, 1})
		},
		"average pool": func() (layers.Layer, layers.Layer) {
			return mk(layers.NewConv2D(16, []int{3}, relu), layers.NewAveragePooling2D(), []int{8, 8, 1})
		},
		"not direct": func() (layers.Layer, layers.Layer) {
			return mk(layers.NewConv2D(10, []int{3}, relu), layers.NewMaxPooling2D(), []int{8, 8, 1})
		},
	} {
		if layers.FuseConvPool(pair()) != nil {
			t.Errorf("%s: fused", name)
		}
	}
}

func grads(l layers.Layer) [][]float32 {
	var g [][]float32
	for _, w := range l.Weights() {
		g = append(g, append([]float32(nil), w.Value.Grad.Float32s()...))
	}
	return g
}

func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}
