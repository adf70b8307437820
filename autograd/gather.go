package autograd

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/tensor"
)

// Gathers: ops that pick whole rows of a tensor by index. Their gradient
// is the scatter that sends each output row's gradient back to the row it
// was read from, adding where a row was read more than once.

// Take returns the rows table[ids[i]] of a 2-D table (rows, width), shaped
// (idsShape..., width): keras.ops.take(table, ids, axis=0), the lookup of an
// Embedding layer. ids holds len(ids) = ∏ idsShape row numbers in [0, rows).
// Ids are not differentiable; the table's gradient is the scatter-add of
// the output's gradient rows into the rows they came from.
func Take(table *Value, ids []int, idsShape []int) *Value {
	shape := table.Shape()
	if len(shape) != 2 || tensor.NumElements(idsShape) != len(ids) {
		panic(&tensor.ShapeError{Op: "Take", Shapes: [][]int{shape, idsShape},
			Msg: fmt.Sprintf("want a 2-D table and ids of the given shape, got %d ids", len(ids))})
	}
	rows, width := shape[0], shape[1]
	for i, id := range ids {
		if id < 0 || id >= rows {
			panic(&tensor.ShapeError{Op: "Take", Shapes: [][]int{shape},
				Msg: fmt.Sprintf("id %d at position %d is out of range [0, %d)", id, i, rows)})
		}
	}
	out := tensor.New(table.Data.DType(), append(append([]int(nil), idsShape...), width)...)
	if out.DType() == tensor.Float64 {
		takeRows(out.Float64s(), table.Data.Float64s(), ids, width)
	} else {
		takeRows(out.Float32s(), table.Data.Float32s(), ids, width)
	}
	return record("take", out, func(g *tensor.Tensor) {
		d := tensor.ZerosLike(table.Data)
		if d.DType() == tensor.Float64 {
			scatterAddRows(d.Float64s(), g.Float64s(), ids, width)
		} else {
			scatterAddRows(d.Float32s(), g.Float32s(), ids, width)
		}
		table.accumulate(d)
	}, table)
}

// takeRows copies row ids[i] of table into row i of dst.
func takeRows[T float32 | float64](dst, table []T, ids []int, width int) {
	for i, id := range ids {
		copy(dst[i*width:(i+1)*width], table[id*width:(id+1)*width])
	}
}

// scatterAddRows adds row i of src into row ids[i] of dst: the gradient of
// takeRows.
func scatterAddRows[T float32 | float64](dst, src []T, ids []int, width int) {
	for i, id := range ids {
		d, s := dst[id*width:(id+1)*width], src[i*width:(i+1)*width]
		for j, v := range s {
			d[j] += v
		}
	}
}

// Flip reverses x along axis, as keras.ops.flip and torch.flip: a gather of
// the indices n−1, …, 0. A Bidirectional layer uses it to put the backward
// layer's outputs back in input order. The gradient is g flipped back.
func Flip(x *Value, axis int) *Value {
	shape := x.Shape()
	axis = normAxis("Flip", shape, axis)
	outer, n, inner := split3(shape, axis)
	y := tensor.ZerosLike(x.Data)
	flipBlocks(y, x.Data, outer, n, inner)
	return record("flip", y, func(g *tensor.Tensor) {
		dx := tensor.ZerosLike(x.Data)
		flipBlocks(dx, g, outer, n, inner)
		x.accumulate(dx)
	}, x)
}

// flipBlocks writes src, viewed as (outer, n, inner), into dst with the
// middle axis reversed.
func flipBlocks(dst, src *tensor.Tensor, outer, n, inner int) {
	if dst.DType() == tensor.Float64 {
		flipRows(dst.Float64s(), src.Float64s(), outer, n, inner)
	} else {
		flipRows(dst.Float32s(), src.Float32s(), outer, n, inner)
	}
}

func flipRows[T float32 | float64](dst, src []T, outer, n, inner int) {
	for o := 0; o < outer; o++ {
		base := o * n * inner
		for k := 0; k < n; k++ {
			s, d := base+k*inner, base+(n-1-k)*inner
			copy(dst[d:d+inner], src[s:s+inner])
		}
	}
}
