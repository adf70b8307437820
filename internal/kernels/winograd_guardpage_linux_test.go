package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestWinogradReadsNothingPastEnd runs Winograd forward and backward with
// every operand (images, kernel, bias, outputs and gradients) ending where
// an inaccessible page begins (pageEnd): the tile transforms read and
// write through pointers into them, so one load or store past the last
// pixel of the last image crashes the test. Valid and same padding, so
// that the last tile hangs over the image's edge both ways.
func TestWinogradReadsNothingPastEnd(t *testing.T) {
	if !WinogradSuits(&ConvGeom{H: 5, W: 5, C: 16, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, OH: 3, OW: 3}, 32) {
		t.Skip("no assembly on this CPU or build")
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for _, pad := range []int{0, 1} {
		for _, c := range []int{16, 32} {
			g := ConvGeom{H: 5, W: 7, C: c, KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1, PadT: pad, PadL: pad}
			g.OH, g.OW = ConvOutSize(5, 3, 1, 1, pad, pad), ConvOutSize(7, 3, 1, 1, pad, pad)
			n, f := 3, 32
			what := fmt.Sprintf("pad %d C=%d", pad, c)
			page := func(vals []float32) ([]float32, func()) {
				s, free := pageEnd(t, len(vals))
				copy(s, vals)
				return s, free
			}
			x, fx := page(directRand(rng, n*g.H*g.W*c))
			w, fw := page(directRand(rng, 9*c*f))
			bias, fb := page(directRand(rng, f))
			dy, fdy := page(directRand(rng, n*g.OH*g.OW*f))
			want := append([]float32(nil), dy...)
			y, fy := pageEnd(t, n*g.OH*g.OW*f)
			dx, fdx := pageEnd(t, len(x))
			dw, fdw := pageEnd(t, len(w))
			db, fdb := pageEnd(t, f)
			var wg Winograd
			wg.Forward(&g, x, n, w, f, bias, false, y, 2)
			wg.Backward(&g, x, n, f, dy, nil, dw, db, dx, 2)
			yr, dxr, dwr, dbr := convRef64(&g, n, f, x, w, bias, want)
			wgClose(t, what+" y", y, yr, 1e-5)
			wgClose(t, what+" dx", dx, dxr, 1e-5)
			wgClose(t, what+" dw", dw, dwr, 1e-5)
			wgClose(t, what+" dbias", db, dbr, 1e-5)
			for _, free := range []func(){fx, fw, fb, fdy, fy, fdx, fdw, fdb} {
				free()
			}
		}
	}
}
