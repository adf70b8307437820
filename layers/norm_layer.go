package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
)

// LayerNormalization normalises each sample along one axis (by default the
// last), independently of the rest of the batch (Ba et al. 2016), as Keras
// 3 does:
//
//	y = gamma·(x − mean)/√(variance + epsilon) + beta
//
// with the mean and the biased variance taken along the axis, for every
// position of the other axes. It behaves the same in training and
// inference and has no moving statistics. Weights: gamma, beta (absent with
// scale or center false). Keras's rms_scaling is not supported (its
// default, false, is what this layer does); a list of axes is not either.
type LayerNormalization struct {
	norm
	fast layerNormState
}

// NewLayerNormalization returns a LayerNormalization layer with Keras's
// defaults: axis -1, epsilon 1e-3, center and scale, beta zeros, gamma ones.
// BatchNormalization's own options (momentum, moving initializers) are an
// error.
func NewLayerNormalization(opts ...NormOption) *LayerNormalization {
	o := newNormOptions(opts)
	l := &LayerNormalization{norm: o.norm}
	if o.batchOnly != "" {
		l.fail("%s is an argument of BatchNormalization, not LayerNormalization", o.batchOnly)
	}
	return l
}

func (*LayerNormalization) ClassName() string { return "LayerNormalization" }

func (l *LayerNormalization) Config() spec.Args {
	return spec.Args{
		{Name: "axis", Value: l.Axis},
		{Name: "epsilon", Value: l.Epsilon},
		{Name: "center", Value: l.Center},
		{Name: "scale", Value: l.Scale},
		{Name: "rms_scaling", Value: false},
		{Name: "beta_initializer", Value: l.BetaInitializer},
		{Name: "gamma_initializer", Value: l.GammaInitializer},
	}
}

func (l *LayerNormalization) Build(in []int, rng *rand.Rand) error {
	_, err := l.buildAffine(l, in, rng)
	return err
}

func (l *LayerNormalization) Weights() []*Weight { return l.affineWeights() }

func (l *LayerNormalization) Call(_ *Context, x *autograd.Value) *autograd.Value {
	gamma, beta := l.affine()
	return autograd.LayerNorm(x, gamma, beta, l.axis+1, l.Epsilon)
}
