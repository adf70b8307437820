package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/initializers"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// This file holds what BatchNormalization (norm_batch.go) and
// LayerNormalization (norm_layer.go) share: their options, the axis and
// the scale (gamma) and offset (beta) weights, and their spec entries. The
// math is in autograd/norm.go; the kernels in norm_kernel.go.

// NormOption sets an optional argument of BatchNormalization or
// LayerNormalization.
type NormOption func(*normOptions)

// normOptions collects the options before a constructor checks them.
type normOptions struct {
	norm
	momentum                      float64
	movingMeanInit, movingVarInit string
	batchOnly                     string // the first BatchNormalization-only option given
}

// NormAxis sets the axis normalised along, counted as in Keras with the
// batch axis as 0 (default -1, the channels of channels-last data).
func NormAxis(axis int) NormOption { return func(o *normOptions) { o.Axis = axis } }

// NormEpsilon sets the small float added to the variance (default 1e-3).
func NormEpsilon(eps float64) NormOption { return func(o *normOptions) { o.Epsilon = eps } }

// NormWithoutCenter drops the offset beta (Keras center=False).
func NormWithoutCenter() NormOption { return func(o *normOptions) { o.Center = false } }

// NormWithoutScale drops the scale gamma (Keras scale=False).
func NormWithoutScale() NormOption { return func(o *normOptions) { o.Scale = false } }

// NormGammaInitializer sets gamma's initializer (default ones).
func NormGammaInitializer(name string) NormOption {
	return func(o *normOptions) { o.GammaInitializer = name }
}

// NormBetaInitializer sets beta's initializer (default zeros).
func NormBetaInitializer(name string) NormOption {
	return func(o *normOptions) { o.BetaInitializer = name }
}

// NormMomentum sets BatchNormalization's momentum for the moving
// statistics (default 0.99): moving = moving·momentum + batch·(1 − momentum).
func NormMomentum(m float64) NormOption {
	return func(o *normOptions) { o.momentum = m; o.setBatchOnly("momentum") }
}

// NormMovingMeanInitializer sets BatchNormalization's moving mean
// initializer (default zeros).
func NormMovingMeanInitializer(name string) NormOption {
	return func(o *normOptions) { o.movingMeanInit = name; o.setBatchOnly("moving_mean_initializer") }
}

// NormMovingVarianceInitializer sets BatchNormalization's moving variance
// initializer (default ones).
func NormMovingVarianceInitializer(name string) NormOption {
	return func(o *normOptions) { o.movingVarInit = name; o.setBatchOnly("moving_variance_initializer") }
}

func (o *normOptions) setBatchOnly(name string) {
	if o.batchOnly == "" {
		o.batchOnly = name
	}
}

// newNormOptions applies opts over Keras's defaults, shared by both layers.
func newNormOptions(opts []NormOption) normOptions {
	o := normOptions{
		norm: norm{Axis: -1, Epsilon: 1e-3, Center: true, Scale: true,
			BetaInitializer: "zeros", GammaInitializer: "ones"},
		momentum: 0.99, movingMeanInit: "zeros", movingVarInit: "ones",
	}
	for _, opt := range opts {
		opt(&o)
	}
	if !(o.Epsilon > 0) {
		o.fail("epsilon must be positive, got %v", o.Epsilon)
	}
	return o
}

// norm is the part the two normalisation layers share.
type norm struct {
	base
	Axis             int // Keras's axis: 0 is the batch axis, -1 the last
	Epsilon          float64
	Center, Scale    bool
	BetaInitializer  string
	GammaInitializer string

	gamma, beta *Weight
	axis        int // the normalised axis of one sample, set by Build
}

// buildAffine resolves the axis for samples of shape in (Keras counts the
// batch axis; 0 is refused, as the batch is what the layer normalises
// over or per) and creates gamma and beta, in Keras's order.
func (n *norm) buildAffine(l Layer, in []int, rng *rand.Rand) (channels int, err error) {
	if err := n.configErr(); err != nil {
		return 0, shapeErr(l, "%v", err)
	}
	full := append([]int{-1}, in...)
	a := n.Axis
	if a < 0 {
		a += len(full)
	}
	switch {
	case a == 0:
		return 0, shapeErr(l, "axis %d is the batch axis of input shape %s; normalise along a feature axis (-1 for channels-last)", n.Axis, tensor.ShapeString(full))
	case a < 0 || a >= len(full):
		return 0, shapeErr(l, "axis %d is out of range for input shape %s", n.Axis, tensor.ShapeString(full))
	}
	n.axis = a - 1
	c := in[n.axis]
	n.gamma, n.beta = nil, nil
	for _, p := range []struct {
		on         bool
		name, init string
		dst        **Weight
	}{{n.Scale, "gamma", n.GammaInitializer, &n.gamma}, {n.Center, "beta", n.BetaInitializer, &n.beta}} {
		if !p.on {
			continue
		}
		w, err := newInitWeight(l, p.name, p.init, c, true, rng)
		if err != nil {
			return 0, err
		}
		*p.dst = w
	}
	n.outShape = append([]int(nil), in...)
	return c, nil
}

// newInitWeight makes the vector weight name of c elements from the
// initializer init.
func newInitWeight(l Layer, name, init string, c int, trainable bool, rng *rand.Rand) (*Weight, error) {
	ini, err := initializers.Get(init)
	if err != nil {
		return nil, shapeErr(l, "%s_initializer: %v", name, err)
	}
	return newWeight(l.Name(), name, ini.Init([]int{c}, rng), trainable), nil
}

// affine returns gamma and beta as autograd values (nil when absent).
func (n *norm) affine() (gamma, beta *autograd.Value) { return n.gamma.value(), n.beta.value() }

// affineWeights lists gamma and beta, those present, in Keras's order.
func (n *norm) affineWeights() []*Weight { return present(n.gamma, n.beta) }

// normSpecOptions reads the shared arguments of a spec entry.
func normSpecOptions(r *spec.Reader) []NormOption {
	opts := []NormOption{
		NormAxis(r.Int("axis", -1)),
		NormEpsilon(r.Float("epsilon", 1e-3)),
		NormBetaInitializer(r.String("beta_initializer", "zeros")),
		NormGammaInitializer(r.String("gamma_initializer", "ones")),
	}
	if !r.Bool("center", true) {
		opts = append(opts, NormWithoutCenter())
	}
	if !r.Bool("scale", true) {
		opts = append(opts, NormWithoutScale())
	}
	return opts
}

var normArgs = []string{"axis", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer"}

func init() {
	register(
		entry{"batch_normalization", append([]string{"momentum", "moving_mean_initializer", "moving_variance_initializer"}, normArgs...),
			func(r *spec.Reader) Layer {
				opts := append(normSpecOptions(r),
					NormMomentum(r.Float("momentum", 0.99)),
					NormMovingMeanInitializer(r.String("moving_mean_initializer", "zeros")),
					NormMovingVarianceInitializer(r.String("moving_variance_initializer", "ones")))
				return NewBatchNormalization(opts...)
			}},
		entry{"layer_normalization", append([]string{"rms_scaling"}, normArgs...), func(r *spec.Reader) Layer {
			l := NewLayerNormalization(normSpecOptions(r)...)
			if r.Bool("rms_scaling", false) {
				l.fail("rms_scaling=true is not supported (its meaning differs between Keras versions); got true")
			}
			return l
		}},
	)
}
