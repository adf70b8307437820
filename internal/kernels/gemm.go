package kernels

import (
	"fmt"
	"sync"
)

// Cache blocking of Gemm, in elements, after Goto and van de Geijn, "Anatomy
// of High-Performance Matrix Multiplication" (ACM TOMS 34(3), 2008): a kc×nr
// panel of B stays in L1 while the kernel sweeps an mc×kc block of A held in
// L2 (128 KiB of float32). The kc×nc block of B is 512 KiB of float32: on a
// Zen 4 with 1 MiB of L2, nc = 512 ran the 1024³ product at 10.8 GFLOP/s
// where nc = 2048 gave 7.5–9.6.
const (
	gemmKC = 256 // depth of one packed block (shared dimension)
	gemmMC = 128 // rows of op(A) per packed block; a multiple of goMR
	gemmNC = 512 // columns of op(B) per packed block; a multiple of goNR
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
// Gemm packs blocks of op(A) and op(B) into contiguous panels and multiplies
// them with a register-tiled micro-kernel (kernel4x2). Large products are
// split over runtime.GOMAXPROCS(0) goroutines by blocks of rows or columns
// of C. In steady state Gemm does not allocate: packing buffers are reused
// through a sync.Pool for float32 and float64 (types defined on them get
// fresh buffers on each call).
func Gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	checkGemm("Gemm", transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleMatrix(m, n, beta, c, ldc)
		return
	}
	g := gemmArgs[T]{transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc}
	if threads := gemmThreads(m, n, k); threads > 1 {
		gemmParallel(&g, threads)
		return
	}
	s := getScratch[T]()
	gemmSerial(s, &g)
	putScratch(s)
}

// gemmArgs holds the arguments of one Gemm call, or of the part of it that
// one goroutine computes.
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
}

// gemmScratch holds the packing buffers of one goroutine, and the state of a
// parallel call when the goroutine owning it is the one that split the work.
type gemmScratch[T Float] struct {
	ap, bp []T // packed block of op(A), packed block of op(B)
	acc    [goMR * goNR]T
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

// gemmSerial computes the whole product g on the calling goroutine: the five
// loops of Goto's algorithm around the micro-kernel.
func gemmSerial[T Float](s *gemmScratch[T], g *gemmArgs[T]) {
	m, n, k := g.m, g.n, g.k
	kc := blockSize(k, gemmKC, 1)
	mc := blockSize(m, gemmMC, goMR)
	nc := blockSize(n, gemmNC, goNR)
	s.ap = grow(s.ap, min(mc, roundUp(m, goMR))*kc)
	s.bp = grow(s.bp, min(nc, roundUp(n, goNR))*kc)
	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			packB(s.bp, g.transB, g.b, g.ldb, pc, jc, kb, nb, goNR)
			beta := g.beta
			if pc > 0 {
				beta = 1 // later blocks of k accumulate into C
			}
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				packA(s.ap, g.transA, g.a, g.lda, ic, pc, mb, kb, goMR, g.alpha)
				macroKernel(s, mb, nb, kb, g.c[ic*g.ldc+jc:], g.ldc, beta)
			}
		}
	}
}

// macroKernel multiplies the packed mb×kb block of op(A) by the packed kb×nb
// block of op(B) and stores the result into the mb×nb matrix c (row stride
// ldc) as c = beta*c + product, one micro-tile at a time. The B panel of the
// outer loop stays in L1 while the inner loop streams the A panels.
func macroKernel[T Float](s *gemmScratch[T], mb, nb, kb int, c []T, ldc int, beta T) {
	for jr := 0; jr < nb; jr += goNR {
		bp := s.bp[jr*kb : (jr+goNR)*kb]
		cols := min(goNR, nb-jr)
		for ir := 0; ir < mb; ir += goMR {
			kernel4x2(kb, s.ap[ir*kb:(ir+goMR)*kb], bp, &s.acc)
			storeTile(c[ir*ldc+jr:], ldc, min(goMR, mb-ir), cols, &s.acc, beta)
		}
	}
}

// storeTile writes the top-left rows×cols corner of the goMR×goNR tile acc
// into c (row stride ldc) as c = beta*c + acc, overwriting c when beta == 0.
func storeTile[T Float](c []T, ldc, rows, cols int, acc *[goMR * goNR]T, beta T) {
	if rows == goMR && cols == goNR && beta == 0 {
		// Whole tiles of a fresh C, with array copies instead of loops: at
		// small k this costs as much as the kernel.
		for i := range goMR {
			*(*[goNR]T)(c[i*ldc:]) = *(*[goNR]T)(acc[i*goNR:])
		}
		return
	}
	for i := 0; i < rows; i++ {
		dst := c[i*ldc : i*ldc+cols]
		src := acc[i*goNR : i*goNR+cols]
		switch beta {
		case 0:
			for j, v := range src {
				dst[j] = v
			}
		case 1:
			for j, v := range src {
				dst[j] += v
			}
		default:
			for j, v := range src {
				dst[j] = beta*dst[j] + v
			}
		}
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

// GemmError reports a Gemm or GemmRef call whose sizes, strides and slice
// lengths do not fit together.
type GemmError struct {
	Op      string // "Gemm" or "GemmRef"
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
