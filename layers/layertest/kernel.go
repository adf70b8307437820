package layertest

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// CheckKernel compares a layer's Kernel (Forward and Backward on buffers)
// with its Call through autograd, in float32, in training mode with the
// same random draws: outputs, input gradients and weight gradients must
// agree to float32 rounding. A batch of 3 is run twice, then a batch of 2,
// to exercise buffer reuse and partial batches. Layers without a fast
// kernel are skipped.
func CheckKernel(t *testing.T, newLayer func() layers.Layer, sample []int) {
	t.Helper()
	CheckKernelMasked(t, newLayer, sample, nil)
}

// MaskFunc returns the timestep mask (1 = real step, 0 = padding) for a
// batch of n samples, in dtype dt; see layers.NextMask.
type MaskFunc func(n int, dt tensor.DType) *tensor.Tensor

// CheckKernelMasked is CheckKernel with Context.Mask set to mask's result
// (no mask when mask is nil) for both the kernel and the reference.
func CheckKernelMasked(t *testing.T, newLayer func() layers.Layer, sample []int, mask MaskFunc) {
	t.Helper()
	fast, ref := newLayer(), newLayer()
	k, ok := fast.(layers.Kernel)
	if !ok {
		return
	}
	for _, l := range []layers.Layer{fast, ref} {
		l.SetName("k")
		if err := l.Build(sample, rand.New(rand.NewPCG(5, 6))); err != nil {
			t.Fatalf("Build: %v", err)
		}
	}
	if !k.Fast() {
		return
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for round, n := range []int{3, 3, 2} {
		shape := append([]int{n}, sample...)
		x := tensor.Zeros(shape...)
		for i, d := 0, x.Float32s(); i < len(d); i++ {
			d[i] = float32(rng.NormFloat64())
		}
		// Reference: autograd, loss = Σ y ⊙ R.
		seed := uint64(round + 1)
		xv := autograd.Param(x, "x")
		var m *tensor.Tensor
		if mask != nil {
			m = mask(n, tensor.Float32)
		}
		yref := ref.Call(&layers.Context{Training: true, RNG: rand.New(rand.NewPCG(seed, 1)), Mask: m}, xv)
		r := tensor.ZerosLike(yref.Data)
		for i, d := 0, r.Float32s(); i < len(d); i++ {
			d[i] = float32(0.5 + math.Mod(float64(i)*0.618033988749895, 1))
		}
		for _, w := range ref.Weights() {
			w.Value.ZeroGrad()
		}
		autograd.Backward(autograd.Sum(autograd.Mul(yref, autograd.Const(r)), false))
		// Kernel.
		y := k.Forward(&layers.Context{Training: true, RNG: rand.New(rand.NewPCG(seed, 1)), Mask: m}, x)
		near(t, "output", y, yref.Data)
		dx := k.Backward(r.Clone(), true)
		near(t, "input gradient", dx, xv.Grad)
		fw, rw := fast.Weights(), ref.Weights()
		for i := range fw {
			if fw[i].Trainable {
				near(t, fw[i].Name+" gradient", fw[i].Value.Grad, rw[i].Value.Grad)
			}
		}
	}
}

func near(t *testing.T, what string, got, want *tensor.Tensor) {
	t.Helper()
	if got == nil || want == nil {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
	if !tensor.SameShape(got.Shape(), want.Shape()) {
		t.Fatalf("%s: shape %v from the kernel, %v from Call", what, got.Shape(), want.Shape())
	}
	g, w := got.Values(), want.Values()
	for i := range g {
		if math.Abs(g[i]-w[i]) > 1e-5*(1+math.Abs(w[i])) {
			t.Fatalf("%s[%d] = %v from the kernel, %v from Call", what, i, g[i], w[i])
		}
	}
}
