package layers

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/deepgo-dev/deepgo/activations"
	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/initializers"
	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Conv2D is the 2-D convolution layer over channels-last images (height,
// width, channels): output = activation(conv(x, kernel) + bias), with a
// kernel of shape (kh, kw, channels, filters) as in Keras. Its arguments
// are the fields of ConvArgs.
type Conv2D struct{ conv }

// Conv1D is the 1-D (temporal) convolution layer over channels-last
// sequences (steps, channels), with a kernel of shape (k, channels,
// filters). It runs as a 2-D convolution over images of height 1. Its
// arguments are the fields of ConvArgs.
type Conv1D struct{ conv }

// ConvArgs are the Keras arguments of Conv1D and Conv2D, with every
// int-or-tuple argument expanded to one value per spatial axis.
type ConvArgs struct {
	Filters           int    // output channels
	KernelSize        []int  // the window
	Strides           []int  // default 1
	Padding           string // "valid" (default) or "same"; "causal" too for Conv1D
	DilationRate      []int  // spacing of the window's taps, default 1
	Activation        string // default linear
	UseBias           bool   // default true
	KernelInitializer string // default glorot_uniform
	BiasInitializer   string // default zeros
}

// conv is what Conv1D and Conv2D share (Keras's BaseConv): the arguments,
// their checks, the weights and the math, for a rank of 1 or 2.
type conv struct {
	base
	ConvArgs
	class string
	rank  int

	act          activations.Func
	kernel, bias *Weight
	geom         kernels.ConvGeom // one sample, as 2-D; set by Build
	cfg          autograd.ConvConfig
	fast         convState
}

// ConvOption sets an optional argument of Conv1D or Conv2D.
type ConvOption func(*conv)

// ConvStrides sets the strides: one for every axis or one per axis
// (default 1). Strides above 1 exclude dilation rates above 1.
func ConvStrides(s ...int) ConvOption { return func(c *conv) { c.Strides = s } }

// ConvPadding sets the padding, "valid" (none, the default) or "same"
// (as many zeros as keep ⌈in/stride⌉ outputs, the odd one at the end),
// case-insensitive; Conv1D also takes "causal" (all zeros at the start).
func ConvPadding(p string) ConvOption { return func(c *conv) { c.Padding = p } }

// ConvDilationRate sets the spacing of the window's taps: one for every
// axis or one per axis (default 1).
func ConvDilationRate(d ...int) ConvOption { return func(c *conv) { c.DilationRate = d } }

// ConvActivation sets the activation applied to the output (default linear).
func ConvActivation(name string) ConvOption { return func(c *conv) { c.Activation = name } }

// ConvWithoutBias drops the bias (Keras use_bias=False).
func ConvWithoutBias() ConvOption { return func(c *conv) { c.UseBias = false } }

// ConvKernelInitializer sets the kernel initializer (default
// glorot_uniform, whose fans include the window size).
func ConvKernelInitializer(name string) ConvOption {
	return func(c *conv) { c.KernelInitializer = name }
}

// ConvBiasInitializer sets the bias initializer (default zeros).
func ConvBiasInitializer(name string) ConvOption { return func(c *conv) { c.BiasInitializer = name } }

// NewConv2D returns a Conv2D layer with filters output channels and a
// window of kernelSize (one size for both axes, or height and width),
// with Keras's defaults: strides 1, "valid" padding, dilation 1, linear
// activation, a bias, glorot_uniform kernel and zero bias.
func NewConv2D(filters int, kernelSize []int, opts ...ConvOption) *Conv2D {
	return &Conv2D{newConv("Conv2D", 2, filters, kernelSize, opts)}
}

// NewConv1D returns a Conv1D layer with filters output channels and a
// window of kernelSize steps, with the defaults of NewConv2D.
func NewConv1D(filters, kernelSize int, opts ...ConvOption) *Conv1D {
	return &Conv1D{newConv("Conv1D", 1, filters, []int{kernelSize}, opts)}
}

func newConv(class string, rank, filters int, kernelSize []int, opts []ConvOption) conv {
	c := conv{class: class, rank: rank, ConvArgs: ConvArgs{Filters: filters, KernelSize: kernelSize, Padding: "valid",
		UseBias: true, KernelInitializer: "glorot_uniform", BiasInitializer: "zeros"}}
	for _, o := range opts {
		o(&c)
	}
	if filters <= 0 {
		c.fail("filters must be a positive integer, got %d", filters)
	}
	c.KernelSize = c.tuple("kernel_size", c.KernelSize, nil)
	c.Strides = c.tuple("strides", c.Strides, []int{1})
	c.DilationRate = c.tuple("dilation_rate", c.DilationRate, []int{1})
	c.Padding = strings.ToLower(c.Padding)
	if c.Padding != "valid" && c.Padding != "same" && (c.Padding != "causal" || rank != 1) {
		want := `"valid" or "same"`
		if rank == 1 {
			want = `"valid", "same" or "causal"`
		}
		c.fail("padding must be %s, got %q", want, c.Padding)
	}
	if slices.Max(c.Strides) > 1 && slices.Max(c.DilationRate) > 1 {
		c.fail("strides > 1 not supported in conjunction with dilation_rate > 1, got strides=%s and dilation_rate=%s",
			tensor.ShapeString(c.Strides), tensor.ShapeString(c.DilationRate))
	}
	act, err := activations.Get(c.Activation)
	if err != nil {
		c.fail("%v", err)
	}
	c.act = act
	return c
}

// tuple expands an int-or-tuple argument to one value per spatial axis
// (def when v is empty), recording an error for a wrong length or a value
// below 1. It always returns rank values, so later code can index them.
func (c *conv) tuple(name string, v, def []int) []int {
	if len(v) == 0 {
		v = def
	}
	out := make([]int, c.rank)
	switch {
	case len(v) == 0:
		c.fail("%s is required", name)
		return []int{1, 1}[:c.rank]
	case len(v) == 1:
		for i := range out {
			out[i] = v[0]
		}
	case len(v) == c.rank:
		copy(out, v)
	default:
		c.fail("%s must be an integer or a tuple of %d, got %s", name, c.rank, tensor.ShapeString(v))
		return []int{1, 1}[:c.rank]
	}
	if slices.Min(out) < 1 {
		c.fail("%s must be positive, got %s", name, tensor.ShapeString(out))
	}
	return out
}

func (c *conv) ClassName() string { return c.class }

func (c *conv) Config() spec.Args {
	act := c.Activation
	if act == "" {
		act = "linear"
	}
	return spec.Args{
		{Name: "filters", Value: c.Filters},
		{Name: "kernel_size", Value: anyInts(c.KernelSize)},
		{Name: "strides", Value: anyInts(c.Strides)},
		{Name: "padding", Value: c.Padding},
		{Name: "data_format", Value: "channels_last"},
		{Name: "dilation_rate", Value: anyInts(c.DilationRate)},
		{Name: "groups", Value: 1},
		{Name: "activation", Value: act},
		{Name: "use_bias", Value: c.UseBias},
		{Name: "kernel_initializer", Value: c.KernelInitializer},
		{Name: "bias_initializer", Value: c.BiasInitializer},
	}
}

// anyInts is a tuple as a spec list, as Keras's get_config writes it.
func anyInts(v []int) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// Build checks a sample of shape (spatial..., channels) and creates the
// kernel (KernelSize..., channels, filters) and the bias (filters). A layer
// that already has a kernel keeps it, as a Keras layer is built once, and
// only checks that the input's channels match it.
func (c *conv) Build(in []int, rng *rand.Rand) error {
	if err := c.configErr(); err != nil {
		return shapeErr(c, "%v", err)
	}
	axes := "(steps, channels)"
	if c.rank == 2 {
		axes = "(height, width, channels)"
	}
	if len(in) != c.rank+1 {
		return shapeErr(c, "needs samples of shape %s, got %s", axes, tensor.ShapeString(in))
	}
	channels := in[c.rank]
	if c.kernel != nil {
		if ks := c.kernel.Value.Shape(); ks[c.rank] != channels {
			return shapeErr(c, "input %s has %d channels, but the kernel %s expects %d",
				tensor.ShapeString(in), channels, tensor.ShapeString(ks), ks[c.rank])
		}
	}
	// 2-D geometry: a 1-D sample (steps, channels) is an image (1, steps, channels).
	spatial, k, s, d := in[:c.rank], c.KernelSize, c.Strides, c.DilationRate
	if c.rank == 1 {
		spatial, k, s, d = []int{1, in[0]}, []int{1, k[0]}, []int{1, s[0]}, []int{1, d[0]}
	}
	var pads [4]int
	for i := range 2 {
		pads[2*i], pads[2*i+1] = c.pad(spatial[i], k[i], s[i], d[i])
	}
	g := kernels.ConvGeom{H: spatial[0], W: spatial[1], C: channels, KH: k[0], KW: k[1], SH: s[0], SW: s[1],
		DH: d[0], DW: d[1], PadT: pads[0], PadL: pads[2]}
	g.OH = kernels.ConvOutSize(g.H, g.KH, g.SH, g.DH, pads[0], pads[1])
	g.OW = kernels.ConvOutSize(g.W, g.KW, g.SW, g.DW, pads[2], pads[3])
	out := []int{g.OW, c.Filters}
	if c.rank == 2 {
		out = []int{g.OH, g.OW, c.Filters}
	}
	if g.OH <= 0 || g.OW <= 0 {
		return shapeErr(c, "kernel_size %s with dilation_rate %s does not fit the input %s with padding %q",
			tensor.ShapeString(c.KernelSize), tensor.ShapeString(c.DilationRate), tensor.ShapeString(in), c.Padding)
	}
	c.geom, c.outShape = g, out
	c.cfg = autograd.ConvConfig{Strides: [2]int{g.SH, g.SW}, Dilation: [2]int{g.DH, g.DW}, Padding: pads}
	if c.kernel != nil {
		return nil
	}
	kinit, err := initializers.Get(c.KernelInitializer)
	if err != nil {
		return shapeErr(c, "kernel_initializer: %v", err)
	}
	binit, err := initializers.Get(c.BiasInitializer)
	if err != nil {
		return shapeErr(c, "bias_initializer: %v", err)
	}
	kshape := append(append([]int(nil), c.KernelSize...), channels, c.Filters)
	c.kernel = newWeight(c.name, "kernel", kinit.Init(kshape, rng), true)
	if c.UseBias {
		c.bias = newWeight(c.name, "bias", binit.Init([]int{c.Filters}, rng), true)
	}
	return nil
}

// pad returns the zeros added before and after one axis of length in.
// "same" pads (⌈in/s⌉ − 1)·s + (k−1)·d + 1 − in in all, the odd one after
// (TensorFlow's rule, which Keras follows); "causal" pads (k−1)·d before.
func (c *conv) pad(in, k, s, d int) (before, after int) {
	switch c.Padding {
	case "same":
		total := max(((in+s-1)/s-1)*s+(k-1)*d+1-in, 0)
		return total / 2, total - total/2
	case "causal":
		return (k - 1) * d, 0
	}
	return 0, 0
}

func (c *conv) Weights() []*Weight { return present(c.kernel, c.bias) }

func (c *conv) Call(_ *Context, x *autograd.Value) *autograd.Value {
	b := c.bias.value()
	if c.rank == 2 {
		return c.act(autograd.Conv2D(x, c.kernel.Value, b, c.cfg))
	}
	g := &c.geom
	x4 := autograd.Reshape(x, -1, 1, g.W, g.C)
	w4 := autograd.Reshape(c.kernel.Value, 1, g.KW, g.C, c.Filters)
	y := autograd.Conv2D(x4, w4, b, c.cfg)
	return c.act(autograd.Reshape(y, -1, g.OW, c.Filters))
}

func init() {
	args := []string{"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups",
		"activation", "use_bias", "kernel_initializer", "bias_initializer"}
	register(
		entry{"conv1d", args, func(r *spec.Reader) Layer {
			return &Conv1D{convFromSpec(r, "Conv1D", 1)}
		}},
		entry{"conv2d", args, func(r *spec.Reader) Layer {
			return &Conv2D{convFromSpec(r, "Conv2D", 2)}
		}},
	)
}

// convFromSpec reads Keras's BaseConv arguments.
func convFromSpec(r *spec.Reader, class string, rank int) conv {
	opts := []ConvOption{
		ConvStrides(r.PositiveIntList("strides", rank, []int{1})...),
		ConvPadding(r.String("padding", "valid")),
		ConvDilationRate(r.PositiveIntList("dilation_rate", rank, []int{1})...),
		ConvActivation(r.String("activation", "")),
		ConvKernelInitializer(r.String("kernel_initializer", "glorot_uniform")),
		ConvBiasInitializer(r.String("bias_initializer", "zeros")),
	}
	if !r.Bool("use_bias", true) {
		opts = append(opts, ConvWithoutBias())
	}
	format, groups := r.String("data_format", "channels_last"), r.Int("groups", 1)
	c := newConv(class, rank, r.PositiveInt("filters", 0), r.PositiveIntList("kernel_size", rank, nil), opts)
	if format = strings.ToLower(format); format != "channels_last" {
		c.fail("data_format: only \"channels_last\" is supported, got %q", format)
	}
	if groups != 1 {
		c.fail("groups: only 1 is supported, got %d", groups)
	}
	return c
}
