package optimizers

import (
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/internal/kernels"
)

// SGD is gradient descent with optional momentum and Nesterov momentum
// (keras.optimizers.SGD). With momentum 0 the update is w -= lr*g. Otherwise
// a velocity m (slot "momentum") is kept:
//
//	m = momentum*m - lr*g
//	w += m                    (nesterov: w += momentum*m - lr*g)
type SGD struct {
	base
	momentum float64
	nesterov bool
}

// NewSGD returns an SGD optimizer. Keras's defaults are lr 0.01, momentum 0,
// nesterov false. It panics on an invalid argument (momentum outside [0, 1],
// a negative learning rate, two kinds of clipping); Get returns those as
// errors.
func NewSGD(lr, momentum float64, nesterov bool, opts ...Option) *SGD {
	o, err := newSGD(lr, momentum, nesterov, opts)
	return must(o, err, "NewSGD")
}

func newSGD(lr, momentum float64, nesterov bool, opts []Option) (*SGD, error) {
	o := &SGD{momentum: momentum, nesterov: nesterov}
	if err := o.init("SGD", lr, o, opts); err != nil {
		return nil, err
	}
	if !(momentum >= 0 && momentum <= 1) || math.IsNaN(momentum) {
		return nil, fmt.Errorf("momentum must be in [0, 1], got %v", momentum)
	}
	return o, nil
}

func (o *SGD) slotSpecs() []slotSpec {
	if o.momentum == 0 {
		return nil
	}
	return []slotSpec{{name: "momentum"}}
}

func (o *SGD) update32(s step[float32]) {
	var m []float32
	if o.momentum != 0 {
		m = s.slot(0)
	}
	kernels.SGDUpdate(s.w, s.g, m, kernels.SGDArgs{Clip: kclip(&s), LR: float32(s.lr), Momentum: float32(o.momentum), Nesterov: o.nesterov})
}

func (o *SGD) update64(s step[float64]) { sgdUpdate(o, s) }

func sgdUpdate[T float](o *SGD, s step[T]) {
	lr, w, g := T(s.lr), s.w, s.g[:len(s.w)]
	if o.momentum == 0 {
		for i := range w {
			w[i] -= s.clip(g[i]) * lr
		}
		return
	}
	mom, m := T(o.momentum), s.slot(0)
	for i := range w {
		gi := s.clip(g[i])
		m[i] = m[i]*mom - gi*lr
		if o.nesterov {
			w[i] += m[i]*mom - gi*lr
		} else {
			w[i] += m[i]
		}
	}
}

func (o *SGD) config(m map[string]any) {
	m["momentum"] = o.momentum
	m["nesterov"] = o.nesterov
}
