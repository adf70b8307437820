package kernels

// Pooling over channels-last images (NHWC). A 1-D signal (N, W, C) is the
// image (N, 1, W, C) with a window of height 1, so one set of loops serves
// both. Windows are cut to the image: cells of the padding are never read,
// which is how "same" max pooling ignores them (as if padded with −∞) and
// how "same" average pooling leaves them out of the divisor (as TensorFlow's
// avg_pool and PyTorch's count_include_pad=False).

// Pool2D is the geometry of a pooling over an (N, H, W, C) batch: window
// KH×KW moved by SH×SW, PadTop rows and PadLeft columns of padding before
// the image, giving an (N, OH, OW, C) output. PoolOutput computes the
// output size and padding of one axis.
type Pool2D struct {
	N, H, W, C     int
	KH, KW, SH, SW int
	PadTop         int
	PadLeft        int
	OH, OW         int
}

// PoolOutput returns the output length of a pooling window k moved by
// stride s along an axis of length n, and the padding before the axis, as
// Keras computes them (keras.ops.operation_utils.compute_pooling_output_shape
// and TensorFlow's SAME rule):
//
//	valid: out = ⌊(n − k)/s⌋ + 1, no padding (out ≤ 0 when k > n)
//	same:  out = ⌈n/s⌉, total padding max((out−1)·s + k − n, 0), the
//	       smaller half before and the odd cell after.
func PoolOutput(n, k, s int, same bool) (out, padBefore int) {
	if !same {
		if k > n {
			return 0, 0
		}
		return (n-k)/s + 1, 0
	}
	out = (n + s - 1) / s
	total := max((out-1)*s+k-n, 0)
	return out, total / 2
}

// NewPool2D returns the geometry of pooling n samples of spatial shape (W)
// or (H, W) with c channels, with windows pool and strides of the same
// length; same selects "same" padding, otherwise "valid". A 1-D signal
// becomes an image of height 1. An output length is 0 where a "valid"
// window is larger than its axis; callers check.
func NewPool2D(n int, spatial []int, c int, pool, strides []int, same bool) Pool2D {
	if len(spatial) < 1 || len(spatial) > 2 || len(pool) != len(spatial) || len(strides) != len(spatial) {
		panic("kernels.NewPool2D: want 1 or 2 spatial axes, with a window and a stride for each")
	}
	g := Pool2D{N: n, H: 1, C: c, KH: 1, SH: 1, OH: 1}
	if len(spatial) == 2 {
		g.H, g.KH, g.SH = spatial[0], pool[0], strides[0]
		g.OH, g.PadTop = PoolOutput(g.H, g.KH, g.SH, same)
	}
	last := len(spatial) - 1
	g.W, g.KW, g.SW = spatial[last], pool[last], strides[last]
	g.OW, g.PadLeft = PoolOutput(g.W, g.KW, g.SW, same)
	return g
}

// InLen is the number of values in one input sample (H·W·C).
func (g *Pool2D) InLen() int { return g.H * g.W * g.C }

// OutLen is the number of values in one output sample (OH·OW·C).
func (g *Pool2D) OutLen() int { return g.OH * g.OW * g.C }

// window returns the rows [h0, h1) and columns [w0, w1) of the image that
// the window of output cell (oh, ow) covers.
func (g *Pool2D) window(oh, ow int) (h0, h1, w0, w1 int) {
	h0 = oh*g.SH - g.PadTop
	w0 = ow*g.SW - g.PadLeft
	return max(h0, 0), min(h0+g.KH, g.H), max(w0, 0), min(w0+g.KW, g.W)
}

func (g *Pool2D) check(op string, x, y int, arg []int32) {
	if x < g.N*g.InLen() || y < g.N*g.OutLen() || arg != nil && len(arg) < g.N*g.OutLen() {
		panic("kernels." + op + ": slices shorter than the pooling geometry")
	}
}

// MaxPool2D writes into y the maximum of each window of x and, when arg is
// not nil, into arg the position of that maximum within its sample,
// (h·W + w)·C + c. On ties the first maximum in row-major window order
// wins, as in PyTorch's max_pool2d. A window holding a NaN gives NaN; which
// of its cells arg then names is unspecified.
//
// The loops are ordered for channels-last data: each window cell is a
// contiguous run of C values, compared with the running maxima of the C
// outputs. The comparisons are written so that the compiler selects with
// conditional moves (builtin max, and an integer select for arg): on
// post-ReLU activations, full of equal zeros, a branch per value
// mispredicts so often that it doubled the time in measurements.
//
// float32 data goes to the AVX-512 or AVX2 kernels where the CPU has them
// (pool_amd64.go), which give the same bits as the Go loops.
func MaxPool2D[T Float](g Pool2D, y []T, arg []int32, x []T) {
	g.check("MaxPool2D", len(x), len(y), arg)
	if y32, ok := any(y).([]float32); ok && poolF32 != nil {
		maxPool2DRuns(g, y32, arg, any(x).([]float32), poolF32.maxRun)
		return
	}
	maxPool2DGo(g, y, arg, x)
}

