package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// stridedA returns an m×k matrix A with random entries stored row-major
// (rs = lda, ks = 1) or transposed (rs = 1, ks = lda), lda ≥ the stored row,
// with the elements between stored rows set to NaN so that a kernel reading
// them spoils its result.
func stridedA(rng *rand.Rand, m, k, lda int, trans bool) (a []float32, rs, ks int) {
	rows, width := m, k
	rs, ks = lda, 1
	if trans {
		rows, width = k, m
		rs, ks = 1, lda
	}
	a = make([]float32, (rows-1)*lda+width)
	for r := range rows {
		for q := range lda {
			if i := r*lda + q; i < len(a) {
				if q < width {
					a[i] = rng.Float32()*2 - 1
				} else {
					a[i] = float32(math.NaN())
				}
			}
		}
	}
	return a, rs, ks
}

// packedPanels packs the k×n matrix b (row stride ldb) into panels of 32
// columns, zero-padded, as gemmStridedA and macroKernel read them with
// ldb = 32 and bStep = k.
func packedPanels(b []float32, ldb, k, n int) []float32 {
	bp := make([]float32, roundUp(n, 32)*k)
	packB(bp, false, b, ldb, 0, 0, k, n, 32)
	return bp
}

func randFill(rng *rand.Rand, x []float32) {
	for i := range x {
		x[i] = rng.Float32()*2 - 1
	}
}

// TestGemmStridedTile checks the assembly tile against its Go twin, bit for
// bit, and the twin against a float64 reference, at depths on both sides of
// the 4× unrolled loop, with partial column panels, both layouts of A, B
// packed and in place, and beta 0 (over NaNs in C), 1 and 0.5. Elements of
// C outside the tile must keep their guard values.
func TestGemmStridedTile(t *testing.T) {
	rng := rand.New(rand.NewPCG(71, 72))
	const ldc, guard = 37, float32(-7.25)
	for _, kc := range []int{1, 2, 3, 4, 5, 31, 32, 64, 100} {
		for _, cols := range []int{32, 16, 7} {
			for _, trans := range []bool{false, true} {
				lda := kc + 3
				if trans {
					lda = 11
				}
				a, rs, ks := stridedA(rng, 8, kc, lda, trans)
				const ldbIn = 41
				bIn := make([]float32, (kc-1)*ldbIn+cols)
				randFill(rng, bIn)
				for _, packed := range []bool{false, true} {
					b, ldb := bIn, ldbIn
					if packed {
						b, ldb = packedPanels(bIn, ldbIn, kc, cols), 32
					}
					for _, beta := range []float32{0, 1, 0.5} {
						name := fmt.Sprintf("kc=%d,cols=%d,trans=%v,packed=%v,beta=%v", kc, cols, trans, packed, beta)
						c0 := make([]float32, 8*ldc)
						for i := range c0 {
							c0[i] = guard
							if i%ldc < cols {
								c0[i] = rng.Float32()*2 - 1
								if beta == 0 {
									c0[i] = float32(math.NaN())
								}
							}
						}
						cGo := append([]float32(nil), c0...)
						tileStridedGo(kc, a, rs, ks, b, ldb, cGo, ldc, beta, cols)
						for i := range 8 {
							for j := range ldc {
								got := cGo[i*ldc+j]
								if j >= cols {
									if got != guard {
										t.Fatalf("%s: Go twin wrote C[%d][%d] outside the tile", name, i, j)
									}
									continue
								}
								want := 0.0
								for p := range kc {
									want += float64(a[i*rs+p*ks]) * float64(bIn[p*ldbIn+j])
								}
								if beta != 0 {
									want += float64(beta) * float64(c0[i*ldc+j])
								}
								// kc+1 float32 roundings of unit-sized terms, each ≤ 6e-8 of the running sum.
								if math.Abs(float64(got)-want) > 1e-5*float64(kc+1) {
									t.Fatalf("%s: Go twin C[%d][%d] = %v, want %v", name, i, j, got, want)
								}
							}
						}
						if !stridedAsm {
							continue
						}
						cAsm := append([]float32(nil), c0...)
						tileStridedAsm(kc, a, rs, ks, b, ldb, cAsm, ldc, beta, cols)
						for i := range cAsm {
							if math.Float32bits(cAsm[i]) != math.Float32bits(cGo[i]) {
								t.Fatalf("%s: C[%d][%d]: asm %v, Go twin %v", name, i/ldc, i%ldc, cAsm[i], cGo[i])
							}
						}
					}
				}
			}
		}
	}
}

