package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// im2colGoRef and col2imGoRef are the pure-Go paths of Im2Col and Col2Im
// (pixel by pixel), the twins of the float32 run kernels.
func im2colGoRef(g *ConvGeom, x, cols []float32) {
	k := g.PatchLen()
	for oy := range g.OH {
		for ox := range g.OW {
			row := oy*g.OW + ox
			im2colPixel(g, x, cols[row*k:row*k+k], oy, ox)
		}
	}
}

func col2imGoRef(g *ConvGeom, dcols, dx []float32) {
	k := g.PatchLen()
	clear(dx[:g.H*g.W*g.C])
	for oy := range g.OH {
		for ox := range g.OW {
			row := oy*g.OW + ox
			col2imPixel(g, dcols[row*k:row*k+k], dx, oy, ox)
		}
	}
}

// TestIm2ColRuns checks Im2Col and Col2Im on float32, which use the run
// kernels where the CPU has them, bit for bit against the Go paths, over
// the im2col test geometries and wider ones with 5 to 40 channels (rows of
// 15 to 120 values: whole registers and partial ones), with guard values
// around the outputs.
func TestIm2ColRuns(t *testing.T) {
	if !convRunAsm {
		t.Skip("no run kernels on this CPU or build")
	}
	geoms := convGeoms()
	for _, c := range []int{5, 16, 32, 40} {
		for _, pad := range []int{0, 1} {
			for _, s := range []int{1, 2} {
				g := ConvGeom{H: 9, W: 11, C: c, KH: 3, KW: 3, SH: s, SW: s, DH: 1, DW: 1, PadT: pad, PadL: pad}
				g.OH = ConvOutSize(g.H, 3, s, 1, pad, pad)
				g.OW = ConvOutSize(g.W, 3, s, 1, pad, pad)
				geoms = append(geoms, g)
			}
		}
		g := ConvGeom{H: 8, W: 10, C: c, KH: 2, KW: 3, SH: 1, SW: 2, DH: 3, DW: 1}
		g.OH, g.OW = ConvOutSize(8, 2, 1, 3, 0, 0), ConvOutSize(10, 3, 2, 1, 0, 0)
		geoms = append(geoms, g)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const guard = 12345
	for _, g := range geoms {
		n, in := g.OH*g.OW*g.PatchLen(), g.H*g.W*g.C
		x, r := make([]float32, in), make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		for i := range r {
			r[i] = float32(rng.NormFloat64())
		}
		got, want := make([]float32, n+16), make([]float32, n+16)
		for i := range got {
			got[i], want[i] = guard, guard
		}
		Im2Col(&g, x, got)
		im2colGoRef(&g, x, want)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%+v: Im2Col cols[%d] = %v, Go path %v", g, i, got[i], want[i])
			}
		}
		dGot, dWant := make([]float32, in+16), make([]float32, in+16)
		for i := range dGot {
			dGot[i], dWant[i] = guard, guard
		}
		Col2Im(&g, r, dGot)
		col2imGoRef(&g, r, dWant)
		for i := range dGot {
			if math.Float32bits(dGot[i]) != math.Float32bits(dWant[i]) {
				t.Fatalf("%+v: Col2Im dx[%d] = %v, Go path %v", g, i, dGot[i], dWant[i])
			}
		}
	}
}

// BenchmarkIm2Col times the mnist-cnn second layer's patches (13×13×32,
// 3×3) for one chunk of 15 images, with the run kernels and the Go path.
func BenchmarkIm2Col(b *testing.B) {
	g := ConvGeom{H: 13, W: 13, C: 32, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, OH: 11, OW: 11}
	in, out := g.H*g.W*g.C, g.OH*g.OW*g.PatchLen()
	x, cols := make([]float32, 15*in), make([]float32, 15*out)
	for name, f := range map[string]func(x, cols []float32){
		"im2col":    func(x, cols []float32) { Im2Col(&g, x, cols) },
		"im2col-go": func(x, cols []float32) { im2colGoRef(&g, x, cols) },
		"col2im":    func(x, cols []float32) { Col2Im(&g, cols, x) },
		"col2im-go": func(x, cols []float32) { col2imGoRef(&g, cols, x) },
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				for i := range 15 {
					f(x[i*in:], cols[i*out:])
				}
			}
		})
	}
}
