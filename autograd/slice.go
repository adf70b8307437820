package autograd

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/tensor"
)

// SliceAxis returns x[..., start:end, ...] along axis (negative counts from
// the end), as x[:, start:end] in NumPy. Recurrent layers use it to take one
// timestep of a sequence and one gate's columns of a fused gate matrix. The
// gradient is g written back into the sliced block of a zero tensor.
func SliceAxis(x *Value, axis, start, end int) *Value {
	shape := x.Shape()
	axis = normAxis("SliceAxis", shape, axis)
	if start < 0 || end > shape[axis] || start >= end {
		panic(&tensor.ShapeError{Op: "SliceAxis", Shapes: [][]int{shape},
			Msg: fmt.Sprintf("slice [%d:%d] of axis %d with %d entries", start, end, axis, shape[axis])})
	}
	outer, mid, inner := split3(shape, axis)
	out := append([]int(nil), shape...)
	out[axis] = end - start
	y := tensor.New(x.Data.DType(), out...)
	copyBlocks(y, x.Data, outer, inner, end-start, mid, start, end-start, 0)
	return record("slice", y, func(g *tensor.Tensor) {
		dx := tensor.ZerosLike(x.Data)
		copyBlocks(dx, g, outer, inner, end-start, end-start, 0, mid, start)
		x.accumulate(dx)
	}, x)
}

// Concat joins values along axis; all other axes must agree. Recurrent
// layers use it to stack per-timestep outputs into a sequence. Each input's
// gradient is its block of g.
func Concat(xs []*Value, axis int) *Value {
	if len(xs) == 0 {
		panic(&tensor.ShapeError{Op: "Concat", Msg: "no values to join"})
	}
	first := xs[0].Shape()
	axis = normAxis("Concat", first, axis)
	out := append([]int(nil), first...)
	out[axis] = 0
	shapes := make([][]int, len(xs))
	for i, x := range xs {
		s := x.Shape()
		shapes[i] = s
		ok := len(s) == len(first) && x.Data.DType() == xs[0].Data.DType()
		for d := 0; ok && d < len(s); d++ {
			ok = d == axis || s[d] == first[d]
		}
		if !ok {
			panic(&tensor.ShapeError{Op: "Concat", Shapes: shapes[:i+1], Msg: fmt.Sprintf("shapes differ off axis %d (or dtypes differ)", axis)})
		}
		out[axis] += s[axis]
	}
	y := tensor.New(xs[0].Data.DType(), out...)
	outer, total, inner := split3(out, axis)
	off := 0
	for _, x := range xs {
		n := x.Data.Dim(axis)
		copyBlocks(y, x.Data, outer, inner, n, n, 0, total, off)
		off += n
	}
	return record("concat", y, func(g *tensor.Tensor) {
		off := 0
		for _, x := range xs {
			n := x.Data.Dim(axis)
			if x.RequiresGrad {
				dx := tensor.ZerosLike(x.Data)
				copyBlocks(dx, g, outer, inner, n, total, off, n, 0)
				x.accumulate(dx)
			}
			off += n
		}
	}, xs...)
}

// normAxis resolves a possibly negative axis, panicking when out of range.
func normAxis(op string, shape []int, axis int) int {
	if axis < 0 {
		axis += len(shape)
	}
	if axis < 0 || axis >= len(shape) {
		panic(&tensor.ShapeError{Op: op, Shapes: [][]int{shape}, Msg: fmt.Sprintf("axis %d out of range", axis)})
	}
	return axis
}

// split3 views shape as (outer, shape[axis], inner).
func split3(shape []int, axis int) (outer, mid, inner int) {
	outer, inner = 1, 1
	for _, d := range shape[:axis] {
		outer *= d
	}
	for _, d := range shape[axis+1:] {
		inner *= d
	}
	return outer, shape[axis], inner
}

// copyBlocks copies n rows of inner elements from src, viewed as (outer,
// srcMid, inner) and read from row srcOff, into dst, viewed as (outer,
// dstMid, inner) and written from row dstOff, for each of the outer blocks.
func copyBlocks(dst, src *tensor.Tensor, outer, inner, n, srcMid, srcOff, dstMid, dstOff int) {
	if dst.DType() == tensor.Float64 {
		copyRows(dst.Float64s(), src.Float64s(), outer, inner, n, srcMid, srcOff, dstMid, dstOff)
	} else {
		copyRows(dst.Float32s(), src.Float32s(), outer, inner, n, srcMid, srcOff, dstMid, dstOff)
	}
}

func copyRows[T float32 | float64](dst, src []T, outer, inner, n, srcMid, srcOff, dstMid, dstOff int) {
	w := n * inner
	for o := 0; o < outer; o++ {
		s := (o*srcMid + srcOff) * inner
		d := (o*dstMid + dstOff) * inner
		copy(dst[d:d+w], src[s:s+w])
	}
}
