package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
)

// GlobalPooling is Keras's GlobalMaxPooling1D/2D and
// GlobalAveragePooling1D/2D: the maximum or the mean of each channel over
// all steps or all pixels, giving (channels), or (1, channels) and (1, 1,
// channels) with KeepDims. It is a pooling whose window is the whole input,
// so on equal maxima the gradient goes to the first one (PyTorch's
// max_pool2d and adaptive_max_pool2d; Keras's ops.max would share it
// among them).
type GlobalPooling struct {
	base
	// Mode is "max" or "average".
	Mode string
	// Rank is the number of spatial axes, 1 or 2.
	Rank     int
	KeepDims bool

	fast poolState
}

// GlobalPoolOption sets an optional argument of a global pooling layer.
type GlobalPoolOption func(*GlobalPooling)

// KeepDims keeps the spatial axes as 1s (Keras keepdims=True).
func KeepDims() GlobalPoolOption { return func(l *GlobalPooling) { l.KeepDims = true } }

// NewGlobalMaxPooling1D returns a GlobalMaxPooling1D layer.
func NewGlobalMaxPooling1D(opts ...GlobalPoolOption) *GlobalPooling {
	return newGlobalPooling("max", 1, opts)
}

// NewGlobalMaxPooling2D returns a GlobalMaxPooling2D layer.
func NewGlobalMaxPooling2D(opts ...GlobalPoolOption) *GlobalPooling {
	return newGlobalPooling("max", 2, opts)
}

// NewGlobalAveragePooling1D returns a GlobalAveragePooling1D layer.
func NewGlobalAveragePooling1D(opts ...GlobalPoolOption) *GlobalPooling {
	return newGlobalPooling("average", 1, opts)
}

// NewGlobalAveragePooling2D returns a GlobalAveragePooling2D layer.
func NewGlobalAveragePooling2D(opts ...GlobalPoolOption) *GlobalPooling {
	return newGlobalPooling("average", 2, opts)
}

func newGlobalPooling(mode string, rank int, opts []GlobalPoolOption) *GlobalPooling {
	l := &GlobalPooling{Mode: mode, Rank: rank}
	for _, o := range opts {
		o(l)
	}
	return l
}

func (l *GlobalPooling) ClassName() string {
	switch {
	case l.Mode == "max" && l.Rank == 1:
		return "GlobalMaxPooling1D"
	case l.Mode == "max":
		return "GlobalMaxPooling2D"
	case l.Rank == 1:
		return "GlobalAveragePooling1D"
	}
	return "GlobalAveragePooling2D"
}

func (l *GlobalPooling) Config() spec.Args {
	return spec.Args{{Name: "data_format", Value: "channels_last"}, {Name: "keepdims", Value: l.KeepDims}}
}

func (l *GlobalPooling) Build(in []int, _ *rand.Rand) error {
	if err := checkSpatialRank(l, in, l.Rank); err != nil {
		return err
	}
	window := in[:l.Rank]
	l.fast.setup(l.Mode == "max", in, window, window, false)
	c := in[l.Rank]
	l.outShape = []int{c}
	if l.KeepDims {
		l.outShape = append(make([]int, l.Rank), c)
		for i := range l.Rank {
			l.outShape[i] = 1
		}
	}
	l.fast.out = l.outShape
	return nil
}

func (l *GlobalPooling) Call(_ *Context, x *autograd.Value) *autograd.Value {
	window := x.Shape()[1 : 1+l.Rank]
	var y *autograd.Value
	if l.Mode == "max" {
		y = autograd.MaxPool(x, window, window, "valid")
	} else {
		y = autograd.AvgPool(x, window, window, "valid")
	}
	return autograd.Reshape(y, append([]int{x.Shape()[0]}, l.outShape...)...)
}

func globalPoolFromSpec(r *spec.Reader, mode string, rank int) Layer {
	l := newGlobalPooling(mode, rank, nil)
	l.KeepDims = r.Bool("keepdims", false)
	readChannelsLast(r, &l.base)
	return l
}

// The global pooling layers register under their Keras names and Keras's
// aliases (GlobalMaxPool2D, GlobalAvgPool2D, …), through spec.SnakeCase.
func init() {
	type kind struct {
		class, alias string
		mode         string
		rank         int
	}
	globalArgs := []string{"data_format", "keepdims"}
	for _, k := range []kind{
		{"GlobalMaxPooling1D", "GlobalMaxPool1D", "max", 1}, {"GlobalMaxPooling2D", "GlobalMaxPool2D", "max", 2},
		{"GlobalAveragePooling1D", "GlobalAvgPool1D", "average", 1}, {"GlobalAveragePooling2D", "GlobalAvgPool2D", "average", 2},
	} {
		build := func(r *spec.Reader) Layer { return globalPoolFromSpec(r, k.mode, k.rank) }
		register(entry{spec.SnakeCase(k.class), globalArgs, build}, entry{spec.SnakeCase(k.alias), globalArgs, build})
	}
}
