package kernels

// This file holds the micro-kernel contract of Gemm and its pure-Go kernel.
// A micro-kernel multiplies one packed mr×kc panel of A by one packed kc×nr
// panel of B into an mr×nr tile of C held in registers, then writes the tile
// out. tileRef states the contract in plain Go; the assembly kernels of
// gemm_amd64.s and the pure-Go tileGo are tested against it.

// gemmKernel is one micro-kernel with its tile size and the cache blocking
// tuned for it; Gemm's driver is generic over all of them.
type gemmKernel[T Float] struct {
	name       string
	mr, nr     int // rows and columns of the register tile
	kc, mc, nc int // largest depth, rows of op(A) and columns of op(B) per packed block
	// workPerThread and hotWorkPerThread are the least m·n·k that a
	// parallel split gives one goroutine when every worker of the pool is
	// parked, and when one is spinning, ready at once (see gemmThreads).
	workPerThread, hotWorkPerThread float64
	// tile computes one tile with the contract of tileRef, for this mr×nr.
	tile func(kc int, a, b []T, ldb int, c []T, ldc int, beta T, ep *tileEpilogue[T], rows, cols int)
	// inPlaceBRows is the most rows of C (per goroutine) for which the
	// driver hands tile the rows of a non-transposed B in place, ldb apart,
	// instead of a packed copy; such a kernel loads no column of B past
	// cols. 0 means never: ldb is then always nr.
	inPlaceBRows int
	// packA and packB pack blocks of op(A) and op(B) with the contracts of
	// the generic packA and packB, for this mr and nr.
	packA func(dst []T, trans bool, a []T, lda, i0, p0, mb, kb, mr int, alpha T)
	packB func(dst []T, trans bool, b []T, ldb, p0, j0, kb, nb, nr int)
	// narrow, when set, is the kernel to use instead for products of at
	// most narrow.nr columns, whose tiles would be mostly padding here.
	narrow *gemmKernel[T]
}

// tileEpilogue is the output stage of GemmBiasAct for one tile: bias holds
// the tile's columns of the bias vector (nil: no bias) and relu clamps the
// result below at zero.
type tileEpilogue[T Float] struct {
	bias []T
	relu bool
}

// tileRef computes the mr×nr product tile t[i][j] = Σ_p a[p*mr+i]·b[p*ldb+j]
// over p < kc, where a is a packed A panel (kc steps of mr rows) and b a B
// panel of kc rows, ldb apart (ldb = nr when packed; columns past cols are
// zero there or not read), and writes its top-left rows×cols corner into c
// (row stride ldc) as c = beta*c + t, reading c only when beta != 0 so that
// NaNs in c do not survive beta == 0. When ep is not nil it then adds
// ep.bias[j] to column j (unless ep.bias is nil) and, when ep.relu is set,
// replaces every value below zero by zero (NaN stays NaN). Nothing outside
// the rows×cols corner of c is read or written.
func tileRef[T Float](mr, nr, kc int, a, b []T, ldb int, c []T, ldc int, beta T, ep *tileEpilogue[T], rows, cols int) {
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			var t T
			for p := 0; p < kc; p++ {
				t += a[p*mr+i] * b[p*ldb+j]
			}
			v := t
			if beta != 0 {
				v = beta*c[i*ldc+j] + t
			}
			if ep != nil {
				if ep.bias != nil {
					v += ep.bias[j]
				}
				if ep.relu && v < 0 {
					v = 0
				}
			}
			c[i*ldc+j] = v
		}
	}
}

// goKernel returns the pure-Go micro-kernel for T, and its blocking.
func goKernel[T Float]() *gemmKernel[T] {
	return &gemmKernel[T]{
		name: "go4x2", mr: goMR, nr: goNR,
		kc: gemmKC, mc: gemmMC, nc: gemmNC,
		workPerThread:    gemmWorkPerThread,
		hotWorkPerThread: gemmHotWorkPerThread,
		tile:             tileGo[T],
		packA:            packA[T],
		packB:            packB[T],
	}
}

// The pure-Go kernels of float32 and float64, made once: Gemm on types
// defined on them builds its own (one allocation per call).
var (
	goKernel32 = goKernel[float32]()
	goKernel64 = goKernel[float64]()
)

// sgemmKernel is the float32 micro-kernel Gemm uses: the first of
// sgemmKernels, the fastest this CPU runs. Tests set it to force each one.
var sgemmKernel = sgemmKernels[0]

// sgemmKernels lists the float32 micro-kernels this CPU can run, fastest
// first; the pure-Go kernel is always last.
var sgemmKernels = append(asmKernels32(), goKernel32)

// kernelFor returns the micro-kernel Gemm uses for element type T.
func kernelFor[T Float]() *gemmKernel[T] {
	var zero T
	switch any(zero).(type) {
	case float32:
		return any(sgemmKernel).(*gemmKernel[T])
	case float64:
		return any(goKernel64).(*gemmKernel[T])
	}
	return goKernel[T]()
}

// Cache blocking of the pure-Go kernel, in elements, after Goto and van de
// Geijn, "Anatomy of High-Performance Matrix Multiplication" (ACM TOMS 34(3),
// 2008): the mc×kc block of A is 128 KiB of float32 and the kc×nc block of B
// 512 KiB, both within the 1 MiB L2 of a Zen 4 core. With an earlier loop
// order (a B panel in L1 and A streamed), nc = 512 ran the 1024³ product at
// 10.8 GFLOP/s where nc = 2048 gave 7.5–9.6; the present order (an A panel
// in L1, see macroKernel) ran 256³ at the same 11.2 GFLOP/s.
const (
	gemmKC = 256 // depth of one packed block (shared dimension)
	gemmMC = 128 // rows of op(A) per packed block; a multiple of goMR
	gemmNC = 512 // columns of op(B) per packed block; a multiple of goNR
)

