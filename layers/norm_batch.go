package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
)

// BatchNormalization normalises each channel (the axis, by default the
// last) with statistics over every other axis, batch included (Ioffe &
// Szegedy 2015), as Keras 3 does:
//
//	y = gamma·(x − mean)/√(variance + epsilon) + beta
//
// In training (Context.Training) mean and variance are the batch's (the
// biased variance, divided by the count), and each call moves the moving
// statistics towards them:
//
//	moving = moving·momentum + batch·(1 − momentum)
//
// also with the biased batch variance, as Keras 3 (ops.moments). PyTorch's
// BatchNorm differs here: its running_var takes the unbiased variance
// (divided by count − 1), though it too normalises with the biased one. In
// inference the moving statistics are used. Weights, in Keras's order:
// gamma, beta (trainable; absent with scale or center false), moving_mean,
// moving_variance (non-trainable: saved with the model, skipped by the
// optimizer).
type BatchNormalization struct {
	norm
	Momentum                  float64
	MovingMeanInitializer     string
	MovingVarianceInitializer string

	movingMean, movingVariance *Weight
	fast                       batchNormState
}

// NewBatchNormalization returns a BatchNormalization layer with Keras's
// defaults: axis -1, momentum 0.99, epsilon 1e-3, center and scale, beta
// zeros, gamma ones, moving mean zeros, moving variance ones.
func NewBatchNormalization(opts ...NormOption) *BatchNormalization {
	o := newNormOptions(opts)
	l := &BatchNormalization{norm: o.norm, Momentum: o.momentum,
		MovingMeanInitializer: o.movingMeanInit, MovingVarianceInitializer: o.movingVarInit}
	if !(o.momentum >= 0 && o.momentum <= 1) {
		l.fail("momentum must be in [0, 1], got %v", o.momentum)
	}
	return l
}

func (*BatchNormalization) ClassName() string { return "BatchNormalization" }

func (l *BatchNormalization) Config() spec.Args {
	return spec.Args{
		{Name: "axis", Value: l.Axis},
		{Name: "momentum", Value: l.Momentum},
		{Name: "epsilon", Value: l.Epsilon},
		{Name: "center", Value: l.Center},
		{Name: "scale", Value: l.Scale},
		{Name: "beta_initializer", Value: l.BetaInitializer},
		{Name: "gamma_initializer", Value: l.GammaInitializer},
		{Name: "moving_mean_initializer", Value: l.MovingMeanInitializer},
		{Name: "moving_variance_initializer", Value: l.MovingVarianceInitializer},
	}
}

func (l *BatchNormalization) Build(in []int, rng *rand.Rand) error {
	c, err := l.buildAffine(l, in, rng)
	if err != nil {
		return err
	}
	if l.movingMean, err = newInitWeight(l, "moving_mean", l.MovingMeanInitializer, c, false, rng); err != nil {
		return err
	}
	l.movingVariance, err = newInitWeight(l, "moving_variance", l.MovingVarianceInitializer, c, false, rng)
	return err
}

func (l *BatchNormalization) Weights() []*Weight {
	return append(l.affineWeights(), l.movingMean, l.movingVariance)
}

func (l *BatchNormalization) Call(ctx *Context, x *autograd.Value) *autograd.Value {
	gamma, beta := l.affine()
	if !ctx.Training {
		return autograd.BatchNormInference(x, gamma, beta, l.movingMean.Value.Data, l.movingVariance.Value.Data, l.axis+1, l.Epsilon)
	}
	y, mean, variance := autograd.BatchNorm(x, gamma, beta, l.axis+1, l.Epsilon)
	l.updateMoving(mean, variance)
	return y
}

// updateMoving moves the moving statistics towards the batch's:
// moving = moving·momentum + batch·(1 − momentum), computed in float64
// and stored in the weights' dtype. It allocates nothing.
func (l *BatchNormalization) updateMoving(mean, variance []float64) {
	for _, s := range []struct {
		w     *Weight
		batch []float64
	}{{l.movingMean, mean}, {l.movingVariance, variance}} {
		t := s.w.Value.Data
		for j, b := range s.batch {
			t.SetFlat(j, t.AtFlat(j)*l.Momentum+b*(1-l.Momentum))
		}
	}
}