// TestGemmStridedFMATie checks the single rounding of the twin's fused
// multiply-add where rounding through float64 goes wrong: with c = 1+2⁻²³
// and a·b = −2⁻²⁴+2⁻⁷⁰ the exact sum lies just above the float32 tie
// 1+2⁻²⁴, the float64 sum lands on it and float32 then rounds it down to
// 1; VFMADD231PS gives 1+2⁻²³. The second step of a tile meets the same
// case, and the assembly must agree.
func TestGemmStridedFMATie(t *testing.T) {
	a := -float32(math.Ldexp(1+math.Ldexp(1, -23), -12))
	b := float32(math.Ldexp(1-math.Ldexp(1, -23), -12))
	c := float32(1 + math.Ldexp(1, -23))
	if got := fmaExact32(a, b, c); got != c {
		t.Fatalf("fmaExact32 = %v, want %v", got, c)
	}
	if fma32(a, b, c) == c {
		t.Log("fma32 rounds this case correctly too; the test case no longer needs fmaExact32")
	}
	// The same through the tile's beta step (beta·c + t with beta = a,
	// c = b, t = 1+2⁻²³) and its second k step.
	av := make([]float32, 8*2)
	bv := make([]float32, 2*32)
	for i := range 8 {
		av[i*2], av[i*2+1] = 1, a
	}
	for j := range 32 {
		bv[j], bv[32+j] = c, b
	}
	impls := map[string]func(int, []float32, int, int, []float32, int, []float32, int, float32, int){"go": tileStridedGo}
	if stridedAsm {
		impls["asm"] = tileStridedAsm
	}
	for name, tile := range impls {
		out := make([]float32, 8*32)
		tile(2, av, 2, 1, bv, 32, out, 32, 0, 32)
		for i, v := range out {
			if v != c {
				t.Fatalf("%s: k steps: C[%d] = %v, want %v", name, i, v, c)
			}
		}
		for i := range out {
			out[i] = b
		}
		tile(1, av, 2, 1, bv, 32, out, 32, a, 32) // t = 1·c, then a·b + t
		for i, v := range out {
			if v != c {
				t.Fatalf("%s: beta step: C[%d] = %v, want %v", name, i, v, c)
			}
		}
	}
}

// TestGemmStridedA checks gemmStridedA against the packed path it replaces:
// packA of the same A and macroKernel with the 8×32 kernel and the same B,
// bit for bit when the CPU runs the assembly; with the Go kernels it is
// compared with GemmRef instead.
func TestGemmStridedA(t *testing.T) {
	rng := rand.New(rand.NewPCG(73, 74))
	kern := sgemmKernel
	bitExact := stridedAsm && kern.mr == 8 && kern.nr == 32
	for _, s := range [][3]int{{8, 32, 1}, {8, 7, 5}, {16, 40, 3}, {72, 64, 32}, {32, 64, 72}, {24, 33, 9}, {8, 96, 100}} {
		m, n, k := s[0], s[1], s[2]
		for _, trans := range []bool{false, true} {
			lda := k + 5
			if trans {
				lda = m + 3
			}
			a, rs, ks := stridedA(rng, m, k, lda, trans)
			ldbIn := n + 2
			bIn := make([]float32, (k-1)*ldbIn+n)
			randFill(rng, bIn)
			for _, packed := range []bool{false, true} {
				b, ldb, bStep := bIn, ldbIn, 1
				if packed {
					b, ldb, bStep = packedPanels(bIn, ldbIn, k, n), 32, k
				}
				for _, beta := range []float32{0, 1, 0.5} {
					name := fmt.Sprintf("m=%d,n=%d,k=%d,trans=%v,packed=%v,beta=%v", m, n, k, trans, packed, beta)
					ldc := n + 1
					c0 := make([]float32, m*ldc)
					randFill(rng, c0)
					if beta == 0 {
						for i := range c0 {
							c0[i] = float32(math.NaN())
						}
					}
					got := append([]float32(nil), c0...)
					gemmStridedA(m, n, k, a, rs, ks, b, ldb, bStep, got, ldc, beta)
					if bitExact {
						want := append([]float32(nil), c0...)
						ap := make([]float32, m*k)
						kern.packA(ap, trans, a, lda, 0, 0, m, k, kern.mr, 1)
						macroKernel(kern, ap, m, n, k, b, ldb, bStep, want, ldc, beta, nil)
						for i := range want {
							if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
								t.Fatalf("%s: C[%d][%d] = %v, packed path %v", name, i/ldc, i%ldc, got[i], want[i])
							}
						}
						continue
					}
					want := append([]float32(nil), c0...)
					if beta == 0 {
						clear(want) // GemmRef's beta == 0 overwrites too, but start clean
					}
					GemmRef(trans, false, m, n, k, 1, a, lda, bIn, ldbIn, beta, want, ldc)
					for i := range want {
						if i%ldc == n {
							if math.Float32bits(got[i]) != math.Float32bits(c0[i]) {
								t.Fatalf("%s: wrote C[%d][%d] past the row", name, i/ldc, i%ldc)
							}
							continue
						}
						// k float32 roundings of unit-sized terms, as above.
						if d := math.Abs(float64(got[i] - want[i])); d > 1e-5*float64(k) {
							t.Fatalf("%s: C[%d][%d] = %v, want %v", name, i/ldc, i%ldc, got[i], want[i])
						}
					}
				}
			}
		}
	}
}

