package kernels

import "fmt"

// GemmSerial computes C = A·B + bias + beta·C for row-major matrices (A
// m×k, B k×n, C m×n, no transposition) on the calling goroutine alone,
// with Gemm's kernels; bias holds one value per column of C, nil for none.
//
// It is for callers that already give every thread products of its own:
// the recurrent layers run each chunk of a batch through its whole
// sequence on one thread. Gemm would split such a product too, and with
// no thread free to help, compute its parts one after the other, packing
// A once per part: the 64×512 steps of mnist-lstm's backward pass split by
// columns and packed their A twice.
func GemmSerial(m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, bias []float32) {
	checkGemm("GemmSerial", false, false, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if bias != nil && len(bias) < n {
		panic(&GemmError{Op: "GemmSerial", M: m, N: n, K: k, Reason: fmt.Sprintf("bias has %d values for %d columns", len(bias), n)})
	}
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		scaleMatrix(m, n, beta, c, ldc)
		if bias != nil {
			for i := range m {
				Binary(OpAdd, c[i*ldc:i*ldc+n], c[i*ldc:i*ldc+n], bias[:n])
			}
		}
		return
	}
	if bias != nil {
		bias = bias[:n]
	}
	g := gemmArgs[float32]{m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc,
		epilogue: bias != nil, bias: bias}
	kern := kernelFor[float32]()
	if kern.narrow != nil && n <= kern.narrow.nr {
		kern = kern.narrow
	}
	s := getScratch[float32]()
	gemmSerial(s, kern, &g)
	putScratch(s)
}
