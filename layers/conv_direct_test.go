package layers_test

import (
	"math/rand/v2"
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/layers/layertest"
	"github.com/deepgo-dev/deepgo/tensor"
)

// TestConvDirect runs the Kernel-versus-Call check on convolutions that
// run directly (16·j filters, no padding, few patch columns), with the
// direct kernels forced on so that the Go twins run too where the CPU has
// no assembly: forward, kernel gradient, and the input gradient that the
// direct path takes through im2col + GEMM.
func TestConvDirect(t *testing.T) {
	defer layers.ForceDirectConv()()
	o := func(opts ...layers.ConvOption) []layers.ConvOption { return opts }
	cases := []struct {
		name    string
		rank    int
		filters int
		k       []int
		opts    []layers.ConvOption
		sample  []int
	}{
		{"2d relu grey", 2, 32, []int{3}, o(layers.ConvActivation("relu")), []int{9, 7, 1}},
		{"2d linear strides 2,1 dilation", 2, 16, []int{2, 3}, o(layers.ConvStrides(2, 1)), []int{7, 6, 2}},
		{"2d dilation 2 no bias", 2, 48, []int{2}, o(layers.ConvDilationRate(2), layers.ConvWithoutBias(), layers.ConvActivation("relu")), []int{6, 9, 3}},
		{"1d", 1, 16, []int{3}, o(layers.ConvStrides(2)), []int{11, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			newLayer := func() layers.Layer {
				if c.rank == 1 {
					return layers.NewConv1D(c.filters, c.k[0], c.opts...)
				}
				return layers.NewConv2D(c.filters, c.k, c.opts...)
			}
			layertest.CheckKernel(t, newLayer, c.sample)
			l := newLayer()
			l.SetName("c")
			if err := l.Build(c.sample, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			l.(layers.Kernel).Forward(&layers.Context{}, tensor.Zeros(append([]int{2}, c.sample...)...))
			if !layers.RanDirect(l) {
				t.Error("the convolution did not run directly")
			}
			// The weight gradients must not depend on whether dx is asked
			// for (without it, dZ goes into a scratch buffer).
			var grads [2][]*tensor.Tensor
			for i, needDX := range []bool{false, true} {
				l := newLayer()
				l.SetName("c")
				if err := l.Build(c.sample, rand.New(rand.NewPCG(1, 1))); err != nil {
					t.Fatal(err)
				}
				x := layertest.Input(3, append([]int{3}, c.sample...)...).AsType(tensor.Float32)
				k := l.(layers.Kernel)
				y := k.Forward(&layers.Context{Training: true}, x)
				k.Backward(layertest.Input(4, y.Shape()...).AsType(tensor.Float32), needDX)
				for _, w := range l.Weights() {
					grads[i] = append(grads[i], w.Value.Grad)
				}
			}
			for j := range grads[0] {
				a, b := grads[0][j].Float32s(), grads[1][j].Float32s()
				for i := range a {
					if a[i] != b[i] {
						t.Fatalf("weight %d gradient[%d] = %v without dx, %v with", j, i, a[i], b[i])
					}
				}
			}
			k := l.(layers.Kernel)
			x, ctx := tensor.Zeros(append([]int{3}, c.sample...)...), &layers.Context{Training: true}
			dy := tensor.Zeros(append([]int{3}, l.OutputShape()...)...)
			step := func() {
				k.Forward(ctx, x)
				k.Backward(dy, false)
			}
			step()
			if n := testing.AllocsPerRun(5, step); n != 0 {
				t.Errorf("%v allocations per training step, want 0", n)
			}
		})
	}
}

// TestConvBackwardAfterInference: an inference Forward keeps no patch
// matrix, so a Backward after it rebuilds one; the gradients must be
// those after a training Forward. Chunks of one image make the inference
// buffer smaller than the batch's patch matrix.
func TestConvBackwardAfterInference(t *testing.T) {
	defer layers.SetConvChunkBytes(1)()
	grads := func(training bool) [][]float32 {
		l := layers.NewConv2D(5, []int{3}, layers.ConvActivation("relu"))
		l.SetName("c")
		if err := l.Build([]int{6, 7, 3}, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		x := layertest.Input(3, 4, 6, 7, 3).AsType(tensor.Float32)
		dy := layertest.Input(4, append([]int{4}, l.OutputShape()...)...).AsType(tensor.Float32)
		l.Forward(&layers.Context{Training: training}, x)
		dx := l.Backward(dy, true)
		return [][]float32{dx.Float32s(), l.Weights()[0].Value.Grad.Float32s(), l.Weights()[1].Value.Grad.Float32s()}
	}
	want, got := grads(true), grads(false)
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Fatalf("gradient %d[%d] = %v after an inference Forward, %v after a training one", i, j, got[i][j], want[i][j])
			}
		}
	}
}

// TestConvChunked runs the Kernel-versus-Call check with chunks of one
// image, so that Forward and Backward go through several chunks of patches
// (Backward rebuilding each): kernel gradients summed over chunks, with
// fewer filters than patch columns and more.
func TestConvChunked(t *testing.T) {
	defer layers.SetConvChunkBytes(1)()
	o := func(opts ...layers.ConvOption) []layers.ConvOption { return opts }
	cases := []struct {
		name    string
		filters int
		k       []int
		opts    []layers.ConvOption
		sample  []int
	}{
		{"f < k relu", 4, []int{3}, o(layers.ConvActivation("relu")), []int{6, 5, 3}},
		{"f > k same stride 2", 7, []int{2, 3}, o(layers.ConvPadding("same"), layers.ConvStrides(2)), []int{7, 6, 1}},
		{"dilation tanh", 3, []int{2}, o(layers.ConvDilationRate(2), layers.ConvActivation("tanh")), []int{6, 6, 2}},
		// More than 16 filters, KW·C a multiple of 8: Forward gathers GEMM's
		// panels from the images (kernels.ConvGemm) where the CPU allows.
		{"packed forward same relu", 32, []int{3}, o(layers.ConvPadding("same"), layers.ConvActivation("relu")), []int{7, 6, 8}},
		{"packed forward strides no bias", 24, []int{2, 3}, o(layers.ConvStrides(2, 1), layers.ConvWithoutBias()), []int{7, 9, 8}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			layertest.CheckKernel(t, func() layers.Layer { return layers.NewConv2D(c.filters, c.k, c.opts...) }, c.sample)
		})
	}
}