// MaxPool2DBackward writes into dx the gradient of MaxPool2D: each dy goes
// to the input cell arg names, adding where windows overlap. arg is what
// MaxPool2D wrote for the same geometry. float32 data goes to the assembly
// kernels where the CPU has them, which give the same bits as the Go loop.
func MaxPool2DBackward[T Float](g Pool2D, dx []T, arg []int32, dy []T) {
	g.check("MaxPool2DBackward", len(dx), len(dy), arg)
	if dx32, ok := any(dx).([]float32); ok && poolF32 != nil {
		maxPool2DBackwardRuns(g, dx32, arg, any(dy).([]float32), poolF32.maxBackRun)
		return
	}
	maxPool2DBackwardGo(g, dx, arg, dy)
}

// maxPool2DGo is the pure-Go twin of MaxPool2D. It writes into y the
// maximum of each window of x and, when arg is not nil, into arg the
// position of that maximum within its sample, (h·W + w)·C + c. On ties the first maximum in row-major window order
// wins, as in PyTorch's max_pool2d. A window holding a NaN gives NaN; which
// of its cells arg then names is unspecified.
//
// The loops are ordered for channels-last data: each window cell is a
// contiguous run of C values, compared with the running maxima of the C
// outputs. The comparisons are written so that the compiler selects with
// conditional moves (builtin max, and an integer select for arg): on
// post-ReLU activations, full of equal zeros, a branch per value
// mispredicts so often that it doubled the time in measurements.
func maxPool2DGo[T Float](g Pool2D, y []T, arg []int32, x []T) {
	in, out, c := g.InLen(), g.OutLen(), g.C
	for n := range g.N {
		xs, ys := x[n*in:(n+1)*in], y[n*out:(n+1)*out]
		var as []int32
		if arg != nil {
			as = arg[n*out : (n+1)*out]
		}
		for oh := range g.OH {
			for ow := range g.OW {
				h0, h1, w0, w1 := g.window(oh, ow)
				o := (oh*g.OW + ow) * c
				yo := ys[o : o+c]
				first := (h0*g.W + w0) * c
				copy(yo, xs[first:first+c])
				if as == nil {
					for h := h0; h < h1; h++ {
						for w := w0; w < w1; w++ {
							off := (h*g.W + w) * c
							xr := xs[off : off+c]
							yr := yo[:len(xr)]
							for j, v := range xr {
								yr[j] = max(yr[j], v)
							}
						}
					}
					continue
				}
				ao := as[o : o+c]
				for j := range ao {
					ao[j] = int32(first + j)
				}
				for h := h0; h < h1; h++ {
					for w := w0; w < w1; w++ {
						off := (h*g.W + w) * c
						if off == first {
							continue
						}
						xr := xs[off : off+c]
						yr, ar := yo[:len(xr)], ao[:len(xr)]
						for j, v := range xr {
							b, a := yr[j], ar[j]
							if !(v <= b) { // v > b, or a NaN
								a = int32(off + j)
							}
							yr[j], ar[j] = max(b, v), a
						}
					}
				}
			}
		}
	}
}

// maxPool2DBackwardGo is the pure-Go twin of MaxPool2DBackward. It writes
// into dx the gradient of MaxPool2D: each dy goes to the input cell arg
// names, adding where windows overlap.
func maxPool2DBackwardGo[T Float](g Pool2D, dx []T, arg []int32, dy []T) {
	in, out := g.InLen(), g.OutLen()
	clear(dx[:g.N*in])
	for n := range g.N {
		dxs, dys := dx[n*in:(n+1)*in], dy[n*out:(n+1)*out]
		for i, a := range arg[n*out : (n+1)*out] {
			dxs[a] += dys[i]
		}
	}
}

// AvgPool2D writes into y the mean of each window of x over the cells
// inside the image (padding is not counted).
func AvgPool2D[T Float](g Pool2D, y, x []T) {
	g.check("AvgPool2D", len(x), len(y), nil)
	in, out, c := g.InLen(), g.OutLen(), g.C
	for n := range g.N {
		xs, ys := x[n*in:(n+1)*in], y[n*out:(n+1)*out]
		for oh := range g.OH {
			for ow := range g.OW {
				h0, h1, w0, w1 := g.window(oh, ow)
				o := (oh*g.OW + ow) * c
				yo := ys[o : o+c]
				clear(yo)
				for h := h0; h < h1; h++ {
					for w := w0; w < w1; w++ {
						off := (h*g.W + w) * c
						for j, v := range xs[off : off+c] {
							yo[j] += v
						}
					}
				}
				inv := 1 / T((h1-h0)*(w1-w0))
				for j := range yo {
					yo[j] *= inv
				}
			}
		}
	}
}

// AvgPool2DBackward writes into dx the gradient of AvgPool2D: each dy is
// shared equally by the cells of its window inside the image.
func AvgPool2DBackward[T Float](g Pool2D, dx, dy []T) {
	g.check("AvgPool2DBackward", len(dx), len(dy), nil)
	in, out, c := g.InLen(), g.OutLen(), g.C
	clear(dx[:g.N*in])
	for n := range g.N {
		dxs, dys := dx[n*in:(n+1)*in], dy[n*out:(n+1)*out]
		for oh := range g.OH {
			for ow := range g.OW {
				h0, h1, w0, w1 := g.window(oh, ow)
				o := (oh*g.OW + ow) * c
				inv := 1 / T((h1-h0)*(w1-w0))
				do := dys[o : o+c]
				for h := h0; h < h1; h++ {
					for w := w0; w < w1; w++ {
						off := (h*g.W + w) * c
						dr := dxs[off : off+c]
						for j, v := range do {
							dr[j] += v * inv
						}
					}
				}
			}
		}
	}
}
