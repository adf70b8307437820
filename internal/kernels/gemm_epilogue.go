package kernels

import "fmt"

// Epilogue is the activation that GemmBiasAct applies to each element of
// its output, after the bias.
type Epilogue uint8

const (
	EpilogueNone Epilogue = iota // the identity
	EpilogueReLU                 // max(x, 0); NaN stays NaN
)

func (e Epilogue) String() string {
	switch e {
	case EpilogueNone:
		return "none"
	case EpilogueReLU:
		return "relu"
	}
	return fmt.Sprintf("Epilogue(%d)", uint8(e))
}

// GemmBiasAct computes C = act(op(A)·op(B) + bias) for row-major matrices:
// the forward pass of a Dense layer in one call. op(A) is m×k (A stored k×m
// when transA), op(B) is k×n (B stored n×k when transB), bias holds one
// value per column of C (nil for none; at least n values) and act is applied
// to every element. C is overwritten: its previous contents are never read,
// so NaNs in it do not survive. When k == 0 every row of C becomes act(bias).
//
// The bias and the activation are applied by the micro-kernel as it writes
// each tile of C in the last block of k, while the tile is still in
// registers, so they cost no extra pass over C. Sizes, strides and slices
// are checked as in Gemm; a short bias or an unknown act panics with a
// *GemmError too.
func GemmBiasAct[T Float](transA, transB bool, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int, bias []T, act Epilogue) {
	checkGemmBiasAct("GemmBiasAct", transA, transB, m, n, k, a, lda, b, ldb, c, ldc, bias, act)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		biasActRows(m, n, c, ldc, bias, act)
		return
	}
	if bias != nil {
		bias = bias[:n]
	}
	g := gemmArgs[T]{transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
		a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: ldc,
		epilogue: bias != nil || act != EpilogueNone, bias: bias, relu: act == EpilogueReLU}
	gemmRun(kernelFor[T](), &g)
}

// GemmBiasActRef computes C = act(op(A)·op(B) + bias) exactly as GemmBiasAct
// does (same arguments, same panics), as GemmRef followed by a loop adding
// the bias and applying act. It is the reference that GemmBiasAct is tested
// against.
func GemmBiasActRef[T Float](transA, transB bool, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int, bias []T, act Epilogue) {
	checkGemmBiasAct("GemmBiasActRef", transA, transB, m, n, k, a, lda, b, ldb, c, ldc, bias, act)
	GemmRef(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, ldc)
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		for j := range row {
			v := row[j]
			if bias != nil {
				v += bias[j]
			}
			if act == EpilogueReLU && v < 0 {
				v = 0
			}
			row[j] = v
		}
	}
}

// biasActRows sets every row of the m×n matrix c (row stride ldc) to
// act(bias), or to act(0) = 0 when bias is nil.
func biasActRows[T Float](m, n int, c []T, ldc int, bias []T, act Epilogue) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if bias == nil {
			clear(row)
			continue
		}
		for j, v := range bias[:n] {
			if act == EpilogueReLU && v < 0 {
				v = 0
			}
			row[j] = v
		}
	}
}

// checkGemmBiasAct panics with a *GemmError unless the arguments of
// GemmBiasAct fit together.
func checkGemmBiasAct[T Float](op string, transA, transB bool, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int, bias []T, act Epilogue) {
	checkGemm(op, transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if bias != nil && len(bias) < n {
		panic(&GemmError{Op: op, M: m, N: n, K: k, Reason: fmt.Sprintf("len(bias) %d is less than the %d columns of c", len(bias), n)})
	}
	if act > EpilogueReLU {
		panic(&GemmError{Op: op, M: m, N: n, K: k, Reason: fmt.Sprintf("unknown activation %v", act)})
	}
}
