//go:build !noasm

package kernels

import (
	"math"
	"unsafe"
)

// This file connects the float32 assembly micro-kernels of gemm_amd64.s to
// Gemm's driver. Each kernel computes exactly what tileRef computes (up to
// the order of rounding), and is tested against it and, through Gemm,
// against GemmRef.

// sgemmKernel8x32AVX512 computes the 8×32 product tile t[i][j] =
// Σ_p a[p*8+i]·b[p*ldb+j] over p < kc (kc ≥ 1) of a packed A panel and a B
// panel of kc rows ldb apart, and writes its first rows (1 ≤ rows ≤ 8) rows,
// in the columns whose bit is set in mask (bit j: column j), into c (row
// stride ldc) as c = beta*c + t, reading c only when beta != 0. With
// epilogue set it then adds bias[j] and clamps below at bound: v =
// max(v+bias[j], bound), where NaN stays NaN (bound is 0 for ReLU, -Inf for
// none). B and bias are read under mask too, and nothing of c outside the
// written elements is touched, so edge tiles need no temporary and B needs
// no packing.
//
//go:noescape
func sgemmKernel8x32AVX512(kc int, a, b *float32, ldb int, c *float32, ldc int, beta, bound float32, bias *float32, epilogue bool, rows int, mask uint32)

// sgemmKernel16x16AVX512 computes the 16×16 product tile t[i][j] =
// Σ_p a[p*16+i]·b[p*ldb+j] over p < kc (kc ≥ 1) of a packed A panel and a B
// panel of kc rows ldb apart, and writes its first rows (1 ≤ rows ≤ 16)
// rows, in the columns whose bit is set in mask (bit j: column j, j < 16),
// into c (row stride ldc) as c = beta*c + t, reading c only when beta != 0.
// With epilogue set it then adds bias[j] and clamps below at bound: v =
// max(v+bias[j], bound), where NaN stays NaN (bound is 0 for ReLU, -Inf for
// none). B and bias are read under mask too, and nothing of c outside the
// written elements is touched, so edge tiles need no temporary and B needs
// no packing.
//
//go:noescape
func sgemmKernel16x16AVX512(kc int, a, b *float32, ldb int, c *float32, ldc int, beta, bound float32, bias *float32, epilogue bool, rows int, mask uint32)

// sgemmKernel6x16AVX2 computes the 6×16 product tile t[i][j] =
// Σ_p a[p*6+i]·b[p*16+j] over p < kc (kc ≥ 1) of a packed A panel and a
// packed B panel, and writes all of it into c (row stride ldc) as
// c = beta*c + t, reading c only when beta != 0. With epilogue set it then
// adds bias[j] (16 values) and clamps below at bound: v = max(v+bias[j],
// bound), where NaN stays NaN (bound is 0 for ReLU, -Inf for none).
//
//go:noescape
func sgemmKernel6x16AVX2(kc int, a, b, c *float32, ldc int, beta, bound float32, bias *float32, epilogue bool)

// Blocking of the assembly kernels, measured on a 2-core Zen 4 (AMD EPYC,
// 32 KiB L1d and 1 MiB L2 per core) with the 8×32 kernel, best of rounds of
// all candidates in alternation (TestTune). The blocking hardly matters
// there, the kernel being far from any bandwidth limit: every candidate
// with kc 256–512, mc 128–256, nc 384–1024 came within 3% of the others on
// every shape. kc = 512 was ahead where k is large: (128×784)·(784×256)
// ran at 218 GFLOP/s on 2 goroutines against 213 with kc = 256, and
// (1000×784)·(784×256) at 218 against 215. The 8×kc A panel that
// macroKernel keeps in L1 is then 16 KiB; nc = 1024 packs A once for
// n ≤ 1024, and mc = 128 keeps the A block at 256 KiB.
const (
	asmKC = 512
	asmMC = 128 // a multiple of 8 and 16; the 6-row AVX2 kernel uses 120
	asmNC = 1024
)

// asmInPlaceBRows is the inPlaceBRows of the AVX-512 kernels: with few
// rows of C, packing B is a large share of the work, and with many, reading
// strided rows of B costs the kernel more than packing did. Measured with
// the 8×32 kernel on the same Zen 4, packed → in place, 2 goroutines:
// (32×784)·(784×256) 197 → 220 GFLOP/s, (128×784)·(784×256) 216 → 220,
// 256³ 221 → 224, (1000×784)·(784×256) 217 → 216.
const asmInPlaceBRows = 256

// asmWorkPerThread and asmHotWorkPerThread are the parallel thresholds of
// the assembly kernels (see gemmThreads). Waking a parked worker costs the
// caller about 5 µs, which 64³ multiply-adds (2.3 µs on one core) do not
// repay and 96³ do; a spinning worker starts within a microsecond, and
// then products from 24³ per goroutine gain. Measured on the same Zen 4,
// 1 → 2 goroutines, best of many calls in a row (workers spinning): 32³
// 87 → 100 GFLOP/s, 64³ 103 → 187, (128×128)·(128×10) 43 → 79; after 1 ms
// idle (workers parked), 64³ took 8.2 µs alone and 12.3 µs split.
const (
	asmWorkPerThread    = 64 * 64 * 64
	asmHotWorkPerThread = 24 * 24 * 24
)

