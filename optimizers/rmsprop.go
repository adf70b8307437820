package optimizers

import (
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/internal/kernels"
)

// RMSprop divides the gradient by a running root mean square of recent
// gradients (keras.optimizers.RMSprop; Hinton, 2012, lecture 6e). With slot
// v ("velocity"):
//
//	v = rho*v + (1-rho)*g*g
//	w -= lr*g / sqrt(v + epsilon)
//
// Keras adds epsilon inside the square root; PyTorch adds it outside. When
// centered, a slot a ("average_gradient") = rho*a + (1-rho)*g is kept and the
// denominator is sqrt(v - a*a + epsilon). With momentum > 0, a slot m
// ("momentum") = momentum*m + lr*g/sqrt(...) is kept and w -= m.
type RMSprop struct {
	base
	rho, momentum, epsilon float64
	centered               bool
}

// NewRMSprop returns an RMSprop optimizer. Keras's defaults are lr 0.001,
// rho 0.9, momentum 0, epsilon 1e-7, centered false. It panics on an invalid
// argument (rho or momentum outside [0, 1], a negative epsilon or learning
// rate); Get returns those as errors.
func NewRMSprop(lr, rho, momentum, epsilon float64, centered bool, opts ...Option) *RMSprop {
	o, err := newRMSprop(lr, rho, momentum, epsilon, centered, opts)
	return must(o, err, "NewRMSprop")
}

func newRMSprop(lr, rho, momentum, epsilon float64, centered bool, opts []Option) (*RMSprop, error) {
	o := &RMSprop{rho: rho, momentum: momentum, epsilon: epsilon, centered: centered}
	if err := o.init("RMSprop", lr, o, opts); err != nil {
		return nil, err
	}
	if !(rho >= 0 && rho <= 1) {
		return nil, fmt.Errorf("rho must be in [0, 1], got %v", rho)
	}
	if !(momentum >= 0 && momentum <= 1) {
		return nil, fmt.Errorf("momentum must be in [0, 1], got %v", momentum)
	}
	if !(epsilon >= 0) || math.IsInf(epsilon, 0) {
		return nil, fmt.Errorf("epsilon must be a finite number >= 0, got %v", epsilon)
	}
	return o, nil
}

// slotSpecs follows Keras's build order: velocities, momentums, average gradients.
func (o *RMSprop) slotSpecs() []slotSpec {
	s := []slotSpec{{name: "velocity"}}
	if o.momentum > 0 {
		s = append(s, slotSpec{name: "momentum"})
	}
	if o.centered {
		s = append(s, slotSpec{name: "average_gradient"})
	}
	return s
}

// update32 runs the vector kernel for plain RMSprop; centered and momentum
// variants run the generic loop.
func (o *RMSprop) update32(s step[float32]) {
	if o.centered || o.momentum > 0 {
		rmspropUpdate(o, s)
		return
	}
	kernels.RMSpropUpdate(s.w, s.g, s.slot(0), kernels.RMSpropArgs{Clip: kclip(&s),
		LR: float32(s.lr), Rho: float32(o.rho), OneMinusRho: float32(1 - o.rho), Epsilon: float32(o.epsilon)})
}

func (o *RMSprop) update64(s step[float64]) { rmspropUpdate(o, s) }

func rmspropUpdate[T float](o *RMSprop, s step[T]) {
	lr, rho, c, eps, mom := T(s.lr), T(o.rho), T(1-o.rho), T(o.epsilon), T(o.momentum)
	w, g, v, k := s.w, s.g[:len(s.w)], s.slot(0), 1
	var m, a []T
	if o.momentum > 0 {
		m, k = s.slot(k), k+1
	}
	if o.centered {
		a = s.slot(k)
	}
	for i := range w {
		gi := s.clip(g[i])
		v[i] = rho*v[i] + c*(gi*gi)
		den := v[i]
		if a != nil {
			a[i] = rho*a[i] + c*gi
			den -= a[i] * a[i]
		}
		inc := lr * gi / sqrt(den+eps)
		if m != nil {
			m[i] = mom*m[i] + inc
			inc = m[i]
		}
		w[i] -= inc
	}
}

func (o *RMSprop) config(m map[string]any) {
	m["rho"] = o.rho
	m["momentum"] = o.momentum
	m["epsilon"] = o.epsilon
	m["centered"] = o.centered
}
