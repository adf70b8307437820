package optimizers

import (
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/internal/kernels"
)

// Adam is the Adam optimizer (keras.optimizers.Adam; Kingma and Ba, 2014,
// arXiv:1412.6980) in Keras's form, with epsilon added to sqrt(v) rather
// than to the bias-corrected sqrt(v_hat) as in the paper's Algorithm 1 and in
// PyTorch. With slots m ("momentum") and v ("velocity") and step t:
//
//	alpha = lr * sqrt(1-beta_2^t) / (1-beta_1^t)
//	m += (g - m) * (1-beta_1)
//	v += (g*g - v) * (1-beta_2)
//	w -= m * alpha / (sqrt(v) + epsilon)
//
// With amsgrad (Reddi et al., 2018), a slot "velocity_hat" keeps the running
// maximum of v and replaces v in the last line.
type Adam struct {
	base
	beta1, beta2, epsilon float64
	amsgrad               bool
	alpha                 float64 // the current step's alpha, set by prepare
}

// AdamW is Adam with Keras's decoupled weight decay (keras.optimizers.AdamW;
// Loshchilov and Hutter, 2019, arXiv:1711.05101): before each Adam step,
// w -= lr*weight_decay*w. It equals torch.optim.AdamW.
type AdamW struct{ Adam }

// NewAdam returns an Adam optimizer. Keras's defaults are lr 0.001,
// beta_1 0.9, beta_2 0.999, epsilon 1e-7, amsgrad false. It panics on an
// invalid argument (a beta outside [0, 1), a negative epsilon or learning
// rate); Get returns those as errors.
func NewAdam(lr, beta1, beta2, epsilon float64, amsgrad bool, opts ...Option) *Adam {
	o, err := newAdam(lr, beta1, beta2, epsilon, amsgrad, opts)
	return must(o, err, "NewAdam")
}

// NewAdamW returns an AdamW optimizer. Keras's defaults are lr 0.001,
// weight_decay 0.004, beta_1 0.9, beta_2 0.999, epsilon 1e-7, amsgrad false.
// It panics on an invalid argument, as NewAdam.
func NewAdamW(lr, weightDecay, beta1, beta2, epsilon float64, amsgrad bool, opts ...Option) *AdamW {
	o, err := newAdamW(lr, weightDecay, beta1, beta2, epsilon, amsgrad, opts)
	return must(o, err, "NewAdamW")
}

func newAdam(lr, beta1, beta2, epsilon float64, amsgrad bool, opts []Option) (*Adam, error) {
	o := &Adam{beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad}
	if err := o.init("Adam", lr, o, opts); err != nil {
		return nil, err
	}
	return o, o.validate()
}

func newAdamW(lr, weightDecay, beta1, beta2, epsilon float64, amsgrad bool, opts []Option) (*AdamW, error) {
	o := &AdamW{Adam{beta1: beta1, beta2: beta2, epsilon: epsilon, amsgrad: amsgrad}}
	opts = append([]Option{WithWeightDecay(weightDecay)}, opts...)
	if err := o.init("AdamW", lr, o, opts); err != nil {
		return nil, err
	}
	return o, o.validate()
}

func (o *Adam) validate() error {
	for _, b := range []struct {
		name string
		v    float64
	}{{"beta_1", o.beta1}, {"beta_2", o.beta2}} {
		if !(b.v >= 0 && b.v < 1) {
			return fmt.Errorf("%s must be in [0, 1), got %v", b.name, b.v)
		}
	}
	if !(o.epsilon >= 0) || math.IsInf(o.epsilon, 0) {
		return fmt.Errorf("epsilon must be a finite number >= 0, got %v", o.epsilon)
	}
	return nil
}

func (o *Adam) slotSpecs() []slotSpec {
	s := []slotSpec{{name: "momentum"}, {name: "velocity"}}
	if o.amsgrad {
		s = append(s, slotSpec{name: "velocity_hat"})
	}
	return s
}

// prepare computes alpha, the bias-corrected step size, once per step.
func (o *Adam) prepare(lr float64, t int64) {
	o.alpha = lr * math.Sqrt(1-math.Pow(o.beta2, float64(t))) / (1 - math.Pow(o.beta1, float64(t)))
}

// update32 runs the vector kernel, except for amsgrad.
func (o *Adam) update32(s step[float32]) {
	if o.amsgrad {
		adamUpdate(o, s)
		return
	}
	kernels.AdamUpdate(s.w, s.g, s.slot(0), s.slot(1), kernels.AdamArgs{Clip: kclip(&s),
		Alpha: float32(o.alpha), OneMinusBeta1: float32(1 - o.beta1), OneMinusBeta2: float32(1 - o.beta2), Epsilon: float32(o.epsilon)})
}

func (o *Adam) update64(s step[float64]) { adamUpdate(o, s) }

func adamUpdate[T float](o *Adam, s step[T]) {
	alpha, c1, c2, eps := T(o.alpha), T(1-o.beta1), T(1-o.beta2), T(o.epsilon)
	w, g, m, v := s.w, s.g[:len(s.w)], s.slot(0), s.slot(1)
	if o.amsgrad {
		vhat := s.slot(2)
		for i := range w {
			gi := s.clip(g[i])
			m[i] += (gi - m[i]) * c1
			v[i] += (gi*gi - v[i]) * c2
			vhat[i] = max(vhat[i], v[i])
			w[i] -= m[i] * alpha / (sqrt(vhat[i]) + eps)
		}
		return
	}
	for i := range w {
		gi := s.clip(g[i])
		m[i] += (gi - m[i]) * c1
		v[i] += (gi*gi - v[i]) * c2
		w[i] -= m[i] * alpha / (sqrt(v[i]) + eps)
	}
}

func (o *Adam) config(m map[string]any) {
	m["beta_1"] = o.beta1
	m["beta_2"] = o.beta2
	m["epsilon"] = o.epsilon
	m["amsgrad"] = o.amsgrad
}

// config reports weight_decay as a number even when it is 0: Keras's AdamW
// requires one.
func (o *AdamW) config(m map[string]any) {
	o.Adam.config(m)
	m["weight_decay"] = o.weightDecay
}