// asmKernels32 returns the float32 assembly kernels this CPU runs, fastest
// first. The 8×32 AVX-512 tile (16 zmm accumulators) runs at 113–116
// GFLOP/s in L1 (kc = 256, output included) on a Zen 4 core whose FMA peak
// is 116, and its 8 rows divide every batch and layer width of the course
// MLP (32, 128, 256, 784, 1000), where a 12- or 14-row tile would leave
// partial tiles. A 12×32 tile (24 accumulators) tried on the same machine
// ran no faster in L1 (114.5 against 115.6) and slower in Gemm. Products of at most 16 columns
// go to the 16×16 tile instead. The AVX2 tile is 6×16, the largest that
// fits the 16 ymm registers (12 accumulators, 2 for B, 2 for A broadcasts),
// as in BLIS's Haswell kernel.
func asmKernels32() []*gemmKernel[float32] {
	var ks []*gemmKernel[float32]
	if hasAVX512 {
		narrow := &gemmKernel[float32]{
			name: "avx512-16x16", mr: 16, nr: 16,
			kc: asmKC, mc: asmMC, nc: asmNC,
			workPerThread:    asmWorkPerThread,
			hotWorkPerThread: asmHotWorkPerThread,
			tile:             tileAVX512N,
			inPlaceBRows:     asmInPlaceBRows,
			packA:            packA32,
			packB:            packB32,
		}
		ks = append(ks, &gemmKernel[float32]{
			name: "avx512-8x32", mr: 8, nr: 32,
			kc: asmKC, mc: asmMC, nc: asmNC,
			workPerThread:    asmWorkPerThread,
			hotWorkPerThread: asmHotWorkPerThread,
			tile:             tileAVX512,
			inPlaceBRows:     asmInPlaceBRows,
			packA:            packA32,
			packB:            packB32,
			narrow:           narrow,
		}, narrow)
	}
	if hasAVX2FMA {
		ks = append(ks, &gemmKernel[float32]{
			name: "avx2-6x16", mr: 6, nr: 16,
			kc: asmKC, mc: 120, nc: asmNC,
			workPerThread:    asmWorkPerThread,
			hotWorkPerThread: asmHotWorkPerThread,
			tile:             tileAVX2,
			packA:            packA32,
			packB:            packB32,
		})
	}
	return ks
}

// zeroBias stands in for a nil bias in the assembly kernels; it is as long
// as the widest tile.
var zeroBias [32]float32

// epilogueArgs turns ep into the bias pointer, lower bound and flag the
// assembly kernels take.
func epilogueArgs(ep *tileEpilogue[float32]) (bias *float32, bound float32, on bool) {
	if ep == nil {
		return &zeroBias[0], 0, false
	}
	bias, bound = &zeroBias[0], float32(math.Inf(-1))
	if ep.bias != nil {
		bias = unsafe.SliceData(ep.bias)
	}
	if ep.relu {
		bound = 0
	}
	return bias, bound, true
}

// tileAVX512 computes one tile with the contract of tileRef, its pure-Go
// twin, for mr = 8 and nr = 32: sgemmKernel8x32AVX512 masks the columns and
// counts the rows of edge tiles itself. The slice expressions
// stand in for the bounds checks the assembly cannot make: they panic before
// the kernel could touch memory outside a, b or the tile of c.
func tileAVX512(kc int, a, b []float32, ldb int, c []float32, ldc int, beta float32, ep *tileEpilogue[float32], rows, cols int) {
	_ = a[8*kc-1]
	_ = b[(kc-1)*ldb+cols-1]
	_ = c[(rows-1)*ldc+cols-1]
	bias, bound, on := epilogueArgs(ep)
	mask := uint32(uint64(1)<<cols - 1)
	sgemmKernel8x32AVX512(kc, &a[0], &b[0], ldb, &c[0], ldc, beta, bound, bias, on, rows, mask)
}

// tileAVX512N computes one tile with the contract of tileRef for mr = 16
// and nr = 16: sgemmKernel16x16AVX512 masks the columns and counts the rows
// of edge tiles itself. The slice expressions check bounds for it.
func tileAVX512N(kc int, a, b []float32, ldb int, c []float32, ldc int, beta float32, ep *tileEpilogue[float32], rows, cols int) {
	_ = a[16*kc-1]
	_ = b[(kc-1)*ldb+cols-1]
	_ = c[(rows-1)*ldc+cols-1]
	bias, bound, on := epilogueArgs(ep)
	mask := uint32(1)<<cols - 1
	sgemmKernel16x16AVX512(kc, &a[0], &b[0], ldb, &c[0], ldc, beta, bound, bias, on, rows, mask)
}

