package layers

import (
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// SpatialDropout2D is Dropout for (height, width, channels) feature maps,
// as Keras's: during training it drops whole channels of each sample (a
// mask of shape (batch, 1, 1, channels)) with probability rate and scales
// the kept ones by 1/(1−rate), because neighbouring pixels of a map are
// too correlated for pixel-wise dropout to regularise (Tompson et al.,
// 2015, "Efficient Object Localization Using Convolutional Networks"). It
// does nothing outside training.
type SpatialDropout2D struct {
	base
	Rate float64
	fast spatialDropoutState
}

// NewSpatialDropout2D returns a SpatialDropout2D layer with a rate in [0, 1).
func NewSpatialDropout2D(rate float64) *SpatialDropout2D {
	l := &SpatialDropout2D{Rate: rate}
	if rate < 0 || rate >= 1 {
		l.fail("rate must be in [0, 1), got %v", rate)
	}
	return l
}

func (*SpatialDropout2D) ClassName() string { return "SpatialDropout2D" }

func (l *SpatialDropout2D) Config() spec.Args {
	return spec.Args{{Name: "rate", Value: l.Rate}, {Name: "data_format", Value: "channels_last"}}
}

func (l *SpatialDropout2D) Build(in []int, _ *rand.Rand) error {
	if err := l.configErr(); err != nil {
		return shapeErr(l, "%v", err)
	}
	if err := checkSpatialRank(l, in, 2); err != nil {
		return err
	}
	l.outShape = append([]int(nil), in...)
	return nil
}

// Call multiplies x by a (batch, 1, 1, channels) mask of 0 and 1/(1−rate),
// drawing one number per sample and channel from ctx.RNG, sample by sample.
func (l *SpatialDropout2D) Call(ctx *Context, x *autograd.Value) *autograd.Value {
	if !ctx.Training || l.Rate == 0 {
		return x
	}
	mask := tensor.New(x.Data.DType(), x.Data.Dim(0), 1, 1, x.Data.Dim(-1))
	if mask.DType() == tensor.Float64 {
		spatialDropoutMask(ctx.RNG, mask.Float64s(), l.Rate)
	} else {
		spatialDropoutMask(ctx.RNG, mask.Float32s(), l.Rate)
	}
	return autograd.Mul(x, autograd.Const(mask))
}

// spatialDropoutMask fills mask, one value per sample and channel, with 0
// (dropped, probability rate) or 1/(1−rate), one Float64 draw each. Call
// and Forward share it, so both paths drop the same channels for the same
// generator state.
func spatialDropoutMask[T kernels.Float](rng *rand.Rand, mask []T, rate float64) {
	scale := T(1 / (1 - rate))
	for i := range mask {
		mask[i] = 0
		if rng.Float64() >= rate {
			mask[i] = scale
		}
	}
}

// spatialDropoutState holds SpatialDropout2D's mask and output buffers.
type spatialDropoutState struct {
	mask, y tensor.Buffer
	last    *tensor.Tensor // the (batch, channels) mask of the last training Forward; nil outside training
}

// Fast is always true for SpatialDropout2D.
func (l *SpatialDropout2D) Fast() bool { return true }

// Forward draws the mask as Call does and multiplies each channel of x by
// it; outside training it returns x.
func (l *SpatialDropout2D) Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor {
	if !ctx.Training || l.Rate == 0 {
		l.fast.last = nil
		return x
	}
	n, c := x.Dim(0), x.Dim(-1)
	mask := l.fast.mask.Get(n, l.outShape[2:])
	spatialDropoutMask(ctx.RNG, mask.Float32s(), l.Rate)
	y := l.fast.y.Like(x)
	spatialScale(y.Float32s(), x.Float32s(), mask.Float32s(), n, c)
	l.fast.last = mask
	return y
}

// Backward multiplies dy by the mask, in place.
func (l *SpatialDropout2D) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	if m := l.fast.last; m != nil {
		d := dy.Float32s()
		spatialScale(d, d, m.Float32s(), m.Dim(0), m.Dim(1))
	}
	return dy
}

// spatialScale sets dst = x ⊙ mask for n samples of x, each cells×c values
// in channels-last order, with mask (n, c).
func spatialScale(dst, x, mask []float32, n, c int) {
	per := len(x) / n
	for s := range n {
		m := mask[s*c : (s+1)*c]
		xs, ds := x[s*per:(s+1)*per], dst[s*per:(s+1)*per]
		for off := 0; off < per; off += c {
			xr, dr := xs[off:off+c], ds[off:off+c]
			for j, v := range xr {
				dr[j] = v * m[j]
			}
		}
	}
}

func init() {
	register(entry{spec.SnakeCase("SpatialDropout2D"), []string{"rate", "data_format", "seed"}, func(r *spec.Reader) Layer {
		r.Int("seed", 0) // accepted for Keras compatibility; the model's seed drives masks
		l := NewSpatialDropout2D(r.Float("rate", -1))
		readChannelsLast(r, &l.base)
		return l
	}})
}
