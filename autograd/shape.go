package autograd

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Pad returns x with pads[i][0] zeros before and pads[i][1] zeros after it
// along each axis i, as keras.ops.pad and numpy.pad with a constant 0. The
// gradient is the gradient's block where x sits.
func Pad(x *Value, pads [][2]int) *Value {
	shape := x.Shape()
	if len(pads) != len(shape) {
		panic(&tensor.ShapeError{Op: "Pad", Shapes: [][]int{shape}, Msg: fmt.Sprintf("%d pads for %d axes", len(pads), len(shape))})
	}
	before, after := make([]int, len(pads)), make([]int, len(pads))
	out := make([]int, len(pads))
	for i, p := range pads {
		if p[0] < 0 || p[1] < 0 {
			panic(&tensor.ShapeError{Op: "Pad", Shapes: [][]int{shape}, Msg: fmt.Sprintf("negative padding %v", pads)})
		}
		before[i], after[i], out[i] = p[0], p[1], shape[i]+p[0]+p[1]
	}
	y := tensor.New(x.Data.DType(), out...)
	if y.DType() == tensor.Float64 {
		kernels.PadCopy(y.Float64s(), x.Data.Float64s(), shape, before, after)
	} else {
		kernels.PadCopy(y.Float32s(), x.Data.Float32s(), shape, before, after)
	}
	return record("pad", y, func(g *tensor.Tensor) {
		dx := tensor.ZerosLike(x.Data)
		if dx.DType() == tensor.Float64 {
			kernels.CropCopy(dx.Float64s(), g.Float64s(), shape, before, after)
		} else {
			kernels.CropCopy(dx.Float32s(), g.Float32s(), shape, before, after)
		}
		x.accumulate(dx)
	}, x)
}
