package optimizers

import (
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/internal/kernels"
)

// Adagrad scales each element's step by the root of its summed squared
// gradients (keras.optimizers.Adagrad; Duchi et al., 2011, JMLR 12). With
// slot acc ("accumulator"), which starts at initial_accumulator_value:
//
//	acc += g*g
//	w -= lr*g / sqrt(acc + epsilon)
//
// Keras adds epsilon inside the square root; PyTorch adds it outside.
type Adagrad struct {
	base
	initialAccumulator, epsilon float64
}

// NewAdagrad returns an Adagrad optimizer. Keras's defaults are lr 0.001,
// initial_accumulator_value 0.1, epsilon 1e-7. It panics on an invalid
// argument (a negative accumulator value, epsilon or learning rate); Get
// returns those as errors.
func NewAdagrad(lr, initialAccumulatorValue, epsilon float64, opts ...Option) *Adagrad {
	o, err := newAdagrad(lr, initialAccumulatorValue, epsilon, opts)
	return must(o, err, "NewAdagrad")
}

func newAdagrad(lr, initialAccumulatorValue, epsilon float64, opts []Option) (*Adagrad, error) {
	o := &Adagrad{initialAccumulator: initialAccumulatorValue, epsilon: epsilon}
	if err := o.init("Adagrad", lr, o, opts); err != nil {
		return nil, err
	}
	if !(initialAccumulatorValue >= 0) || math.IsInf(initialAccumulatorValue, 0) {
		return nil, fmt.Errorf("initial_accumulator_value must be a finite number >= 0, got %v", initialAccumulatorValue)
	}
	if !(epsilon >= 0) || math.IsInf(epsilon, 0) {
		return nil, fmt.Errorf("epsilon must be a finite number >= 0, got %v", epsilon)
	}
	return o, nil
}

func (o *Adagrad) slotSpecs() []slotSpec {
	return []slotSpec{{name: "accumulator", init: o.initialAccumulator}}
}

func (o *Adagrad) update32(s step[float32]) {
	kernels.AdagradUpdate(s.w, s.g, s.slot(0), kernels.AdagradArgs{Clip: kclip(&s), LR: float32(s.lr), Epsilon: float32(o.epsilon)})
}

func (o *Adagrad) update64(s step[float64]) { adagradUpdate(o, s) }

func adagradUpdate[T float](o *Adagrad, s step[T]) {
	lr, eps, w, g, acc := T(s.lr), T(o.epsilon), s.w, s.g[:len(s.w)], s.slot(0)
	for i := range w {
		gi := s.clip(g[i])
		acc[i] += gi * gi
		w[i] -= lr * gi / sqrt(acc[i]+eps)
	}
}

func (o *Adagrad) config(m map[string]any) {
	m["initial_accumulator_value"] = o.initialAccumulator
	m["epsilon"] = o.epsilon
}
