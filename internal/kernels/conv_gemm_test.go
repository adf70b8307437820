package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPackPix8 checks packPix8 (the assembly where the CPU has it) against
// the Go twin, bit for bit.
func TestPackPix8(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{8, 16, 96, 104} {
		rows := make([][]float32, 8)
		var srcs [8]*float32
		for i := range rows {
			rows[i] = directRand(rng, n+i) // rows of different lengths and addresses
			srcs[i] = &rows[i][i]
		}
		got, want := make([]float32, 8*n+8), make([]float32, 8*n+8)
		got[8*n], want[8*n] = 12345, 12345
		packPix8(got, &srcs, n)
		packPix8Go(want, &srcs, n)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("n %d: dst[%d] = %v, want %v", n, i, got[i], want[i])
			}
		}
	}
}

// TestConvGemm checks ConvGemm.Forward bit for bit against Im2Col followed
// by GemmBiasAct (the same packed panels through the same micro-kernel),
// over paddings, strides, dilation along y, channel counts, batches whose
// pixel count is not a multiple of the 8-row panels or the 128-row blocks,
// with and without bias and ReLU, on one and two threads.
func TestConvGemm(t *testing.T) {
	if !convPackAsm {
		t.Skip("no assembly on this CPU or build")
	}
	rng := rand.New(rand.NewPCG(13, 14))
	geoms := []ConvGeom{
		{H: 13, W: 13, C: 32, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1},
		{H: 9, W: 7, C: 8, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, PadT: 1, PadL: 1},
		{H: 10, W: 11, C: 16, KH: 2, KW: 3, SH: 2, SW: 2, DH: 2, DW: 1, PadT: 1, PadL: 0},
		{H: 1, W: 20, C: 8, KH: 1, KW: 5, SH: 1, SW: 3, DH: 1, DW: 1, PadL: 2},
	}
	for _, g := range geoms {
		g.OH = ConvOutSize(g.H, g.KH, g.SH, g.DH, g.PadT, g.PadT)
		g.OW = ConvOutSize(g.W, g.KW, g.SW, g.DW, g.PadL, g.PadL)
		for _, f := range []int{32, 40, 64} {
			if !ConvGemmSuits(&g, f) {
				t.Fatalf("%+v f %d: ConvGemmSuits false", g, f)
			}
			k := g.PatchLen()
			for _, n := range []int{1, 3, 7} {
				x, w, bias := directRand(rng, n*g.H*g.W*g.C), directRand(rng, k*f), directRand(rng, f)
				rows := n * g.OH * g.OW
				cols := make([]float32, rows*k)
				for i := range n {
					Im2Col(&g, x[i*g.H*g.W*g.C:], cols[i*g.OH*g.OW*k:])
				}
				var cg ConvGemm
				for _, threads := range []int{1, 2} {
					for _, c := range []struct {
						bias bool
						ep   Epilogue
					}{{true, EpilogueReLU}, {false, EpilogueNone}, {true, EpilogueNone}, {false, EpilogueReLU}} {
						var b []float32
						if c.bias {
							b = bias
						}
						want := make([]float32, rows*f)
						GemmBiasAct(false, false, rows, f, k, cols, k, w, f, want, f, b, c.ep)
						got := make([]float32, rows*f+16)
						for i := range got {
							got[i] = 12345
						}
						cg.Forward(&g, x, n, w, f, b, c.ep == EpilogueReLU, got, threads)
						what := fmt.Sprintf("%+v f %d n %d threads %d bias %v %v", g, f, n, threads, c.bias, c.ep)
						for i := rows * f; i < len(got); i++ {
							if got[i] != 12345 {
								t.Fatalf("%s: wrote past y at %d", what, i)
							}
						}
						for i := range want {
							if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
								t.Fatalf("%s: y[%d] = %v, want %v", what, i, got[i], want[i])
							}
						}
					}
				}
			}
		}
	}
}
