package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// directCases are geometries DirectConvSuits accepts: the mnist-cnn first
// layer, several channels, strides, dilations, a 1-D case, the largest K,
// rows whose pixel count is not a multiple of four, 1×1 windows, and tap
// counts at and past the kernel gradient's register groups (14 taps for
// 32 filters, 31 for 16) with f both 32s and a last 16.
var directCases = []struct {
	g ConvGeom
	f int
}{
	{ConvGeom{H: 28, W: 28, C: 1, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1}, 32},
	{ConvGeom{H: 9, W: 11, C: 3, KH: 3, KW: 3, SH: 2, SW: 2, DH: 1, DW: 1}, 16},
	{ConvGeom{H: 10, W: 13, C: 2, KH: 2, KW: 3, SH: 1, SW: 3, DH: 2, DW: 2}, 48},
	{ConvGeom{H: 1, W: 17, C: 4, KH: 1, KW: 5, SH: 1, SW: 1, DH: 1, DW: 1}, 16},
	{ConvGeom{H: 7, W: 6, C: 2, KH: 4, KW: 4, SH: 1, SW: 1, DH: 1, DW: 1}, 32},
	{ConvGeom{H: 3, W: 7, C: 1, KH: 1, KW: 1, SH: 1, SW: 1, DH: 1, DW: 1}, 16},
	{ConvGeom{H: 4, W: 10, C: 2, KH: 1, KW: 7, SH: 1, SW: 1, DH: 1, DW: 1}, 32},
	{ConvGeom{H: 6, W: 9, C: 1, KH: 3, KW: 5, SH: 1, SW: 1, DH: 1, DW: 1}, 48},
	{ConvGeom{H: 2, W: 33, C: 1, KH: 1, KW: 31, SH: 1, SW: 1, DH: 1, DW: 1}, 16},
	{ConvGeom{H: 5, W: 9, C: 4, KH: 2, KW: 4, SH: 2, SW: 2, DH: 1, DW: 1}, 48},
}

func withOut(g ConvGeom) ConvGeom {
	g.OH = ConvOutSize(g.H, g.KH, g.SH, g.DH, 0, 0)
	g.OW = ConvOutSize(g.W, g.KW, g.SW, g.DW, 0, 0)
	return g
}

