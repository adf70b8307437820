package layers

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/tensor"
)

// TestConvKernelGradSplit checks the kernel gradient split over pixels
// (thin convolutions with many output pixels) against the autograd path.
func TestConvKernelGradSplit(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs two threads to split")
	}
	// 5 images of 70×70 with a 3×3 window: 5·68·68 = 23,120 pixels, more
	// than 2·thinMinRows, and k·f = 9·8 ≤ thinKernelGrad.
	mk := func() *Conv2D {
		l := NewConv2D(8, []int{3}, ConvActivation("relu"))
		l.SetName("c")
		if err := l.Build([]int{70, 70, 1}, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		return l
	}
	fast, ref := mk(), mk()
	rng := rand.New(rand.NewPCG(3, 4))
	x := tensor.Zeros(5, 70, 70, 1)
	for i, d := 0, x.Float32s(); i < len(d); i++ {
		d[i] = float32(rng.NormFloat64())
	}
	y := fast.Forward(&Context{}, x)
	dy := tensor.ZerosLike(y)
	for i, d := 0, dy.Float32s(); i < len(d); i++ {
		d[i] = float32(rng.NormFloat64())
	}
	yref := ref.Call(&Context{}, autograd.Const(x))
	autograd.Backward(autograd.Sum(autograd.Mul(yref, autograd.Const(dy.Clone())), false))
	fast.Backward(dy, false)
	got, want := fast.kernel.Value.Grad.Float32s(), ref.kernel.Value.Grad.Float32s()
	for i := range want {
		// Sums of 23,120 products in a different order: float32 rounding.
		if math.Abs(float64(got[i]-want[i])) > 1e-3*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("dkernel[%d] = %v split over pixels, %v through autograd", i, got[i], want[i])
		}
	}
	if len(fast.fast.dwParts) < 2 {
		t.Errorf("the split path did not run (%d parts)", len(fast.fast.dwParts))
	}
}
