package tensor

import (
	"fmt"
	"math"
	"slices"

	"github.com/deepgo-dev/deepgo/internal/kernels"
)

// normAxes turns possibly negative axes into sorted, unique, in-range axes.
// No axes means all of them.
func normAxes(op string, shape []int, axes []int) []int {
	if len(axes) == 0 {
		all := make([]int, len(shape))
		for i := range all {
			all[i] = i
		}
		return all
	}
	out := make([]int, 0, len(axes))
	for _, a := range axes {
		if a < 0 {
			a += len(shape)
		}
		if a < 0 || a >= len(shape) {
			shapePanic(op, fmt.Sprintf("axis %d out of range", a), shape)
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

// reduceAxis reduces one axis of a tensor viewed as (outer, mid, inner).
func reduceAxis[T kernels.Float](dst, src []T, outer, mid, inner int, isMax bool) {
	for o := 0; o < outer; o++ {
		d := dst[o*inner : o*inner+inner]
		s := src[o*mid*inner : (o+1)*mid*inner]
		copy(d, s[:inner])
		for m := 1; m < mid; m++ {
			row := s[m*inner : m*inner+inner]
			if isMax {
				for i, v := range row {
					if v > d[i] || v != v {
						d[i] = v
					}
				}
			} else {
				for i, v := range row {
					d[i] += v
				}
			}
		}
	}
}

func reduce(op string, a *Tensor, axes []int, keepDims, isMax bool) *Tensor {
	ax := normAxes(op, a.shape, axes)
	cur := a
	shape := slices.Clone(a.shape)
	for i := len(ax) - 1; i >= 0; i-- {
		k := ax[i]
		outer, inner := NumElements(shape[:k]), NumElements(shape[k+1:])
		mid := shape[k]
		if mid == 0 {
			shapePanic(op, fmt.Sprintf("reducing empty axis %d", k), a.shape)
		}
		shape[k] = 1
		next := New(a.dtype, shape...)
		if a.dtype == Float64 {
			reduceAxis(next.f64, cur.f64, outer, mid, inner, isMax)
		} else {
			reduceAxis(next.f32, cur.f32, outer, mid, inner, isMax)
		}
		cur = next
	}
	if cur == a {
		cur = a.Clone()
	}
	if !keepDims {
		out := make([]int, 0, len(shape))
		for i, d := range shape {
			if !slices.Contains(ax, i) {
				out = append(out, d)
			}
		}
		cur = cur.Reshape(out...)
	}
	return cur
}

// Sum adds a over the given axes (all axes when none are given).
func Sum(a *Tensor, keepDims bool, axes ...int) *Tensor {
	return reduce("Sum", a, axes, keepDims, false)
}

// Mean averages a over the given axes (all axes when none are given).
func Mean(a *Tensor, keepDims bool, axes ...int) *Tensor {
	s := Sum(a, keepDims, axes...)
	n := a.Len() / max(s.Len(), 1)
	return MulScalar(s, 1/float64(n))
}

// Max takes the maximum of a over the given axes (all when none are given).
func Max(a *Tensor, keepDims bool, axes ...int) *Tensor {
	return reduce("Max", a, axes, keepDims, true)
}

// SumTo sums a down to shape, undoing a broadcast that produced a from a
// tensor of that shape: the one place where broadcasting is reversed for
// gradients.
func SumTo(a *Tensor, shape []int) *Tensor {
	if SameShape(a.shape, shape) {
		return a
	}
	lead := len(a.shape) - len(shape)
	if lead < 0 {
		shapePanic("SumTo", "target has more dimensions", a.shape, shape)
	}
	var axes []int
	for i := range a.shape {
		if i < lead {
			axes = append(axes, i)
		} else if shape[i-lead] == 1 && a.shape[i] != 1 {
			axes = append(axes, i)
		} else if shape[i-lead] != a.shape[i] {
			shapePanic("SumTo", "shapes do not broadcast", a.shape, shape)
		}
	}
	if len(axes) == 0 {
		return a.Reshape(shape...)
	}
	return Sum(a, true, axes...).Reshape(shape...)
}

// ArgMax returns, for each row along the last axis, the index of the first
// largest element, as ints.
func ArgMax(a *Tensor) []int {
	if a.Rank() == 0 {
		return []int{0}
	}
	n := a.shape[len(a.shape)-1]
	rows := a.Len() / max(n, 1)
	out := make([]int, rows)
	for r := range rows {
		best, bi := math.Inf(-1), 0
		for j := 0; j < n; j++ {
			v := a.AtFlat(r*n + j)
			if v > best {
				best, bi = v, j
			}
		}
		out[r] = bi
	}
	return out
}

// lastAxisRows views a as (rows, n) along its last axis.
func lastAxisRows(a *Tensor) (rows, n int) {
	if a.Rank() == 0 {
		return 1, 1
	}
	n = a.shape[len(a.shape)-1]
	if n == 0 {
		return 0, 0
	}
	return a.Len() / n, n
}

// Softmax returns exp(a)/sum(exp(a)) along the last axis, stable for any
// finite input.
func Softmax(a *Tensor) *Tensor {
	dst := ZerosLike(a)
	m, n := lastAxisRows(a)
	if a.dtype == Float64 {
		kernels.SoftmaxRows(dst.f64, a.f64, m, n)
	} else {
		kernels.SoftmaxRows(dst.f32, a.f32, m, n)
	}
	return dst
}

// LogSoftmax returns log(softmax(a)) along the last axis without forming
// softmax(a), so it stays finite for logits of any size.
func LogSoftmax(a *Tensor) *Tensor {
	dst := ZerosLike(a)
	m, n := lastAxisRows(a)
	if a.dtype == Float64 {
		kernels.LogSoftmaxRows(dst.f64, a.f64, m, n)
	} else {
		kernels.LogSoftmaxRows(dst.f32, a.f32, m, n)
	}
	return dst
}