func directRand(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

// directGuarded returns n values followed by guard values that must survive.
func directGuarded(n int) []float32 {
	s := make([]float32, n+16)
	for i := n; i < len(s); i++ {
		s[i] = 12345
	}
	return s[:n]
}

func directCheckGuard(t *testing.T, what string, s []float32) {
	t.Helper()
	for i, v := range s[len(s):cap(s)] {
		if v != 12345 {
			t.Fatalf("%s: guard value %d overwritten with %v", what, i, v)
		}
	}
}

func TestDirectConv(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range directCases {
		g := withOut(c.g)
		if !DirectConvSuits(&g, c.f) {
			t.Fatalf("%+v: DirectConvSuits false", g)
		}
		k, f, rows := g.PatchLen(), c.f, g.OH*g.OW
		x, w, bias := directRand(rng, g.H*g.W*g.C), directRand(rng, k*f), directRand(rng, f)
		dz := directRand(rng, rows*f)
		cols := make([]float32, rows*k)
		Im2Col(&g, x, cols)
		// References in float64: z = cols·w + bias, dw = colsᵀ·dz.
		z := make([]float64, rows*f)
		for r := range rows {
			for j := range f {
				s := float64(bias[j])
				for p := range k {
					s += float64(cols[r*k+p]) * float64(w[p*f+j])
				}
				z[r*f+j] = s
			}
		}
		dwRef := make([]float64, k*f)
		for p := range k {
			for j := range f {
				s := 1.0 // dw starts at 1: the kernels add into it
				for r := range rows {
					s += float64(cols[r*k+p]) * float64(dz[r*f+j])
				}
				dwRef[p*f+j] = s
			}
		}
		impls := []bool{false}
		if convDirectAsm {
			impls = append(impls, true)
		}
		var outs [2][]float32
		var dws [2][]float32
		for _, asm := range impls {
			name := fmt.Sprintf("%dx%dx%d k%dx%d s%d,%d d%d,%d f%d asm=%v", g.H, g.W, g.C, g.KH, g.KW, g.SH, g.SW, g.DH, g.DW, f, asm)
			for _, relu := range []bool{false, true} {
				for _, withBias := range []bool{true, false} {
					y := directGuarded(rows * f)
					b := bias
					if !withBias {
						b = nil
					}
					directConvForward(&g, x, w, b, y, f, relu, asm)
					directCheckGuard(t, name, y)
					for i, v := range y {
						want := z[i]
						if !withBias {
							want -= float64(bias[i%f])
						}
						if relu {
							want = max(want, 0)
						}
						if math.Abs(float64(v)-want) > 1e-5*(1+math.Abs(want)) {
							t.Fatalf("%s relu=%v bias=%v: y[%d] = %v, want %v", name, relu, withBias, i, v, want)
						}
					}
					if relu && withBias {
						outs[btoi(asm)] = y
					}
				}
			}
			dw := directGuarded(k * f)
			for i := range dw {
				dw[i] = 1
			}
			directConvKernelGrad(&g, x, dz, dw, f, asm)
			directCheckGuard(t, name+" dw", dw)
			for i, v := range dw {
				if want := dwRef[i]; math.Abs(float64(v)-want) > 1e-5*(1+math.Abs(want)) {
					t.Fatalf("%s: dw[%d] = %v, want %v", name, i, v, want)
				}
			}
			dws[btoi(asm)] = dw
		}
		if len(impls) == 2 { // the assembly gives the twin's bits, but for fma32's rare double rounding
			for _, pair := range [][2][]float32{{outs[0], outs[1]}, {dws[0], dws[1]}} {
				for i := range pair[0] {
					if a, b := pair[0][i], pair[1][i]; a != b && math.Abs(float64(a-b)) > 1e-6*math.Abs(float64(a)) {
						t.Fatalf("%+v: asm %v, Go twin %v at %d", g, b, a, i)
					}
				}
			}
		}
	}
}

// TestDirectConvNaN checks that NaN inputs reach the outputs through ReLU.
func TestDirectConvNaN(t *testing.T) {
	g := withOut(ConvGeom{H: 5, W: 9, C: 1, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1})
	x := make([]float32, g.H*g.W)
	x[g.W+4] = float32(math.NaN())
	w := make([]float32, 9*16)
	for i := range w {
		w[i] = -1
	}
	impls := []bool{false}
	if convDirectAsm {
		impls = append(impls, true)
	}
	for _, asm := range impls {
		y := make([]float32, g.OH*g.OW*16)
		directConvForward(&g, x, w, nil, y, 16, true, asm)
		nans := 0
		for _, v := range y {
			if v != v {
				nans++
			} else if v != 0 {
				t.Fatalf("asm=%v: got %v, want 0 or NaN", asm, v)
			}
		}
		// The NaN at (1, 4) lies in the windows of output columns 2…4 of
		// rows 0…1: 6 pixels of 16 filters.
		if nans != 6*16 {
			t.Errorf("asm=%v: %d NaNs, want %d", asm, nans, 6*16)
		}
	}
}

func TestDirectConvSuits(t *testing.T) {
	g := withOut(ConvGeom{H: 28, W: 28, C: 1, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1})
	if !DirectConvSuits(&g, 32) || DirectConvSuits(&g, 24) {
		t.Error("filters: want 32 accepted, 24 refused")
	}
	p := g
	p.PadT, p.PadL = 1, 1
	if DirectConvSuits(&p, 32) {
		t.Error("padding accepted")
	}
	c := withOut(ConvGeom{H: 13, W: 13, C: 32, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1})
	if DirectConvSuits(&c, 64) {
		t.Error("K = 288 accepted")
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BenchmarkDirectConv compares the mnist-cnn first convolution (one
// image of 28×28×1, 32 filters of 3×3) direct with im2col + GEMM.
func BenchmarkDirectConv(b *testing.B) {
	g := withOut(ConvGeom{H: 28, W: 28, C: 1, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1})
	const n, f = 128, 32
	rng := rand.New(rand.NewPCG(1, 2))
	k, rows := g.PatchLen(), g.OH*g.OW
	x, w, bias := directRand(rng, n*g.H*g.W), directRand(rng, k*f), directRand(rng, f)
	y, dw := make([]float32, n*rows*f), make([]float32, k*f)
	cols := make([]float32, n*rows*k)
	b.Run("forward/direct", func(b *testing.B) {
		for b.Loop() {
			for i := range n {
				DirectConvForward(&g, x[i*g.H*g.W:], w, bias, y[i*rows*f:], f, true)
			}
		}
	})
	b.Run("forward/im2col", func(b *testing.B) {
		for b.Loop() {
			for i := range n {
				Im2Col(&g, x[i*g.H*g.W:], cols[i*rows*k:])
			}
			GemmBiasAct(false, false, n*rows, f, k, cols, k, w, f, y, f, bias, EpilogueReLU)
		}
	})
	b.Run("kernelgrad/direct", func(b *testing.B) {
		for b.Loop() {
			for i := range n {
				DirectConvKernelGrad(&g, x[i*g.H*g.W:], y[i*rows*f:], dw, f)
			}
		}
	})
	b.Run("kernelgrad/gemm", func(b *testing.B) {
		for b.Loop() {
			Gemm(true, false, k, f, n*rows, 1, cols, k, y, f, 0, dw, f)
		}
	})
}
