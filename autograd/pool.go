package autograd

import (
	"fmt"
	"strings"

	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Pooling ops work on channels-last batches, (N, W, C) or (N, H, W, C), with
// one window size and stride per spatial axis and Keras's padding, "valid"
// or "same" (see kernels.PoolOutput for the output size and where "same"
// puts its padding).

// MaxPool returns the maximum of each pooling window of x. The gradient
// goes to the maximum of each window, to the first one in row-major window
// order on ties (as PyTorch's max_pool2d), adding where windows overlap;
// padding never wins a window, as if it were −∞.
func MaxPool(x *Value, pool, strides []int, padding string) *Value {
	g, shape := poolGeometry("MaxPool", x, pool, strides, padding)
	out := tensor.New(x.Data.DType(), shape...)
	arg := make([]int32, out.Len())
	if out.DType() == tensor.Float64 {
		kernels.MaxPool2D(g, out.Float64s(), arg, x.Data.Float64s())
	} else {
		kernels.MaxPool2D(g, out.Float32s(), arg, x.Data.Float32s())
	}
	return record("max_pool", out, func(gr *tensor.Tensor) {
		dx := tensor.ZerosLike(x.Data)
		if dx.DType() == tensor.Float64 {
			kernels.MaxPool2DBackward(g, dx.Float64s(), arg, gr.Float64s())
		} else {
			kernels.MaxPool2DBackward(g, dx.Float32s(), arg, gr.Float32s())
		}
		x.accumulate(dx)
	}, x)
}

// AvgPool returns the mean of each pooling window of x over the cells inside
// x: "same" padding is left out of the divisor, as in Keras (TensorFlow's
// avg_pool; PyTorch's count_include_pad=False). The gradient shares each
// output's gradient equally among its window's cells.
func AvgPool(x *Value, pool, strides []int, padding string) *Value {
	g, shape := poolGeometry("AvgPool", x, pool, strides, padding)
	out := tensor.New(x.Data.DType(), shape...)
	if out.DType() == tensor.Float64 {
		kernels.AvgPool2D(g, out.Float64s(), x.Data.Float64s())
	} else {
		kernels.AvgPool2D(g, out.Float32s(), x.Data.Float32s())
	}
	return record("avg_pool", out, func(gr *tensor.Tensor) {
		dx := tensor.ZerosLike(x.Data)
		if dx.DType() == tensor.Float64 {
			kernels.AvgPool2DBackward(g, dx.Float64s(), gr.Float64s())
		} else {
			kernels.AvgPool2DBackward(g, dx.Float32s(), gr.Float32s())
		}
		x.accumulate(dx)
	}, x)
}

// poolGeometry checks a pooling op's arguments and returns its geometry and
// output shape; misuse panics with a tensor.ShapeError naming the op.
func poolGeometry(op string, x *Value, pool, strides []int, padding string) (kernels.Pool2D, []int) {
	shape := x.Shape()
	fail := func(msg string, a ...any) {
		panic(&tensor.ShapeError{Op: op, Shapes: [][]int{shape}, Msg: fmt.Sprintf(msg, a...)})
	}
	spatial := len(shape) - 2
	if spatial < 1 || spatial > 2 {
		fail("want (batch, steps, channels) or (batch, height, width, channels)")
	}
	if len(pool) != spatial || len(strides) != spatial {
		fail("pool %v and strides %v need %d entries", pool, strides, spatial)
	}
	for i := range pool {
		if pool[i] <= 0 || strides[i] <= 0 {
			fail("pool %v and strides %v must be positive", pool, strides)
		}
	}
	padding = strings.ToLower(padding)
	if padding != "valid" && padding != "same" {
		fail("padding must be \"valid\" or \"same\", got %q", padding)
	}
	g := kernels.NewPool2D(shape[0], shape[1:1+spatial], shape[len(shape)-1], pool, strides, padding == "same")
	if g.OH <= 0 || g.OW <= 0 {
		fail("pool %v larger than the input with \"valid\" padding", pool)
	}
	out := []int{shape[0], g.OW, g.C}
	if spatial == 2 {
		out = []int{shape[0], g.OH, g.OW, g.C}
	}
	return g, out
}
