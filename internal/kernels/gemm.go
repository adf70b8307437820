package kernels

import (
	"fmt"
	"sync"
)

// Gemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices, where
// op(A) is m×k (A stored k×m when transA), op(B) is k×n (B stored n×k when
// transB), and lda, ldb, ldc are the row strides. beta == 0 means C is
// overwritten (NaNs in C must not leak through). When alpha == 0 or k == 0,
// A and B are not read and C becomes beta*C.
//
// Only the first n elements of each of the m rows of C are written; elements
// between the end of a row and the next stride are left untouched. Gemm
// panics with a *GemmError when a stride is smaller than the row it holds or
// a slice is too short for its matrix.
//
// Gemm packs blocks of op(A) and op(B) into contiguous panels (the AVX-512
// kernels read a non-transposed B of few rows in place) and multiplies them
// with a register-tiled micro-kernel: for float32 an AVX-512 or AVX2
// assembly kernel when the CPU has one (gemm_amd64.go), otherwise the
// pure-Go kernel4x2. Products above a threshold are split over
// runtime.GOMAXPROCS(0) goroutines by blocks of rows or columns of C, with
// workers from a pool that spin for a while after each product so that the
// next one reaches them at once. In steady state Gemm does not allocate:
// packing buffers are reused through a sync.Pool for float32 and float64
// (types defined on them get fresh buffers on each call).
func Gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	checkGemm("Gemm", transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleMatrix(m, n, beta, c, ldc)
		return
	}
	g := gemmArgs[T]{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
		a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc}
	gemmRun(kernelFor[T](), &g)
}

// gemmRun computes g with kernel kern, on several goroutines when it is
// large enough.
func gemmRun[T Float](kern *gemmKernel[T], g *gemmArgs[T]) {
	if kern.narrow != nil && g.n <= kern.narrow.nr {
		kern = kern.narrow
	}
	if threads := gemmThreads(kern, g.m, g.n, g.k); threads > 1 {
		gemmParallel(kern, g, threads)
		return
	}
	s := getScratch[T]()
	gemmSerial(s, kern, g)
	putScratch(s)
}

// gemmArgs holds the arguments of one Gemm or GemmBiasAct call, or of the
// part of it that one goroutine computes.
type gemmArgs[T Float] struct {
	transA, transB bool
	m, n, k        int
	alpha          T
	a              []T
	lda            int
	b              []T
	ldb            int
	beta           T
	c              []T
	ldc            int

	// The epilogue of GemmBiasAct, applied as each tile of C is written in
	// the last block of k: add bias (per column, nil for none, indexed like
	// the columns of c), then clamp below at 0 when relu is set.
	epilogue bool
	bias     []T
	relu     bool
}

// gemmScratch holds the packing buffers of one goroutine, and the state of a
// parallel call when the goroutine owning it is the one that split the work.
type gemmScratch[T Float] struct {
	ap, bp []T // packed block of op(A), packed block of op(B)
	ep     tileEpilogue[T]
	job    gemmJob[T]
}

// Pools of *gemmScratch[float32] and *gemmScratch[float64].
var scratch32, scratch64 sync.Pool

func scratchPool[T Float]() *sync.Pool {
	var zero T
	switch any(zero).(type) {
	case float32:
		return &scratch32
	case float64:
		return &scratch64
	}
	return nil
}

func getScratch[T Float]() *gemmScratch[T] {
	if p := scratchPool[T](); p != nil {
		if s, ok := p.Get().(*gemmScratch[T]); ok {
			return s
		}
	}
	return new(gemmScratch[T])
}

func putScratch[T Float](s *gemmScratch[T]) {
	if p := scratchPool[T](); p != nil {
		p.Put(s)
	}
}

// grow returns buf resliced to n elements, reallocated if it is too small.
func grow[T Float](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}

// blockSize splits total into the fewest blocks of at most max elements and
// returns their common size, rounded up to a multiple of align, so that the
// last block is not much smaller than the others (k = 784 gives four blocks
// of 196 rather than three of 256 and one of 16).
func blockSize(total, max, align int) int {
	blocks := (total + max - 1) / max
	size := (total + blocks - 1) / blocks
	return (size + align - 1) / align * align
}

