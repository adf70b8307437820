package layers

import (
	"math/rand/v2"
	"strings"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Pooling is Keras's MaxPooling1D, MaxPooling2D, AveragePooling1D and
// AveragePooling2D: the maximum or the mean of each PoolSize window, moved
// by Strides, over channels-last inputs (steps, channels) or (height, width,
// channels). Padding "valid" keeps whole windows only; "same" pads so that
// the output has ⌈size/stride⌉ cells, and padded cells neither win a max
// nor count in a mean (kernels.PoolOutput has the sizes). On equal maxima
// the gradient goes to the first one in row-major window order, as in
// PyTorch.
type Pooling struct {
	base
	// Mode is "max" or "average".
	Mode string
	// Rank is the number of spatial axes, 1 or 2.
	Rank     int
	PoolSize []int
	Strides  []int
	Padding  string

	fast poolState
}

// PoolOption sets an optional argument of a pooling layer.
type PoolOption func(*Pooling)

// PoolSize sets the window (Keras pool_size; default 2 along each axis).
// One value stands for every spatial axis.
func PoolSize(size ...int) PoolOption { return func(l *Pooling) { l.PoolSize = size } }

// PoolStrides sets the step between windows (Keras strides; default the
// pool size). One value stands for every spatial axis.
func PoolStrides(s ...int) PoolOption { return func(l *Pooling) { l.Strides = s } }

// PoolPadding sets the padding, "valid" (the default) or "same".
func PoolPadding(p string) PoolOption { return func(l *Pooling) { l.Padding = p } }

// NewMaxPooling1D returns a MaxPooling1D layer (pool_size 2, strides
// pool_size, padding "valid" unless set).
func NewMaxPooling1D(opts ...PoolOption) *Pooling { return newPooling("max", 1, opts) }

// NewMaxPooling2D returns a MaxPooling2D layer (pool_size (2, 2), strides
// pool_size, padding "valid" unless set).
func NewMaxPooling2D(opts ...PoolOption) *Pooling { return newPooling("max", 2, opts) }

// NewAveragePooling1D returns an AveragePooling1D layer.
func NewAveragePooling1D(opts ...PoolOption) *Pooling { return newPooling("average", 1, opts) }

// NewAveragePooling2D returns an AveragePooling2D layer.
func NewAveragePooling2D(opts ...PoolOption) *Pooling { return newPooling("average", 2, opts) }

func newPooling(mode string, rank int, opts []PoolOption) *Pooling {
	l := &Pooling{Mode: mode, Rank: rank, Padding: "valid"}
	for _, o := range opts {
		o(l)
	}
	l.PoolSize = poolTuple(&l.base, "pool_size", l.PoolSize, rank, 2)
	if l.Strides == nil {
		l.Strides = l.PoolSize
	}
	l.Strides = poolTuple(&l.base, "strides", l.Strides, rank, 0)
	l.Padding = strings.ToLower(l.Padding)
	if l.Padding != "valid" && l.Padding != "same" {
		l.fail("padding must be \"valid\" or \"same\", got %q", l.Padding)
	}
	return l
}

// poolTuple expands one value to rank values (def when v is empty) and
// checks that they are positive, recording a config error in b if not.
func poolTuple(b *base, name string, v []int, rank, def int) []int {
	out := make([]int, rank)
	switch len(v) {
	case 0:
		for i := range out {
			out[i] = def
		}
	case 1:
		for i := range out {
			out[i] = v[0]
		}
	case rank:
		copy(out, v)
	default:
		b.fail("%s must be one integer or %d, got %v", name, rank, v)
		return out
	}
	for _, d := range out {
		if d <= 0 {
			b.fail("%s must be positive, got %v", name, v)
		}
	}
	return out
}

func (l *Pooling) ClassName() string {
	switch {
	case l.Mode == "max" && l.Rank == 1:
		return "MaxPooling1D"
	case l.Mode == "max":
		return "MaxPooling2D"
	case l.Rank == 1:
		return "AveragePooling1D"
	}
	return "AveragePooling2D"
}

// Config lists the arguments in the order of Keras's get_config.
func (l *Pooling) Config() spec.Args {
	return spec.Args{
		{Name: "pool_size", Value: shapeArg(l.PoolSize)},
		{Name: "padding", Value: l.Padding},
		{Name: "strides", Value: shapeArg(l.Strides)},
		{Name: "data_format", Value: "channels_last"},
	}
}

func (l *Pooling) Build(in []int, _ *rand.Rand) error {
	if err := l.configErr(); err != nil {
		return shapeErr(l, "%v", err)
	}
	if err := checkSpatialRank(l, in, l.Rank); err != nil {
		return err
	}
	spatial := in[:l.Rank]
	if l.Padding == "valid" {
		for i, k := range l.PoolSize {
			if k > spatial[i] {
				return shapeErr(l, "pool_size %s is larger than the input's spatial shape %s with padding \"valid\" (input shape %s)",
					tensor.ShapeString(l.PoolSize), tensor.ShapeString(spatial), batchShape(in))
			}
		}
	}
	l.fast.setup(l.Mode == "max", in, l.PoolSize, l.Strides, l.Padding == "same")
	g := &l.fast.g
	l.outShape = []int{g.OW, g.C}
	if l.Rank == 2 {
		l.outShape = []int{g.OH, g.OW, g.C}
	}
	l.fast.out = l.outShape
	return nil
}

func (l *Pooling) Call(_ *Context, x *autograd.Value) *autograd.Value {
	if l.Mode == "max" {
		return autograd.MaxPool(x, l.PoolSize, l.Strides, l.Padding)
	}
	return autograd.AvgPool(x, l.PoolSize, l.Strides, l.Padding)
}

// checkSpatialRank checks that a sample is (steps, channels) for rank 1 or
// (height, width, channels) for rank 2.
func checkSpatialRank(l Layer, in []int, rank int) error {
	if len(in) == rank+1 {
		return nil
	}
	layout := "(batch, steps, channels)"
	if rank == 2 {
		layout = "(batch, height, width, channels)"
	}
	return shapeErr(l, "expects inputs of rank %d %s, got input shape %s", rank+2, layout, batchShape(in))
}

// batchShape formats a sample shape with Keras's None for the batch axis.
func batchShape(in []int) string { return tensor.ShapeString(append([]int{-1}, in...)) }

// shapeArg is a tuple as a spec list, as Keras's get_config writes it.
func shapeArg(v []int) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// poolFromSpec reads pool_size, strides, padding and data_format.
func poolFromSpec(r *spec.Reader, mode string, rank int) Layer {
	def := []int{2, 2}[:rank]
	pool := r.PositiveIntList("pool_size", rank, def)
	opts := []PoolOption{PoolSize(pool...), PoolStrides(r.PositiveIntList("strides", rank, pool)...),
		PoolPadding(r.String("padding", "valid"))} // checked, case-insensitively as Keras, by newPooling
	l := newPooling(mode, rank, opts)
	readChannelsLast(r, &l.base)
	return l
}

// readChannelsLast reads data_format, which may only be Keras's default
// "channels_last": deepgo's images are (height, width, channels).
func readChannelsLast(r *spec.Reader, b *base) {
	if f := r.String("data_format", "channels_last"); f != "channels_last" && r.Err() == nil {
		b.fail("data_format: only \"channels_last\" is supported, got %q", f)
	}
}

// The pooling layers register under their Keras names and Keras's aliases
// (MaxPool2D, AvgPool2D, …), all through spec.SnakeCase.
func init() {
	type kind struct {
		class, alias string
		mode         string
		rank         int
	}
	poolArgs := []string{"pool_size", "strides", "padding", "data_format"}
	for _, k := range []kind{
		{"MaxPooling1D", "MaxPool1D", "max", 1}, {"MaxPooling2D", "MaxPool2D", "max", 2},
		{"AveragePooling1D", "AvgPool1D", "average", 1}, {"AveragePooling2D", "AvgPool2D", "average", 2},
	} {
		build := func(r *spec.Reader) Layer { return poolFromSpec(r, k.mode, k.rank) }
		register(entry{spec.SnakeCase(k.class), poolArgs, build}, entry{spec.SnakeCase(k.alias), poolArgs, build})
	}
}
