package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestMicroKernels compares every float32 micro-kernel this CPU runs with
// tileRef, the contract written in Go, on every corner size of its tile, at
// depths on both sides of the unrolled loops, for each beta and epilogue,
// with a packed B panel and, for kernels that can read B in place, with B
// rows further apart than the tile is wide. The inputs are small integers,
// so every sum is exact whatever the order of the additions and the results
// must match bit for bit. C sits in a guarded buffer with a stride wider
// than the tile.
func TestMicroKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	small := func() float32 { return float32(rng.IntN(9) - 4) }
	for _, kern := range sgemmKernels {
		mr, nr := kern.mr, kern.nr
		t.Run(kern.name, func(t *testing.T) {
			bias := make([]float32, nr)
			for i := range bias {
				bias[i] = small()
			}
			eps := []*tileEpilogue[float32]{nil, {bias: bias}, {bias: bias, relu: true}, {relu: true}}
			kcs := []int{1, 3, 4, 5, 8, 9, 17}
			if raceEnabled {
				kcs = []int{1, 4, 9} // 10× slower: the tail loop only, the unrolled loop only, both
			}
			for _, kc := range kcs {
				a := make([]float32, kc*mr)
				b := make([]float32, kc*nr)
				for i := range a {
					a[i] = small()
				}
				for i := range b {
					b[i] = small()
				}
				bs := []int{nr} // the row strides of B to try
				if kern.inPlaceBRows > 0 {
					bs = append(bs, nr+3)
				}
				for rows := 1; rows <= mr; rows++ {
					for cols := 1; cols <= nr; cols++ {
						if kc > 4 && rows != mr && cols%7 != 0 && cols != nr {
							continue // the depth does not interact with the corner: sample
						}
						for _, ldb := range bs {
							bl := make([]float32, kc*ldb) // b with rows ldb apart
							for p := 0; p < kc; p++ {
								copy(bl[p*ldb:p*ldb+nr], b[p*nr:])
							}
							for _, beta := range []float32{0, 1, -0.5} {
								for e, ep := range eps {
									name := fmt.Sprintf("kc=%d ldb=%d rows=%d cols=%d beta=%v epilogue=%d", kc, ldb, rows, cols, beta, e)
									checkTile(t, name, kern, kc, a, bl, ldb, beta, ep, rows, cols, small)
								}
							}
						}
					}
				}
			}
		})
	}
}

// checkTile runs kern.tile and tileRef on the same guarded C and reports
// every difference.
func checkTile(t *testing.T, name string, kern *gemmKernel[float32], kc int, a, b []float32, ldb int, beta float32, ep *tileEpilogue[float32], rows, cols int, fill func() float32) {
	t.Helper()
	ldc := kern.nr + 3
	cFill := fill
	if beta == 0 {
		cFill = func() float32 { return float32(math.NaN()) } // must not survive
	}
	var epCut *tileEpilogue[float32]
	if ep != nil {
		// The driver hands the kernel exactly the tile's columns of the bias.
		epCut = &tileEpilogue[float32]{relu: ep.relu}
		if ep.bias != nil {
			epCut.bias = ep.bias[:cols]
		}
	}
	got := newGuarded(rows, cols, ldc, cFill)
	want := newGuarded(rows, cols, ldc, func() float32 { return 0 })
	copy(want.buf, got.buf)
	kern.tile(kc, a, b, ldb, got.data, ldc, beta, epCut, rows, cols)
	tileRef(kern.mr, kern.nr, kc, a, b, ldb, want.data, ldc, beta, epCut, rows, cols)
	bad := 0
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			if g, w := got.at(i, j), want.at(i, j); g != w && bad < 3 {
				t.Errorf("%s: C[%d][%d]: got %v, want %v", name, i, j, g, w)
				bad++
			}
		}
	}
	got.checkGuards(t, name)
}

// TestPack32 compares the packing of the assembly kernels (packA32, packB32)
// with the generic packA and packB they stand for, on blocks with whole and
// partial panels, depths on both sides of the 8×8 transposes, both
// transpositions and alpha of one and not. The destination is checked past
// its end for writes.
func TestPack32(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, kern := range sgemmKernels {
		mr, nr := kern.mr, kern.nr
		t.Run(kern.name, func(t *testing.T) {
			for _, trans := range []bool{false, true} {
				for _, kb := range []int{1, 7, 8, 9, 17, 33} {
					for _, mb := range []int{1, mr - 1, mr, mr + 1, 2*mr + 3} {
						if mb < 1 {
							continue
						}
						for _, alpha := range []float32{1, -1.5} {
							const extra, i0, p0 = 3, 2, 1 // stride padding and offset of the block
							rows, cols := i0+mb, p0+kb
							if trans {
								rows, cols = cols, rows
							}
							src := newGuarded(rows, cols, cols+extra, func() float32 { return rng.Float32()*2 - 1 })
							size := roundUp(mb, mr) * kb
							got := make([]float32, size+guardPad)
							want := make([]float32, size+guardPad)
							for i := range got {
								got[i], want[i] = guard[float32](), guard[float32]()
							}
							name := fmt.Sprintf("packA trans=%v mb=%d kb=%d alpha=%v", trans, mb, kb, alpha)
							kern.packA(got, trans, src.data, src.ld, i0, p0, mb, kb, mr, alpha)
							packA(want, trans, src.data, src.ld, i0, p0, mb, kb, mr, alpha)
							comparePacked(t, name, got, want)
						}
					}
					for _, nb := range []int{1, 8, nr - 1, nr, nr + 1, 2*nr + 9} {
						if nb < 1 {
							continue
						}
						const extra, p0, j0 = 3, 1, 2
						rows, cols := p0+kb, j0+nb
						if trans {
							rows, cols = cols, rows
						}
						src := newGuarded(rows, cols, cols+extra, func() float32 { return rng.Float32()*2 - 1 })
						size := roundUp(nb, nr) * kb
						got := make([]float32, size+guardPad)
						want := make([]float32, size+guardPad)
						for i := range got {
							got[i], want[i] = guard[float32](), guard[float32]()
						}
						name := fmt.Sprintf("packB trans=%v nb=%d kb=%d", trans, nb, kb)
						kern.packB(got, trans, src.data, src.ld, p0, j0, kb, nb, nr)
						packB(want, trans, src.data, src.ld, p0, j0, kb, nb, nr)
						comparePacked(t, name, got, want)
					}
				}
			}
		})
	}
}

func comparePacked(t *testing.T, name string, got, want []float32) {
	t.Helper()
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Errorf("%s: element %d of %d: got %v, want %v", name, i, len(got)-guardPad, got[i], want[i])
			return
		}
	}
}