// gemmSerial computes the whole product g on the calling goroutine with
// kernel kern: the five loops of Goto's algorithm around the micro-kernel.
func gemmSerial[T Float](s *gemmScratch[T], kern *gemmKernel[T], g *gemmArgs[T]) {
	m, n, k := g.m, g.n, g.k
	mr, nr := kern.mr, kern.nr
	kc := blockSize(k, kern.kc, 1)
	mc := blockSize(m, kern.mc, mr)
	nc := blockSize(n, kern.nc, nr)
	inPlace := !g.transB && m <= kern.inPlaceBRows
	s.ap = grow(s.ap, min(mc, roundUp(m, mr))*kc)
	if !inPlace {
		s.bp = grow(s.bp, min(nc, roundUp(n, nr))*kc)
	}
	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			// The B block as the kernel reads it: panel jr starts at
			// bb[jr*bStep], its rows ldb apart.
			bb, ldb, bStep := s.bp, nr, kb
			if inPlace {
				bb, ldb, bStep = g.b[pc*g.ldb+jc:], g.ldb, 1
			} else {
				kern.packB(s.bp, g.transB, g.b, g.ldb, pc, jc, kb, nb, nr)
			}
			beta := g.beta
			if pc > 0 {
				beta = 1 // later blocks of k accumulate into C
			}
			var ep *tileEpilogue[T]
			if g.epilogue && pc+kb == k {
				ep = &s.ep
				ep.bias, ep.relu = nil, g.relu
				if g.bias != nil {
					ep.bias = g.bias[jc : jc+nb]
				}
			}
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				kern.packA(s.ap, g.transA, g.a, g.lda, ic, pc, mb, kb, mr, g.alpha)
				macroKernel(kern, s.ap, mb, nb, kb, bb, ldb, bStep, g.c[ic*g.ldc+jc:], g.ldc, beta, ep)
			}
			s.ep = tileEpilogue[T]{} // drop the caller's bias
		}
	}
}

// macroKernel multiplies the packed mb×kb block ap of op(A) by the kb×nb
// block of op(B) in b (panel jr at b[jr*bStep], rows ldb apart) and stores
// the result into the mb×nb matrix c (row stride ldc) as c = beta*c +
// product, then applies ep when it is not nil, one micro-tile at a time.
// The A panel of the outer loop (mr×kb, 16 KiB for the AVX-512 kernel at
// kb = 512) stays in L1 while the inner loop streams the B panels from L2.
// The other order, which keeps a kb×nr B panel in L1, would need kb ≤ 128
// for the 32-wide AVX-512 tile, and so four times as many passes over C for
// each product.
func macroKernel[T Float](kern *gemmKernel[T], ap []T, mb, nb, kb int, b []T, ldb, bStep int, c []T, ldc int, beta T, ep *tileEpilogue[T]) {
	mr, nr := kern.mr, kern.nr
	var bias []T
	if ep != nil {
		bias = ep.bias
	}
	for ir := 0; ir < mb; ir += mr {
		a := ap[ir*kb : (ir+mr)*kb]
		rows := min(mr, mb-ir)
		for jr := 0; jr < nb; jr += nr {
			cols := min(nr, nb-jr)
			if bias != nil {
				ep.bias = bias[jr : jr+cols]
			}
			kern.tile(kb, a, b[jr*bStep:], ldb, c[ir*ldc+jr:], ldc, beta, ep, rows, cols)
		}
	}
	if ep != nil {
		ep.bias = bias
	}
}

// scaleMatrix sets the m×n matrix c (row stride ldc) to beta*c, writing
// zeros when beta == 0 so that NaNs and infinities in c do not survive.
func scaleMatrix[T Float](m, n int, beta T, c []T, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

func roundUp(x, align int) int { return (x + align - 1) / align * align }

// GemmError reports a Gemm, GemmRef, GemmBiasAct or GemmBiasActRef call
// whose sizes, strides, slice lengths or activation do not fit together.
type GemmError struct {
	Op      string // "Gemm", "GemmRef", "GemmBiasAct" or "GemmBiasActRef"
	M, N, K int    // the sizes of the call
	Reason  string // what does not fit, with the values involved
}

func (e *GemmError) Error() string {
	return fmt.Sprintf("kernels: %s(m=%d, n=%d, k=%d): %s", e.Op, e.M, e.N, e.K, e.Reason)
}

// checkGemm panics with a *GemmError unless the sizes, strides and slice
// lengths describe valid row-major matrices op(A) m×k, op(B) k×n and C m×n.
func checkGemm(op string, transA, transB bool, m, n, k, lenA, lda, lenB, ldb, lenC, ldc int) {
	fail := func(format string, args ...any) {
		panic(&GemmError{Op: op, M: m, N: n, K: k, Reason: fmt.Sprintf(format, args...)})
	}
	if m < 0 || n < 0 || k < 0 {
		fail("negative size")
	}
	check := func(name string, trans bool, rows, cols, length, ld int) {
		if trans {
			rows, cols = cols, rows
		}
		if ld < max(1, cols) {
			fail("ld%s %d is less than the %d columns of %s as stored", name, ld, cols, name)
		}
		if rows > 0 && cols > 0 && length < (rows-1)*ld+cols {
			fail("len(%s) %d is less than the %d elements of a %d×%d matrix with stride %d",
				name, length, (rows-1)*ld+cols, rows, cols, ld)
		}
	}
	check("a", transA, m, k, lenA, lda)
	check("b", transB, k, n, lenB, ldb)
	check("c", false, m, n, lenC, ldc)
}
