package tensor

import (
	"fmt"
	"slices"

	"github.com/deepgo-dev/deepgo/internal/kernels"
)

// MatMulInto computes dst = op(a)·op(b) for 2-D tensors, where op
// transposes when the flag is set. With accumulate, the product is added to
// dst instead of overwriting it (for gradients that fan in).
func MatMulInto(dst, a, b *Tensor, transA, transB, accumulate bool) {
	sameDType("MatMul", dst, a, b)
	if a.Rank() != 2 || b.Rank() != 2 || dst.Rank() != 2 {
		shapePanic("MatMul", "operands must be 2-D", a.shape, b.shape, dst.shape)
	}
	m, k := a.shape[0], a.shape[1]
	if transA {
		m, k = k, m
	}
	k2, n := b.shape[0], b.shape[1]
	if transB {
		k2, n = n, k2
	}
	if k != k2 || dst.shape[0] != m || dst.shape[1] != n {
		shapePanic("MatMul", fmt.Sprintf("inner dimensions %d and %d (transA=%v, transB=%v)", k, k2, transA, transB), a.shape, b.shape, dst.shape)
	}
	lda, ldb := a.shape[1], b.shape[1]
	if dst.dtype == Float64 {
		beta := 0.0
		if accumulate {
			beta = 1
		}
		kernels.Gemm(transA, transB, m, n, k, 1, a.f64, lda, b.f64, ldb, beta, dst.f64, n)
	} else {
		var beta float32
		if accumulate {
			beta = 1
		}
		kernels.Gemm(transA, transB, m, n, k, 1, a.f32, lda, b.f32, ldb, beta, dst.f32, n)
	}
}

// MatMul returns op(a)·op(b) for 2-D tensors.
func MatMul(a, b *Tensor, transA, transB bool) *Tensor {
	m := a.Dim(0)
	if transA {
		m = a.Dim(1)
	}
	n := b.Dim(1)
	if transB {
		n = b.Dim(0)
	}
	dst := New(a.dtype, m, n)
	MatMulInto(dst, a, b, transA, transB, false)
	return dst
}

// Transpose permutes the axes of a: output axis i is input axis perm[i].
// With no perm, the axes are reversed.
func Transpose(a *Tensor, perm ...int) *Tensor {
	r := a.Rank()
	if len(perm) == 0 {
		for i := r - 1; i >= 0; i-- {
			perm = append(perm, i)
		}
	}
	sorted := slices.Clone(perm)
	slices.Sort(sorted)
	for i, p := range sorted {
		if p != i || len(perm) != r {
			shapePanic("Transpose", fmt.Sprintf("bad permutation %v", perm), a.shape)
		}
	}
	outShape := make([]int, r)
	inStrides := make([]int, r)
	acc := 1
	for i := r - 1; i >= 0; i-- {
		inStrides[i] = acc
		acc *= a.shape[i]
	}
	st := make([]int, r)
	for i, p := range perm {
		outShape[i] = a.shape[p]
		st[i] = inStrides[p]
	}
	dst := New(a.dtype, outShape...)
	if dst.Len() == 0 {
		return dst
	}
	idx := make([]int, r)
	off := 0
	for o := 0; o < dst.Len(); o++ {
		dst.SetFlat(o, a.AtFlat(off))
		for ax := r - 1; ax >= 0; ax-- {
			idx[ax]++
			off += st[ax]
			if idx[ax] < outShape[ax] {
				break
			}
			off -= st[ax] * outShape[ax]
			idx[ax] = 0
		}
	}
	return dst
}