// tileGo is the pure-Go micro-kernel of Gemm, with the contract of tileRef
// for a 4×2 tile and a packed B panel (ldb = 2): kernel4x2 computes the
// tile, storeTile writes it out.
func tileGo[T Float](kc int, a, b []T, ldb int, c []T, ldc int, beta T, ep *tileEpilogue[T], rows, cols int) {
	if ldb != goNR {
		panic("kernels: tileGo needs a packed B panel")
	}
	var acc [goMR * goNR]T
	kernel4x2(kc, a, b, &acc)
	if rows == goMR && cols == goNR && beta == 0 && ep == nil {
		// Whole tiles of a fresh C, with array copies instead of loops: at
		// small k this costs as much as the kernel.
		for i := range goMR {
			*(*[goNR]T)(c[i*ldc:]) = *(*[goNR]T)(acc[i*goNR:])
		}
		return
	}
	storeTile(c, ldc, rows, cols, acc[:], goNR, beta, ep)
}

// storeTile writes the top-left rows×cols corner of the tile t (row stride
// ldt) into c (row stride ldc) as c = beta*c + t, overwriting c when
// beta == 0, then applies ep as tileRef describes.
func storeTile[T Float](c []T, ldc, rows, cols int, t []T, ldt int, beta T, ep *tileEpilogue[T]) {
	for i := 0; i < rows; i++ {
		dst := c[i*ldc : i*ldc+cols]
		src := t[i*ldt : i*ldt+cols]
		switch beta {
		case 0:
			copy(dst, src)
		case 1:
			for j, v := range src {
				dst[j] += v
			}
		default:
			for j, v := range src {
				dst[j] = beta*dst[j] + v
			}
		}
		if ep == nil {
			continue
		}
		if ep.bias != nil {
			for j, v := range ep.bias[:cols] {
				dst[j] += v
			}
		}
		if ep.relu {
			for j, v := range dst {
				if v < 0 {
					dst[j] = 0
				}
			}
		}
	}
}

// The register tile of the pure-Go micro-kernel. 4×2 is the largest tile the
// Go compiler keeps in the 15 usable XMM registers without spilling: its
// scheduler places every loop-carried add after all the multiplies of the
// last k step, so the tile needs 2·mr·nr registers plus the loads. Measured on
// an AMD EPYC (Zen 4) with the k loop unrolled 8×, best of 200 runs in L1:
// 4×2 12.5, 3×2 12.5, 2×4 12.1, 3×3 11.0, 4×3 7.4, 4×4 6.1 GFLOP/s.
const (
	goMR = 4 // rows of C per micro-tile
	goNR = 2 // columns of C per micro-tile
)

// kernel4x2 computes the 4×2 tile acc = Σ_p a[p*4+i] · b[p*2+j] over
// p < kc, where a is a packed A panel (kc steps of 4 rows) and b a packed B
// panel (kc steps of 2 columns); acc is row-major (acc[i*2+j]). The k loop is
// unrolled 8 times; slicing a and b to exact lengths first lets the compiler
// drop every bounds check inside the loop.
func kernel4x2[T Float](kc int, a, b []T, acc *[goMR * goNR]T) {
	a = a[:kc*goMR]
	b = b[:kc*goNR]
	var c00, c01, c10, c11, c20, c21, c30, c31 T
	for len(a) >= 8*goMR && len(b) >= 8*goNR {
		pa := (*[8 * goMR]T)(a)
		pb := (*[8 * goNR]T)(b)
		b0, b1 := pb[0], pb[1]
		a0 := pa[0]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 := pa[1]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 := pa[2]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 := pa[3]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[2], pb[3]
		a0 = pa[4]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[5]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[6]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[7]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[4], pb[5]
		a0 = pa[8]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[9]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[10]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[11]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[6], pb[7]
		a0 = pa[12]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[13]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[14]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[15]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[8], pb[9]
		a0 = pa[16]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[17]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[18]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[19]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[10], pb[11]
		a0 = pa[20]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[21]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[22]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[23]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[12], pb[13]
		a0 = pa[24]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[25]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[26]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[27]
		c30 += a3 * b0
		c31 += a3 * b1
		b0, b1 = pb[14], pb[15]
		a0 = pa[28]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 = pa[29]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 = pa[30]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 = pa[31]
		c30 += a3 * b0
		c31 += a3 * b1
		a = a[8*goMR:]
		b = b[8*goNR:]
	}
	for len(a) >= goMR && len(b) >= goNR {
		pa := (*[goMR]T)(a)
		pb := (*[goNR]T)(b)
		b0, b1 := pb[0], pb[1]
		a0, a1, a2, a3 := pa[0], pa[1], pa[2], pa[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c10 += a1 * b0
		c11 += a1 * b1
		c20 += a2 * b0
		c21 += a2 * b1
		c30 += a3 * b0
		c31 += a3 * b1
		a = a[goMR:]
		b = b[goNR:]
	}
	*acc = [goMR * goNR]T{c00, c01, c10, c11, c20, c21, c30, c31}
}
