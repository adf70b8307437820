package kernels

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"
)

// Guard values catch writes outside a buffer but not reads. These tests
// place each buffer so that it ends where an inaccessible page begins: a
// kernel that reads even one element past the end (a vector load wider than
// the edge, a mask set wrong) crashes the test with SIGSEGV.

// pageEnd returns n float32s ending at the start of a PROT_NONE page, and
// the function that unmaps them.
func pageEnd(t *testing.T, n int) ([]float32, func()) {
	t.Helper()
	page := syscall.Getpagesize()
	size := (n*4+page-1)/page*page + page
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatalf("mmap %d bytes: %v", size, err)
	}
	if err := syscall.Mprotect(mem[size-page:], syscall.PROT_NONE); err != nil {
		t.Fatalf("mprotect: %v", err)
	}
	all := unsafe.Slice((*float32)(unsafe.Pointer(&mem[0])), (size-page)/4)
	return all[len(all)-n:], func() { syscall.Munmap(mem) }
}

// TestGemmReadsNothingPastEnd runs Gemm and GemmBiasAct with every operand
// (and the bias) ending at an inaccessible page, for each float32 kernel,
// all transpositions and sizes with partial tiles, then compares with
// GemmRef so that the test also means something when it does not crash.
func TestGemmReadsNothingPastEnd(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	forEachKernel32(t, true, func(t *testing.T) {
		mr, nr := sgemmKernel.mr, sgemmKernel.nr
		for _, s := range [][3]int{{1, 1, 1}, {mr + 1, nr + 1, 9}, {2*mr - 1, 2*nr - 3, 17}, {3, 5, 33}} {
			m, n, k := s[0], s[1], s[2]
			for tr := 0; tr < 4; tr++ {
				transA, transB := tr&1 != 0, tr&2 != 0
				lda, ldb := k, n
				if transA {
					lda = m
				}
				if transB {
					ldb = k
				}
				a, freeA := pageEnd(t, m*k)
				b, freeB := pageEnd(t, k*n)
				c, freeC := pageEnd(t, m*n)
				bias, freeBias := pageEnd(t, n)
				for _, x := range [][]float32{a, b, c, bias} {
					for i := range x {
						x[i] = rng.Float32()*2 - 1
					}
				}
				want := make([]float32, m*n)
				copy(want, c)
				name := fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d", transA, transB, m, n, k)
				Gemm(transA, transB, m, n, k, 1.5, a, lda, b, ldb, 0.5, c, n)
				GemmRef(transA, transB, m, n, k, 1.5, a, lda, b, ldb, 0.5, want, n)
				for i := range want {
					if d := c[i] - want[i]; d > 1e-3 || d < -1e-3 { // a sanity check: the rounding tests are in gemm_test.go
						t.Errorf("%s: C[%d]: got %v, want %v", name, i, c[i], want[i])
						break
					}
				}
				GemmBiasAct(transA, transB, m, n, k, a, lda, b, ldb, c, n, bias, EpilogueReLU)
				freeA()
				freeB()
				freeC()
				freeBias()
			}
		}
	})
}

// TestMicroKernelsReadNothingPastEnd runs each kernel on every corner of its
// tile with C and the bias ending at an inaccessible page, for beta == 0
// and beta != 0 (which reads C), and for kernels that read B in place, B
// too, with its rows as close as they can be (ldb = cols).
func TestMicroKernelsReadNothingPastEnd(t *testing.T) {
	for _, kern := range sgemmKernels {
		mr, nr := kern.mr, kern.nr
		t.Run(kern.name, func(t *testing.T) {
			const kc = 5 // one step of the unrolled loop and one of the tail
			a := make([]float32, kc*mr)
			packed := make([]float32, kc*nr)
			for rows := 1; rows <= mr; rows++ {
				for cols := 1; cols <= nr; cols++ {
					ldc := nr + 1
					c, freeC := pageEnd(t, (rows-1)*ldc+cols)
					bias, freeBias := pageEnd(t, cols)
					b, ldb, freeB := packed, nr, func() {}
					if kern.inPlaceBRows > 0 {
						ldb = cols
						b, freeB = pageEnd(t, (kc-1)*ldb+cols)
					}
					for _, beta := range []float32{0, 1} {
						kern.tile(kc, a, b, ldb, c, ldc, beta, &tileEpilogue[float32]{bias: bias, relu: true}, rows, cols)
						kern.tile(kc, a, b, ldb, c, ldc, beta, nil, rows, cols)
					}
					freeC()
					freeBias()
					freeB()
				}
			}
		})
	}
}
