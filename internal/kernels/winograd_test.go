package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// winogradGeoms are 3×3 stride-1 geometries with valid and same padding,
// odd and even output sizes, images smaller than a tile row and channel
// counts of one and several SIMD registers.
func winogradGeoms() []ConvGeom {
	var gs []ConvGeom
	for _, hw := range [][2]int{{13, 13}, {6, 9}, {3, 3}, {4, 7}, {1, 5}} {
		for _, c := range []int{16, 32} {
			for _, pad := range []int{0, 1} { // valid, same
				g := ConvGeom{H: hw[0], W: hw[1], C: c, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, PadT: pad, PadL: pad}
				g.OH = ConvOutSize(g.H, 3, 1, 1, pad, pad)
				g.OW = ConvOutSize(g.W, 3, 1, 1, pad, pad)
				if g.OH > 0 && g.OW > 0 {
					gs = append(gs, g)
				}
			}
		}
	}
	return gs
}

// convRef64 computes the direct convolution y = act(conv(x) + bias) and,
// for an output gradient dy, the gradients of x, the kernel and the bias,
// in float64 (dy is taken after the activation's derivative).
func convRef64(g *ConvGeom, n, f int, x, w, bias, dz []float32) (y, dx, dw, db []float64) {
	c := g.C
	y = make([]float64, n*g.OH*g.OW*f)
	dx = make([]float64, n*g.H*g.W*c)
	dw = make([]float64, 9*c*f)
	db = make([]float64, f)
	for i := range n {
		for oy := range g.OH {
			for ox := range g.OW {
				o := ((i*g.OH+oy)*g.OW + ox) * f
				for j := range f {
					s := float64(bias[j])
					for ky := range 3 {
						for kx := range 3 {
							iy, ix := oy+ky-g.PadT, ox+kx-g.PadL
							if iy < 0 || iy >= g.H || ix < 0 || ix >= g.W {
								continue
							}
							xi := ((i*g.H+iy)*g.W + ix) * c
							for ch := range c {
								wi := ((ky*3+kx)*c+ch)*f + j
								s += float64(x[xi+ch]) * float64(w[wi])
								dx[xi+ch] += float64(dz[o+j]) * float64(w[wi])
								dw[wi] += float64(dz[o+j]) * float64(x[xi+ch])
							}
						}
					}
					y[o+j] = s
					db[j] += float64(dz[o+j])
				}
			}
		}
	}
	return
}

// wgClose checks got against want within tol of want's largest magnitude.
// The tests use 1e-5: a float32 sum of up to 9·C products (here ≤ 288)
// with unit-normal data rounds to a few 1e-7 of the largest value
// (measured 3e-7 for Winograd, 6e-7 for im2col + GEMM on mnist-cnn's
// second layer), so 1e-5 leaves a margin of 15–30× and still catches a
// wrong tap, tile or channel, which is off by O(1).
func wgClose(t *testing.T, what string, got []float32, want []float64, tol float64) {
	t.Helper()
	scale := 0.0
	for _, v := range want {
		scale = max(scale, math.Abs(v))
	}
	for i, v := range want {
		if d := math.Abs(float64(got[i]) - v); !(d <= tol*max(scale, 1)) {
			t.Fatalf("%s[%d] = %v, want %v (scale %g)", what, i, got[i], v, scale)
		}
	}
}

// TestWinogradConv checks Forward and Backward against the direct
// convolution in float64, with every micro-kernel this CPU runs (the
// pure-Go one included), for batches of one to five images.
func TestWinogradConv(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, kern := range sgemmKernels {
		for _, g := range winogradGeoms() {
			for _, f := range []int{16, 64} {
				for _, n := range []int{1, 5} {
					g := g
					if !winogradGeom(&g, f, kern) {
						t.Fatalf("%+v f=%d: winogradGeom false", g, f)
					}
					name := fmt.Sprintf("%s/%dx%dx%d/pad%d/f%d/n%d", kern.name, g.H, g.W, g.C, g.PadT, f, n)
					x := directRand(rng, n*g.H*g.W*g.C)
					w := directRand(rng, 9*g.C*f)
					bias := directRand(rng, f)
					dy := directRand(rng, n*g.OH*g.OW*f)
					var wg Winograd
					y := directGuarded(n * g.OH * g.OW * f)
					wg.run(kern, &g, x, n, w, f, bias, false, y, 2)
					directCheckGuard(t, name+" y", y)
					dz := append([]float32(nil), dy...)
					dx := directGuarded(n * g.H * g.W * g.C)
					for i := range dx {
						dx[i] = float32(math.NaN()) // every value must be written
					}
					dw, db := directGuarded(9*g.C*f), directGuarded(f)
					wg.backwardWith(kern, &g, x, n, f, dz, nil, dw, db, dx, 2)
					directCheckGuard(t, name+" dx", dx)
					directCheckGuard(t, name+" dw", dw)
					yr, dxr, dwr, dbr := convRef64(&g, n, f, x, w, bias, dy)
					wgClose(t, name+" y", y, yr, 1e-5)
					wgClose(t, name+" dx", dx, dxr, 1e-5)
					wgClose(t, name+" dw", dw, dwr, 1e-5)
					wgClose(t, name+" dbias", db, dbr, 1e-5)
				}
			}
		}
	}
}

