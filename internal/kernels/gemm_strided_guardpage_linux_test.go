package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmStridedReadsNothingPastEnd runs gemmStridedA with A, B and C each
// ending where an inaccessible page begins (pageEnd): A row-major and
// transposed with no padding, so that its last element read is its last
// one; B in place with ldb = n and packed, cut right after the last element
// the last panel uses; widths that leave partial column panels, so that the
// masked loads and stores of the last one straddle the page. It compares
// with GemmRef so that it means something when it does not crash.
func TestGemmStridedReadsNothingPastEnd(t *testing.T) {
	rng := rand.New(rand.NewPCG(77, 78))
	page := func(vals []float32) ([]float32, func()) {
		s, free := pageEnd(t, len(vals))
		copy(s, vals)
		return s, free
	}
	for _, s := range [][3]int{{8, 7, 1}, {8, 33, 5}, {16, 16, 9}, {8, 64, 4}, {24, 40, 3}} {
		m, n, k := s[0], s[1], s[2]
		for _, trans := range []bool{false, true} {
			lda := k
			if trans {
				lda = m
			}
			aVals, rs, ks := stridedA(rng, m, k, lda, trans)
			bVals := make([]float32, k*n)
			randFill(rng, bVals)
			for _, packed := range []bool{false, true} {
				bb, ldb, bStep := bVals, n, 1
				if packed {
					bb, ldb, bStep = packedPanels(bVals, n, k, n), 32, k
					last := (n - 1) / 32 * 32 // first column of the last panel
					bb = bb[:last*k+(k-1)*32+n-last]
				}
				name := fmt.Sprintf("m=%d,n=%d,k=%d,trans=%v,packed=%v", m, n, k, trans, packed)
				a, freeA := page(aVals)
				b, freeB := page(bb)
				c, freeC := pageEnd(t, m*n)
				randFill(rng, c)
				want := append([]float32(nil), c...)
				gemmStridedA(m, n, k, a, rs, ks, b, ldb, bStep, c, n, 0.5)
				GemmRef(trans, false, m, n, k, 1, aVals, lda, bVals, n, 0.5, want, n)
				for i := range want {
					if d := math.Abs(float64(c[i] - want[i])); d > 1e-5*float64(k+1) {
						t.Fatalf("%s: C[%d] = %v, want %v", name, i, c[i], want[i])
					}
				}
				freeA()
				freeB()
				freeC()
			}
		}
	}
}
