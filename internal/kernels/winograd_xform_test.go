package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The F(2×2, 3×3) matrices of winograd_xform.go, for the float64
// references.
var (
	wgxBT = [4][4]float64{{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}}
	wgxAT = [2][4]float64{{1, 1, 1, 0}, {0, 1, -1, -1}}
)

// wgxSpecials are the values mixed into the inputs of the bit-identity
// tests: NaN, infinities, signed zeros, subnormals and magnitudes whose
// sums overflow or round.
var wgxSpecials = []float32{
	float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
	float32(math.Copysign(0, -1)), 0, 1e30, -3e38, 3e38, 1e-30, -1e-40, 1.5e-45, 16777217, -0.1,
}

// wgxFill sets s to normal values, a fifth of them specials when special.
func wgxFill(rng *rand.Rand, s []float32, special bool) {
	for i := range s {
		s[i] = float32(rng.NormFloat64())
		if special && rng.IntN(5) == 0 {
			s[i] = wgxSpecials[rng.IntN(len(wgxSpecials))]
		}
	}
}

// wgxSame reports whether a and b have the same bits, any two NaNs
// counting as the same: x86 returns the first operand's NaN, and Go may
// swap the operands of an addition.
func wgxSame(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

// wgxCompare fails t at the first difference of two buffers.
func wgxCompare(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if !wgxSame(got[i], want[i]) {
			t.Fatalf("%s: [%d] = %v (%#08x), Go twin %v (%#08x)", what, i,
				got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

// wgxBuf is a tile buffer: 16 positions ld apart, c values each, and a
// tail of 16 values past the last one; gaps and tail are filled with a
// sentinel, so a routine that writes outside its positions differs from
// the twin or from the reference.
func wgxBuf(c, ld int) []float32 {
	s := make([]float32, 15*ld+c+16)
	for i := range s {
		s[i] = 12345
	}
	return s
}

// wgxRows returns four rows of 4·c values plus a sentinel tail each, and
// their addresses.
func wgxRows(c int) ([4][]float32, *[4]*float32) {
	var rows [4][]float32
	var ptr [4]*float32
	for r := range rows {
		rows[r] = make([]float32, 4*c+16)
		for i := range rows[r] {
			rows[r][i] = 12345
		}
		ptr[r] = &rows[r][0]
	}
	return rows, &ptr
}

// wgxPix returns four pixels of c values plus a sentinel tail each, and
// their addresses.
func wgxPix(c int) ([4][]float32, *[4]*float32) {
	var pix [4][]float32
	var ptr [4]*float32
	for k := range pix {
		pix[k] = make([]float32, c+16)
		for i := range pix[k] {
			pix[k][i] = 12345
		}
		ptr[k] = &pix[k][0]
	}
	return pix, &ptr
}

// wgxTile fills the 16 positions of a tile buffer with random values,
// leaving the sentinels.
func wgxTile(rng *rand.Rand, s []float32, c, ld int, special bool) {
	for p := range 16 {
		wgxFill(rng, s[p*ld:p*ld+c], special)
	}
}

// wgxLDs are the tile strides tried for c channels: packed, and with gaps.
func wgxLDs(c int) []int { return []int{c, 3*c + 16} }

// TestWinogradXformTwins checks that each assembly transform gives the bits of
// its Go twin, gaps and tails untouched, with special values in the inputs.
func TestWinogradXformTwins(t *testing.T) {
	if !wgAsm {
		t.Skip("no assembly transforms")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []int{16, 32, 64, 48} {
		for _, ld := range wgxLDs(c) {
			for rep := range 4 {
				special := rep > 0
				name := fmt.Sprintf("c=%d ld=%d special=%v", c, ld, special)

				// Input.
				in, inp := wgxRows(c)
				for r := range in {
					wgxFill(rng, in[r][:4*c], special)
				}
				var outs [2][]float32
				for k := range outs {
					outs[k] = wgxBuf(c, ld)
				}
				wgInputGo(inp, c, &outs[0][0], ld)
				wgInputAVX512(inp, c, &outs[1][0], ld)
				wgxCompare(t, "wgInput "+name, outs[1], outs[0])

				// Output, with and without bias and ReLU.
				m := wgxBuf(c, ld)
				wgxTile(rng, m, c, ld, special)
				bias := make([]float32, c)
				wgxFill(rng, bias, special)
				for _, b := range []*float32{nil, &bias[0]} {
					for _, relu := range []bool{false, true} {
						var ys [2][4][]float32
						var yp [2]*[4]*float32
						ys[0], yp[0] = wgxPix(c)
						ys[1], yp[1] = wgxPix(c)
						wgOutputGo(&m[0], ld, c, b, relu, yp[0])
						wgOutputAVX512(&m[0], ld, c, b, relu, yp[1])
						for k := range 4 {
							wgxCompare(t, fmt.Sprintf("wgOutput %s bias=%v relu=%v pixel %d", name, b != nil, relu, k), ys[1][k], ys[0][k])
						}
					}
				}

				// Gradient of the output.
				dz, dzp := wgxPix(c)
				for k := range dz {
					wgxFill(rng, dz[k][:c], special)
				}
				for k := range outs {
					outs[k] = wgxBuf(c, ld)
				}
				wgGradOutGo(dzp, c, &outs[0][0], ld)
				wgGradOutAVX512(dzp, c, &outs[1][0], ld)
				wgxCompare(t, "wgGradOut "+name, outs[1], outs[0])

				// Gradient of the input, added into rows that hold values.
				v := wgxBuf(c, ld)
				wgxTile(rng, v, c, ld, special)
				var acc [2][4][]float32
				var accp [2]*[4]*float32
				acc[0], accp[0] = wgxRows(c)
				acc[1], accp[1] = wgxRows(c)
				for r := range 4 {
					wgxFill(rng, acc[0][r][:4*c], special)
					copy(acc[1][r], acc[0][r])
				}
				wgGradInGo(&v[0], ld, c, accp[0])
				wgGradInAVX512(&v[0], ld, c, accp[1])
				for r := range 4 {
					wgxCompare(t, fmt.Sprintf("wgGradIn %s row %d", name, r), acc[1][r], acc[0][r])
				}
			}
		}
	}
}

// wgxClose fails t unless got is want within 1e-5 relative: each transform
// output is a float32 sum of at most 16 inputs, which rounds to a few ulp
// (1 ulp ≈ 6e-8 relative); a wrong sign or term is off by O(1).
func wgxClose(t *testing.T, what string, got float32, want float64) {
	t.Helper()
	if math.Abs(float64(got)-want) > 1e-5*(1+math.Abs(want)) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

// TestWinogradXformReference checks each transform, through the dispatching
// function (the assembly for c a multiple of 16 when there is one, the Go
// twin otherwise) and through its Go twin, against float64 matrix
// products: V = Bᵀ d B, y = Aᵀ m A (+ bias, ReLU), M = A dz Aᵀ and
// dd = B v Bᵀ.
func TestWinogradXformReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []int{8, 16, 24, 48, 64} {
		for _, ld := range wgxLDs(c) {
			for _, twin := range []bool{false, true} {
				name := fmt.Sprintf("c=%d ld=%d twin=%v", c, ld, twin)
				in, inp := wgxRows(c)
				for r := range in {
					wgxFill(rng, in[r][:4*c], false)
				}
				dst := wgxBuf(c, ld)
				if twin {
					wgInputGo(inp, c, &dst[0], ld)
				} else {
					wgInput(inp, c, &dst[0], ld)
				}
				m := wgxBuf(c, ld)
				wgxTile(rng, m, c, ld, false)
				bias := make([]float32, c)
				wgxFill(rng, bias, false)
				y, yp := wgxPix(c)
				if twin {
					wgOutputGo(&m[0], ld, c, &bias[0], true, yp)
				} else {
					wgOutput(&m[0], ld, c, &bias[0], true, yp)
				}
				dz, dzp := wgxPix(c)
				for k := range dz {
					wgxFill(rng, dz[k][:c], false)
				}
				mg := wgxBuf(c, ld)
				if twin {
					wgGradOutGo(dzp, c, &mg[0], ld)
				} else {
					wgGradOut(dzp, c, &mg[0], ld)
				}
				v := wgxBuf(c, ld)
				wgxTile(rng, v, c, ld, false)
				acc, accp := wgxRows(c)
				for r := range acc {
					wgxFill(rng, acc[r][:4*c], false)
				}
				var acc0 [4][]float32
				for r := range acc {
					acc0[r] = append([]float32(nil), acc[r]...)
				}
				if twin {
					wgGradInGo(&v[0], ld, c, accp)
				} else {
					wgGradIn(&v[0], ld, c, accp)
				}

				for ch := range c {
					for i := range 4 {
						for j := range 4 {
							// V[i][j] = Σ Bᵀ[i][r] d[r][q] Bᵀ[j][q].
							var sv, sm, sd float64
							for r := range 4 {
								for q := range 4 {
									sv += wgxBT[i][r] * float64(in[r][q*c+ch]) * wgxBT[j][q]
									// dd[i][j] = Σ B[i][r] v[r][q] B[q][j] = Σ Bᵀ[r][i] v[r][q] Bᵀ[j][q].
									sd += wgxBT[r][i] * float64(v[(4*r+q)*ld+ch]) * wgxBT[q][j]
								}
							}
							// M[i][j] = Σ A[i][r] dz[r][q] Aᵀ[q][j] = Σ Aᵀ[r][i] dz[r][q] Aᵀ[q][j].
							for r := range 2 {
								for q := range 2 {
									sm += wgxAT[r][i] * float64(dz[2*r+q][ch]) * wgxAT[q][j]
								}
							}
							at := fmt.Sprintf("%s [%d][%d] ch %d", name, i, j, ch)
							wgxClose(t, "wgInput "+at, dst[(4*i+j)*ld+ch], sv)
							wgxClose(t, "wgGradOut "+at, mg[(4*i+j)*ld+ch], sm)
							wgxClose(t, "wgGradIn "+at, acc[i][j*c+ch], float64(acc0[i][j*c+ch])+sd)
						}
					}
					for r := range 2 {
						for q := range 2 {
							s := float64(bias[ch])
							for i := range 4 {
								for j := range 4 {
									s += wgxAT[r][i] * float64(m[(4*i+j)*ld+ch]) * wgxAT[q][j]
								}
							}
							wgxClose(t, fmt.Sprintf("wgOutput %s [%d][%d] ch %d", name, r, q, ch), y[2*r+q][ch], max(s, 0))
						}
					}
				}
				// Nothing written past the positions and pixels.
				for p := range 15 {
					for _, buf := range [][]float32{dst, mg} {
						for i := p*ld + c; i < (p+1)*ld; i++ {
							if buf[i] != 12345 {
								t.Fatalf("%s: gap value %d overwritten", name, i)
							}
						}
					}
				}
				for _, tail := range [][]float32{dst[15*ld+c:], mg[15*ld+c:], y[0][c:], y[1][c:], y[2][c:], y[3][c:],
					acc[0][4*c:], acc[1][4*c:], acc[2][4*c:], acc[3][4*c:]} {
					for _, x := range tail {
						if x != 12345 {
							t.Fatalf("%s: tail value overwritten with %v", name, x)
						}
					}
				}
			}
		}
	}
}

// wgxDot returns Σ a·b in float64 and Σ |a·b|, the scale of its rounding.
func wgxDot(a, b []float32) (dot, scale float64) {
	for i := range a {
		p := float64(a[i]) * float64(b[i])
		dot += p
		scale += math.Abs(p)
	}
	return dot, scale
}

// TestWinogradXformAdjoint checks that the backward transforms are the
// transposes of the forward ones: ⟨wgInput(d), v⟩ = ⟨d, wgGradIn(v)⟩ and
// ⟨wgOutput(m), g⟩ = ⟨m, wgGradOut(g)⟩ (no bias, no ReLU), on the
// assembly and the Go path.
func TestWinogradXformAdjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, c := range []int{8, 16, 64} {
		ld := 3*c + 16
		for _, twin := range []bool{false, true} {
			name := fmt.Sprintf("c=%d twin=%v", c, twin)
			// Tile values of the buffers, as flat slices of 16·c.
			tile := func(s []float32) []float32 {
				out := make([]float32, 0, 16*c)
				for p := range 16 {
					out = append(out, s[p*ld:p*ld+c]...)
				}
				return out
			}
			flat := func(rows [4][]float32, n int) []float32 {
				var out []float32
				for _, r := range rows {
					out = append(out, r[:n]...)
				}
				return out
			}

			d, dp := wgxRows(c)
			for r := range d {
				wgxFill(rng, d[r][:4*c], false)
			}
			v := wgxBuf(c, ld)
			wgxTile(rng, v, c, ld, false)
			bd := wgxBuf(c, ld)
			gd, gdp := wgxRows(c)
			for r := range gd {
				clear(gd[r][:4*c])
			}
			if twin {
				wgInputGo(dp, c, &bd[0], ld)
				wgGradInGo(&v[0], ld, c, gdp)
			} else {
				wgInput(dp, c, &bd[0], ld)
				wgGradIn(&v[0], ld, c, gdp)
			}
			lhs, s1 := wgxDot(tile(bd), tile(v))
			rhs, s2 := wgxDot(flat(d, 4*c), flat(gd, 4*c))
			// Both sides sum 16·c float32 transform outputs times inputs;
			// their rounding is ~1e-7 of Σ|terms| (s1, s2), a wrong term O(1).
			if math.Abs(lhs-rhs) > 1e-4*max(s1, s2) {
				t.Errorf("%s: <wgInput(d), v> = %v, <d, wgGradIn(v)> = %v", name, lhs, rhs)
			}

			m := wgxBuf(c, ld)
			wgxTile(rng, m, c, ld, false)
			g, gp := wgxPix(c)
			for k := range g {
				wgxFill(rng, g[k][:c], false)
			}
			y, yp := wgxPix(c)
			am := wgxBuf(c, ld)
			if twin {
				wgOutputGo(&m[0], ld, c, nil, false, yp)
				wgGradOutGo(gp, c, &am[0], ld)
			} else {
				wgOutput(&m[0], ld, c, nil, false, yp)
				wgGradOut(gp, c, &am[0], ld)
			}
			lhs, s1 = wgxDot(flat(y, c), flat(g, c))
			rhs, s2 = wgxDot(tile(m), tile(am))
			if math.Abs(lhs-rhs) > 1e-4*max(s1, s2) {
				t.Errorf("%s: <wgOutput(m), g> = %v, <m, wgGradOut(g)> = %v", name, lhs, rhs)
			}
		}
	}
}

// TestWinogradXformReLU checks the ReLU of wgOutput on both paths: NaN stays
// NaN, −0 stays −0, negatives become +0, positives stay.
func TestWinogradXformReLU(t *testing.T) {
	const c, ld = 16, 16
	negZero := float32(math.Copysign(0, -1))
	nan := float32(math.NaN())
	// Channel 0: every m −0, so y[0][0] = −0 (and y[0][1] = (−0 − −0) − −0
	// = +0). Channel 1: m[0][0] NaN, so y[0][0] is NaN. Channel 2: m[0][0]
	// = −1, y[0][0] = −1 → +0. Channel 3: m[0][0] = 2.
	m := make([]float32, 16*ld)
	for p := range 16 {
		m[p*ld] = negZero
	}
	m[1], m[2], m[3] = nan, -1, 2
	want := []float32{negZero, nan, 0, 2}
	impls := []bool{false}
	if wgAsm {
		impls = append(impls, true)
	}
	for _, asm := range impls {
		y, yp := wgxPix(c)
		if asm {
			wgOutputAVX512(&m[0], ld, c, nil, true, yp)
		} else {
			wgOutputGo(&m[0], ld, c, nil, true, yp)
		}
		for ch, w := range want {
			if !wgxSame(y[0][ch], w) || (w == w && math.Signbit(float64(y[0][ch])) != math.Signbit(float64(w))) {
				t.Errorf("asm=%v: y[0][0] channel %d = %v (%#08x), want %v (%#08x)", asm, ch,
					y[0][ch], math.Float32bits(y[0][ch]), w, math.Float32bits(w))
			}
		}
		if y[0][4] != 0 || math.Signbit(float64(y[1][0])) {
			t.Errorf("asm=%v: zeros: y[0][0] channel 4 = %v, y[0][1] channel 0 = %v, want +0", asm, y[0][4], y[1][0])
		}
	}
}

// TestWinogradXformOddChannels checks that the dispatching functions run
// the Go twins for channel counts that are not multiples of 16: the same
// bits as calling the twins.
func TestWinogradXformOddChannels(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, c := range []int{1, 8, 24} {
		ld := 2*c + 3
		in, inp := wgxRows(c)
		for r := range in {
			wgxFill(rng, in[r][:4*c], true)
		}
		a, b := wgxBuf(c, ld), wgxBuf(c, ld)
		wgInput(inp, c, &a[0], ld)
		wgInputGo(inp, c, &b[0], ld)
		wgxCompare(t, fmt.Sprintf("wgInput c=%d", c), a, b)

		ya, yap := wgxPix(c)
		yb, ybp := wgxPix(c)
		wgOutput(&a[0], ld, c, &in[0][0], true, yap)
		wgOutputGo(&a[0], ld, c, &in[0][0], true, ybp)
		for k := range 4 {
			wgxCompare(t, fmt.Sprintf("wgOutput c=%d pixel %d", c, k), ya[k], yb[k])
		}

		a, b = wgxBuf(c, ld), wgxBuf(c, ld)
		wgGradOut(yap, c, &a[0], ld)
		wgGradOutGo(yap, c, &b[0], ld)
		wgxCompare(t, fmt.Sprintf("wgGradOut c=%d", c), a, b)

		ra, rap := wgxRows(c)
		rb, rbp := wgxRows(c)
		wgGradIn(&a[0], ld, c, rap)
		wgGradInGo(&a[0], ld, c, rbp)
		for r := range 4 {
			wgxCompare(t, fmt.Sprintf("wgGradIn c=%d row %d", c, r), ra[r], rb[r])
		}
	}
}

// TestWinogradXformNoAlloc checks that the transforms allocate nothing, on the
// assembly path (c = 64) and the Go path (c = 24).
func TestWinogradXformNoAlloc(t *testing.T) {
	for _, c := range []int{24, 64} {
		ld := c
		tileBuf := make([]float32, 16*ld)
		_, rp := wgxRows(c)
		_, pp := wgxPix(c)
		bias := make([]float32, c)
		n := testing.AllocsPerRun(10, func() {
			wgInput(rp, c, &tileBuf[0], ld)
			wgOutput(&tileBuf[0], ld, c, &bias[0], true, pp)
			wgGradOut(pp, c, &tileBuf[0], ld)
			wgGradIn(&tileBuf[0], ld, c, rp)
		})
		if n != 0 {
			t.Errorf("c=%d: %v allocations per run", c, n)
		}
	}
}

// BenchmarkWinogradXform times one tile of each transform at c = 64, on
// the assembly path when there is one and on the Go twin.
func BenchmarkWinogradXform(b *testing.B) {
	const c, ld = 64, 64
	tileBuf := make([]float32, 16*ld)
	_, rp := wgxRows(c)
	_, pp := wgxPix(c)
	bias := make([]float32, c)
	impls := []bool{false}
	if wgAsm {
		impls = append(impls, true)
	}
	for _, asm := range impls {
		b.Run(fmt.Sprintf("asm=%v", asm), func(b *testing.B) {
			for b.Loop() {
				if asm {
					wgInputAVX512(rp, c, &tileBuf[0], ld)
					wgOutputAVX512(&tileBuf[0], ld, c, &bias[0], true, pp)
					wgGradOutAVX512(pp, c, &tileBuf[0], ld)
					wgGradInAVX512(&tileBuf[0], ld, c, rp)
				} else {
					wgInputGo(rp, c, &tileBuf[0], ld)
					wgOutputGo(&tileBuf[0], ld, c, &bias[0], true, pp)
					wgGradOutGo(pp, c, &tileBuf[0], ld)
					wgGradInGo(&tileBuf[0], ld, c, rp)
				}
			}
		})
	}
}