// TestWinogradReLU checks the fused ReLU: forward clamps, and Backward
// multiplies dz by relu'(y) before the gradients, as the layer's unfused
// path does.
func TestWinogradReLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	g := ConvGeom{H: 7, W: 8, C: 16, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1}
	g.OH, g.OW = 5, 6
	n, f := 3, 32
	kern := sgemmKernels[len(sgemmKernels)-1]
	x, w, bias := directRand(rng, n*g.H*g.W*g.C), directRand(rng, 9*g.C*f), directRand(rng, f)
	var wg Winograd
	y := make([]float32, n*g.OH*g.OW*f)
	wg.run(kern, &g, x, n, w, f, bias, true, y, 1)
	dy := directRand(rng, len(y))
	masked := make([]float32, len(dy))
	for i, v := range y {
		if v < 0 {
			t.Fatalf("y[%d] = %v after ReLU", i, v)
		}
		if v > 0 {
			masked[i] = dy[i]
		}
	}
	yr, dxr, dwr, dbr := convRef64(&g, n, f, x, w, bias, masked)
	for i := range yr {
		yr[i] = max(yr[i], 0)
	}
	wgClose(t, "y", y, yr, 1e-5)
	dx, dw, db := make([]float32, len(x)), make([]float32, len(w)), make([]float32, f)
	wg.backwardWith(kern, &g, x, n, f, dy, y, dw, db, dx, 1)
	wgClose(t, "dx", dx, dxr, 1e-5)
	wgClose(t, "dw", dw, dwr, 1e-5)
	wgClose(t, "dbias", db, dbr, 1e-5)
}

// TestWinogradDeterministic checks that two runs give the same bits and
// that the part split does not depend on which goroutine ran which part.
func TestWinogradDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	g := ConvGeom{H: 13, W: 13, C: 32, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, OH: 11, OW: 11}
	n, f := 9, 64
	x, w, dy := directRand(rng, n*g.H*g.W*g.C), directRand(rng, 9*g.C*f), directRand(rng, n*g.OH*g.OW*f)
	run := func() ([]float32, []float32) {
		var wg Winograd
		y := make([]float32, n*g.OH*g.OW*f)
		wg.run(sgemmKernel, &g, x, n, w, f, nil, false, y, 2)
		dw, dx := make([]float32, len(w)), make([]float32, len(x))
		wg.backwardWith(sgemmKernel, &g, x, n, f, append([]float32(nil), dy...), nil, dw, nil, dx, 2)
		return dw, dx
	}
	dw1, dx1 := run()
	for range 3 {
		dw2, dx2 := run()
		for i := range dw1 {
			if math.Float32bits(dw1[i]) != math.Float32bits(dw2[i]) {
				t.Fatalf("dw[%d]: %v then %v", i, dw1[i], dw2[i])
			}
		}
		for i := range dx1 {
			if math.Float32bits(dx1[i]) != math.Float32bits(dx2[i]) {
				t.Fatalf("dx[%d]: %v then %v", i, dx1[i], dx2[i])
			}
		}
	}
}

func TestWinogradSuits(t *testing.T) {
	g := ConvGeom{H: 13, W: 13, C: 32, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, OH: 11, OW: 11}
	kern := sgemmKernels[len(sgemmKernels)-1]
	if !winogradGeom(&g, 64, kern) {
		t.Fatal("mnist-cnn's second convolution does not fit")
	}
	for _, bad := range []func(*ConvGeom) int{
		func(g *ConvGeom) int { g.SH = 2; return 64 },
		func(g *ConvGeom) int { g.DW = 2; return 64 },
		func(g *ConvGeom) int { g.KH = 5; return 64 },
		func(g *ConvGeom) int { g.C = 3; return 64 },
		func(g *ConvGeom) int { return 10 },
	} {
		h := g
		if f := bad(&h); winogradGeom(&h, f, kern) {
			t.Errorf("%+v f=%d: fits", h, f)
		}
	}
}

// BenchmarkWinograd times mnist-cnn's second convolution at batch 128:
// forward, and forward plus backward, against ConvGemm's forward.
func BenchmarkWinograd(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	g := ConvGeom{H: 13, W: 13, C: 32, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, OH: 11, OW: 11}
	n, f := 128, 64
	x, w, bias := directRand(rng, n*g.H*g.W*g.C), directRand(rng, 9*g.C*f), directRand(rng, f)
	y := make([]float32, n*g.OH*g.OW*f)
	dy := directRand(rng, len(y))
	dx, dw, db := make([]float32, len(x)), make([]float32, len(w)), make([]float32, f)
	if !WinogradSuits(&g, f) {
		b.Skip("no assembly kernels")
	}
	b.Run("forward", func(b *testing.B) {
		var wg Winograd
		for b.Loop() {
			wg.Forward(&g, x, n, w, f, bias, true, y, 2)
		}
	})
	b.Run("convgemm-forward", func(b *testing.B) {
		var cg ConvGemm
		for b.Loop() {
			cg.Forward(&g, x, n, w, f, bias, true, y, 2)
		}
	})
	b.Run("train", func(b *testing.B) {
		var wg Winograd
		for b.Loop() {
			wg.Forward(&g, x, n, w, f, bias, true, y, 2)
			wg.Backward(&g, x, n, f, dy, y, dw, db, dx, 2)
		}
	})
}
