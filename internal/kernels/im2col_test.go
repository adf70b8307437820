package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// convGeoms returns the geometries the im2col tests sweep: every
// combination of small sizes, strides, dilations and paddings, including
// windows that hang over every edge and 1×1 identity windows.
func convGeoms() []ConvGeom {
	var gs []ConvGeom
	for _, h := range []int{1, 4, 5} {
		for _, c := range []int{1, 3} {
			for _, k := range [][2]int{{1, 1}, {1, 3}, {2, 3}, {3, 3}} {
				for _, s := range []int{1, 2} {
					for _, d := range []int{1, 2} {
						for _, pad := range []int{0, 1, 2} {
							kh := min(k[0], h)
							g := ConvGeom{H: h, W: 6, C: c, KH: kh, KW: k[1], SH: s, SW: s, DH: d, DW: d, PadT: pad, PadL: pad}
							// Padding below/right: one less than above/left, as "same" does.
							g.OH = ConvOutSize(h, kh, s, d, pad, max(pad-1, 0))
							g.OW = ConvOutSize(6, k[1], s, d, pad, max(pad-1, 0))
							if g.OH > 0 && g.OW > 0 {
								gs = append(gs, g)
							}
						}
					}
				}
			}
		}
	}
	return gs
}

// guard fills the tail of a slice that a kernel must not touch.
const guardValue = 1e30

func TestIm2ColMatchesFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, g := range convGeoms() {
		x := make([]float64, g.H*g.W*g.C)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		n := g.OH * g.OW * g.PatchLen()
		cols := make([]float64, n+4)
		for i := range cols {
			cols[i] = guardValue
		}
		Im2Col(&g, x, cols)
		for i := n; i < len(cols); i++ {
			if cols[i] != guardValue {
				t.Fatalf("%+v: Im2Col wrote past the patch matrix at %d", g, i)
			}
		}
		i := 0
		for oy := range g.OH {
			for ox := range g.OW {
				for ky := range g.KH {
					for kx := range g.KW {
						for c := range g.C {
							iy, ix := oy*g.SH-g.PadT+ky*g.DH, ox*g.SW-g.PadL+kx*g.DW
							want := 0.0
							if iy >= 0 && iy < g.H && ix >= 0 && ix < g.W {
								want = x[(iy*g.W+ix)*g.C+c]
							}
							if cols[i] != want {
								t.Fatalf("%+v: cols[%d] = %v, want %v", g, i, cols[i], want)
							}
							i++
						}
					}
				}
			}
		}
	}
}

// TestCol2ImIsAdjoint checks ⟨Im2Col(x), r⟩ = ⟨x, Col2Im(r)⟩ for random x
// and r, which is what makes Col2Im the gradient of Im2Col.
func TestCol2ImIsAdjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, g := range convGeoms() {
		x := make([]float64, g.H*g.W*g.C)
		r := make([]float64, g.OH*g.OW*g.PatchLen())
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		for i := range r {
			r[i] = rng.NormFloat64()
		}
		cols := make([]float64, len(r))
		Im2Col(&g, x, cols)
		dx := make([]float64, len(x)+3)
		for i := range dx {
			dx[i] = guardValue // Col2Im overwrites: stale values must not survive
		}
		Col2Im(&g, r, dx)
		for i := len(x); i < len(dx); i++ {
			if dx[i] != guardValue {
				t.Fatalf("%+v: Col2Im wrote past the image at %d", g, i)
			}
		}
		var lhs, rhs float64
		for i := range r {
			lhs += cols[i] * r[i]
		}
		for i := range x {
			rhs += x[i] * dx[i]
		}
		if math.Abs(lhs-rhs) > 1e-9*(1+math.Abs(lhs)) {
			t.Fatalf("%+v: <Im2Col(x), r> = %v, <x, Col2Im(r)> = %v", g, lhs, rhs)
		}
	}
}

func TestConvOutSize(t *testing.T) {
	cases := []struct{ in, k, s, d, before, after, want int }{
		{28, 3, 1, 1, 0, 0, 26}, // the mnist-cnn first convolution
		{13, 3, 1, 1, 0, 0, 11}, // its second, after 2×2 pooling
		{5, 3, 2, 1, 1, 1, 3},   // "same" with stride 2: ⌈5/2⌉
		{7, 3, 1, 2, 0, 0, 3},   // dilated window spans 5
		{2, 3, 1, 1, 0, 0, 0},   // window longer than the input
	}
	for _, c := range cases {
		if got := ConvOutSize(c.in, c.k, c.s, c.d, c.before, c.after); got != c.want {
			t.Errorf("ConvOutSize(%d, %d, %d, %d, %d, %d) = %d, want %d", c.in, c.k, c.s, c.d, c.before, c.after, got, c.want)
		}
	}
}
