package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/activations"
	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/initializers"
	"github.com/deepgo-dev/deepgo/spec"
)

// Dense is the fully connected layer: output = activation(x·kernel + bias),
// with kernel of shape (inputs, units) as in Keras. An input of rank > 1 per
// sample is multiplied along its last axis.
type Dense struct {
	base
	Units             int
	Activation        string
	UseBias           bool
	KernelInitializer string
	BiasInitializer   string

	act          activations.Func
	kernel, bias *Weight
	fast         denseState
}

// DenseOption sets an optional Dense argument.
type DenseOption func(*Dense)

// WithActivation sets the activation applied after the affine map
// ("relu", "softmax", …; default linear).
func WithActivation(name string) DenseOption { return func(d *Dense) { d.Activation = name } }

// WithoutBias drops the bias (Keras use_bias=False).
func WithoutBias() DenseOption { return func(d *Dense) { d.UseBias = false } }

// WithKernelInitializer sets the kernel initializer (default glorot_uniform).
func WithKernelInitializer(name string) DenseOption {
	return func(d *Dense) { d.KernelInitializer = name }
}

// WithBiasInitializer sets the bias initializer (default zeros).
func WithBiasInitializer(name string) DenseOption {
	return func(d *Dense) { d.BiasInitializer = name }
}

// NewDense returns a Dense layer with Keras's defaults: linear activation,
// a bias, glorot_uniform kernel and zero bias.
func NewDense(units int, opts ...DenseOption) *Dense {
	d := &Dense{Units: units, UseBias: true, KernelInitializer: "glorot_uniform", BiasInitializer: "zeros"}
	for _, o := range opts {
		o(d)
	}
	if units <= 0 {
		d.fail("units must be a positive integer, got %d", units)
	}
	act, err := activations.Get(d.Activation)
	if err != nil {
		d.fail("%v", err)
	}
	d.act = act
	return d
}

func (*Dense) ClassName() string { return "Dense" }

// SupportsMasking is true: Dense maps each timestep on its own, so a
// timestep mask passes through (Keras supports_masking).
func (*Dense) SupportsMasking() bool { return true }

func (d *Dense) Config() spec.Args {
	act := d.Activation
	if act == "" {
		act = "linear"
	}
	return spec.Args{
		{Name: "units", Value: d.Units},
		{Name: "activation", Value: act},
		{Name: "use_bias", Value: d.UseBias},
		{Name: "kernel_initializer", Value: d.KernelInitializer},
		{Name: "bias_initializer", Value: d.BiasInitializer},
	}
}

func (d *Dense) Build(in []int, rng *rand.Rand) error {
	if err := d.configErr(); err != nil {
		return shapeErr(d, "%v", err)
	}
	if len(in) == 0 {
		return shapeErr(d, "needs inputs with at least one axis, got a scalar per sample")
	}
	kinit, err := initializers.Get(d.KernelInitializer)
	if err != nil {
		return shapeErr(d, "kernel_initializer: %v", err)
	}
	binit, err := initializers.Get(d.BiasInitializer)
	if err != nil {
		return shapeErr(d, "bias_initializer: %v", err)
	}
	fanIn := in[len(in)-1]
	d.kernel = newWeight(d.name, "kernel", kinit.Init([]int{fanIn, d.Units}, rng), true)
	if d.UseBias {
		d.bias = newWeight(d.name, "bias", binit.Init([]int{d.Units}, rng), true)
	}
	d.outShape = append(append([]int(nil), in[:len(in)-1]...), d.Units)
	return nil
}

func (d *Dense) Weights() []*Weight { return present(d.kernel, d.bias) }

func (d *Dense) Call(_ *Context, x *autograd.Value) *autograd.Value {
	b := d.bias.value()
	shape := x.Shape()
	flat := x
	if len(shape) != 2 {
		flat = autograd.Reshape(x, -1, shape[len(shape)-1])
	}
	y := autograd.Linear(flat, d.kernel.Value, b)
	if len(shape) != 2 {
		out := append(append([]int(nil), shape[:len(shape)-1]...), d.Units)
		y = autograd.Reshape(y, out...)
	}
	return d.act(y)
}
