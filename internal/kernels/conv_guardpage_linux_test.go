package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestConvKernelsReadNothingPastEnd runs the assembly of the direct
// convolution and of Im2Col and Col2Im with every operand ending where an
// inaccessible page begins (pageEnd, from the GEMM tests), over channel
// counts that leave every tail length of a register: a load or store one
// element past the end crashes the test. The results are compared with the
// Go paths.
func TestConvKernelsReadNothingPastEnd(t *testing.T) {
	if !convRunAsm || !convDirectAsm {
		t.Skip("no assembly on this CPU or build")
	}
	r := rand.New(rand.NewPCG(9, 10))
	fill := func(s []float32) {
		for i := range s {
			s[i] = float32(r.NormFloat64())
		}
	}
	for c := 1; c <= 17; c++ {
		g := ConvGeom{H: 5, W: 6, C: c, KH: 2, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, OH: 4, OW: 4}
		what := fmt.Sprintf("C=%d", c)
		in, n := g.H*g.W*g.C, g.OH*g.OW*g.PatchLen()
		x, freeX := pageEnd(t, in)
		cols, freeCols := pageEnd(t, n)
		dx, freeDX := pageEnd(t, in)
		fill(x)
		Im2Col(&g, x, cols)
		want := make([]float32, n)
		im2colGoRef(&g, x, want)
		if i := sameBits32(cols, want); i >= 0 {
			t.Errorf("%s: cols[%d] = %v, want %v", what, i, cols[i], want[i])
		}
		Col2Im(&g, cols, dx)
		dxWant := make([]float32, in)
		col2imGoRef(&g, want, dxWant)
		if i := sameBits32(dx, dxWant); i >= 0 {
			t.Errorf("%s: dx[%d] = %v, want %v", what, i, dx[i], dxWant[i])
		}
		// f = 16 runs the kernel gradient's 16-filter block, 32 its
		// 32-filter block, 48 both.
		for _, f := range []int{16, 32, 48} {
			k := g.PatchLen()
			if k > DirectConvMaxK {
				break
			}
			w, freeW := pageEnd(t, k*f)
			b, freeB := pageEnd(t, f)
			y, freeY := pageEnd(t, g.OH*g.OW*f)
			dw, freeDW := pageEnd(t, k*f)
			fill(w)
			fill(b)
			DirectConvForward(&g, x, w, b, y, f, true)
			DirectConvKernelGrad(&g, x, y, dw, f)
			yWant, dwWant := make([]float32, len(y)), make([]float32, len(dw))
			directConvForward(&g, x, w, b, yWant, f, true, false)
			directConvKernelGrad(&g, x, yWant, dwWant, f, false)
			for i := range y {
				if d := y[i] - yWant[i]; d > 1e-5 || d < -1e-5 {
					t.Errorf("%s f=%d: y[%d] = %v, want %v", what, f, i, y[i], yWant[i])
					break
				}
			}
			for i := range dw {
				if d := dw[i] - dwWant[i]; d > 1e-4 || d < -1e-4 {
					t.Errorf("%s f=%d: dw[%d] = %v, want %v", what, f, i, dw[i], dwWant[i])
					break
				}
			}
			freeW()
			freeB()
			freeY()
			freeDW()
		}
		freeX()
		freeCols()
		freeDX()
	}
}
