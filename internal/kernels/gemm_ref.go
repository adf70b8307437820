package kernels

// GemmRef computes C = alpha*op(A)*op(B) + beta*C exactly as Gemm does (same
// arguments, same treatment of alpha == 0, beta == 0 and k == 0, same panics)
// with the naive triple loop, summing each element of the product in the
// order p = 0, 1, …, k-1 in precision T. It is the reference that Gemm is
// tested against, and the baseline of its benchmarks.
func GemmRef[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	checkGemm("GemmRef", transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scaleMatrix(m, n, beta, c, ldc)
		return
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var sum T
			for p := 0; p < k; p++ {
				var ai, bj T
				if transA {
					ai = a[p*lda+i]
				} else {
					ai = a[i*lda+p]
				}
				if transB {
					bj = b[j*ldb+p]
				} else {
					bj = b[p*ldb+j]
				}
				sum += ai * bj
			}
			if beta == 0 {
				c[i*ldc+j] = alpha * sum
			} else {
				c[i*ldc+j] = alpha*sum + beta*c[i*ldc+j]
			}
		}
	}
}