// tileAVX2 computes one tile with the contract of tileRef for mr = 6,
// nr = 16 and a packed B panel (ldb = 16): sgemmKernel6x16AVX2 writes whole
// tiles into C and edge tiles into a temporary that storeTile copies out.
// The slice expressions check bounds for it.
func tileAVX2(kc int, a, b []float32, ldb int, c []float32, ldc int, beta float32, ep *tileEpilogue[float32], rows, cols int) {
	if ldb != 16 {
		panic("kernels: tileAVX2 needs a packed B panel")
	}
	_ = a[6*kc-1]
	_ = b[16*kc-1]
	if rows == 6 && cols == 16 {
		_ = c[5*ldc+15]
		bias, bound, on := epilogueArgs(ep)
		sgemmKernel6x16AVX2(kc, &a[0], &b[0], &c[0], ldc, beta, bound, bias, on)
		return
	}
	var t [6 * 16]float32
	sgemmKernel6x16AVX2(kc, &a[0], &b[0], &t[0], 16, 0, 0, &zeroBias[0], false)
	storeTile(c, ldc, rows, cols, t[:], 16, beta, ep)
}

// packT8AVX2 writes dst[q*ldd+r] = alpha*src[r*lds+q] for r < 8 and q < n
// (n a multiple of 8): it transposes the 8×n block of src, row stride lds,
// into dst, row stride ldd, one 8×8 block at a time, scaling by alpha.
//
//go:noescape
func packT8AVX2(dst *float32, ldd int, src *float32, lds int, n int, alpha float32)

// packRowsAVX2 writes dst[q*ldd+j] = alpha*src[q*lds+j] for q < rows and
// j < width (width a multiple of 8): it copies a rows×width block of src,
// row stride lds, into dst, row stride ldd, scaling by alpha.
//
//go:noescape
func packRowsAVX2(dst *float32, ldd int, src *float32, lds int, rows, width int, alpha float32)

// packA32 is packA for the assembly kernels: with the contract of packA, it
// packs whole panels of mr rows, mr a multiple of 8, with packT8AVX2 (A not
// transposed: 8×8 transposes) or packRowsAVX2 (A transposed: copies),
// leaving partial panels, and any mr not a multiple of 8, to packA.
func packA32(dst []float32, trans bool, a []float32, lda, i0, p0, mb, kb, mr int, alpha float32) {
	whole := mb / mr * mr
	if mr%8 != 0 {
		whole = 0
	}
	kb8 := kb &^ 7
	for q := 0; q < whole; q += mr {
		panel := dst[q*kb : q*kb+mr*kb]
		if trans {
			src := a[p0*lda+i0+q:]
			src = src[:(kb-1)*lda+mr]
			packRowsAVX2(&panel[0], mr, &src[0], lda, kb, mr, alpha)
			continue
		}
		for ig := 0; ig < mr; ig += 8 {
			src := a[(i0+q+ig)*lda+p0:]
			src = src[:7*lda+kb]
			if kb8 > 0 {
				_ = panel[(kb8-1)*mr+ig+7]
				packT8AVX2(&panel[ig], mr, &src[0], lda, kb8, alpha)
			}
			for p := kb8; p < kb; p++ {
				out := (*[8]float32)(panel[p*mr+ig:])
				for i := range out {
					out[i] = alpha * src[i*lda+p]
				}
			}
		}
	}
	if whole < mb {
		packA(dst[whole*kb:], trans, a, lda, i0+whole, p0, mb-whole, kb, mr, alpha)
	}
}

// packB32 is packB for the assembly kernels: with the contract of packB, it
// packs whole panels of nr columns, nr a multiple of 8, with packT8AVX2 (B
// transposed: 8×8 transposes) or packRowsAVX2 (B not transposed: copies),
// leaving partial panels, and any nr not a multiple of 8, to packB.
func packB32(dst []float32, trans bool, b []float32, ldb, p0, j0, kb, nb, nr int) {
	whole := nb / nr * nr
	if nr%8 != 0 {
		whole = 0
	}
	kb8 := kb &^ 7
	for r := 0; r < whole; r += nr {
		panel := dst[r*kb : r*kb+nr*kb]
		if !trans {
			src := b[p0*ldb+j0+r:]
			src = src[:(kb-1)*ldb+nr]
			packRowsAVX2(&panel[0], nr, &src[0], ldb, kb, nr, 1)
			continue
		}
		for jg := 0; jg < nr; jg += 8 {
			src := b[(j0+r+jg)*ldb+p0:]
			src = src[:7*ldb+kb]
			if kb8 > 0 {
				_ = panel[(kb8-1)*nr+jg+7]
				packT8AVX2(&panel[jg], nr, &src[0], ldb, kb8, 1)
			}
			for p := kb8; p < kb; p++ {
				out := (*[8]float32)(panel[p*nr+jg:])
				for j := range out {
					out[j] = src[j*ldb+p]
				}
			}
		}
	}
	if whole < nb {
		packB(dst[whole*kb:], trans, b, ldb, p0, j0+whole, kb, nb-whole, nr)
	}
}