// TestGemmStridedAMisuse checks that a row count not a multiple of 8 and
// slices too short for their matrices panic before any kernel runs.
func TestGemmStridedAMisuse(t *testing.T) {
	a := make([]float32, 16*8)
	b := make([]float32, 8*32)
	c := make([]float32, 16*32)
	for name, f := range map[string]func(){
		"m=12":    func() { gemmStridedA(12, 32, 8, a, 8, 1, b, 32, 8, c, 32, 0) },
		"short a": func() { gemmStridedA(16, 32, 8, a[:len(a)-1], 8, 1, b, 32, 8, c, 32, 0) },
		"short b": func() { gemmStridedA(16, 32, 8, a, 8, 1, b[:len(b)-1], 32, 1, c, 32, 0) },
		"short c": func() { gemmStridedA(16, 32, 8, a, 8, 1, b, 32, 1, c[:len(c)-1], 32, 0) },
		"rs < 0":  func() { gemmStridedA(16, 32, 8, a, -8, 1, b, 32, 1, c, 32, 0) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// BenchmarkGemmStrided compares, on the products of the Winograd
// convolution (per transform point, batch of 72 tiles, 32 channels, 64
// filters), packing A and running macroKernel with gemmStridedA reading A
// in place: the forward/input-gradient product with A row-major (72×32,
// B packed panels), and the weight gradient with A transposed (32×72 read
// with ks = 32, B in place).
func BenchmarkGemmStrided(b *testing.B) {
	rng := rand.New(rand.NewPCG(75, 76))
	kern := sgemmKernel
	for _, s := range []struct {
		name    string
		m, n, k int
		trans   bool
		packedB bool
	}{
		{"rowmajor-72x64x32", 72, 64, 32, false, true},
		{"kstrided-32x64x72", 32, 64, 72, true, false},
	} {
		lda := s.k
		if s.trans {
			lda = s.m
		}
		a, rs, ks := stridedA(rng, s.m, s.k, lda, s.trans)
		bIn := make([]float32, s.k*s.n)
		randFill(rng, bIn)
		bb, ldb, bStep := bIn, s.n, 1
		if s.packedB {
			bb, ldb, bStep = packedPanels(bIn, s.n, s.k, s.n), 32, s.k
		}
		c := make([]float32, s.m*s.n)
		flops := 2 * float64(s.m*s.n*s.k)
		b.Run(s.name+"/packA+macroKernel", func(b *testing.B) {
			if kern.nr != 32 {
				b.Skip("needs the 8×32 kernel")
			}
			ap := make([]float32, roundUp(s.m, kern.mr)*s.k)
			for b.Loop() {
				kern.packA(ap, s.trans, a, lda, 0, 0, s.m, s.k, kern.mr, 1)
				macroKernel(kern, ap, s.m, s.n, s.k, bb, ldb, bStep, c, s.n, 0, nil)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(s.name+"/gemmStridedA", func(b *testing.B) {
			for b.Loop() {
				gemmStridedA(s.m, s.n, s.k, a, rs, ks, bb, ldb, bStep, c, s.n, 0)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
