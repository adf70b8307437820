package activations

import (
	"fmt"
	"slices"

	"github.com/deepgo-dev/deepgo/autograd"
)

// Func is an activation: elementwise (or, for softmax, along the last axis).
type Func func(x *autograd.Value) *autograd.Value

// Linear returns x unchanged (Keras "linear", the Dense default).
func Linear(x *autograd.Value) *autograd.Value { return x }

// ReLU is max(x, 0).
func ReLU(x *autograd.Value) *autograd.Value { return autograd.ReLU(x) }

// Sigmoid is 1/(1+e^-x).
func Sigmoid(x *autograd.Value) *autograd.Value { return autograd.Sigmoid(x) }

// Tanh is the hyperbolic tangent.
func Tanh(x *autograd.Value) *autograd.Value { return autograd.Tanh(x) }

// Softmax is e^x / Σe^x along the last axis.
func Softmax(x *autograd.Value) *autograd.Value { return autograd.Softmax(x) }

// LeakyReLU with Keras's activation default negative_slope 0.2 (the
// LeakyReLU layer's default is 0.3).
func LeakyReLU(x *autograd.Value) *autograd.Value { return autograd.LeakyReLU(x, 0.2) }

// Softplus is log(1 + e^x).
func Softplus(x *autograd.Value) *autograd.Value { return autograd.Softplus(x) }

// SiLU (swish) is x·sigmoid(x).
func SiLU(x *autograd.Value) *autograd.Value { return autograd.Mul(x, autograd.Sigmoid(x)) }

// ELU with alpha 1: x for x > 0, e^x − 1 otherwise, written as
// relu(x) + e^min(x,0) − 1.
func ELU(x *autograd.Value) *autograd.Value {
	zero := autograd.Const(autograd.Scale(x, 0).Data)
	return autograd.Add(autograd.ReLU(x), autograd.AddConst(autograd.Exp(autograd.Minimum(x, zero)), -1))
}

var table = []struct {
	name string
	f    Func
}{
	{"linear", Linear}, {"relu", ReLU}, {"sigmoid", Sigmoid}, {"tanh", Tanh}, {"softmax", Softmax},
	{"leaky_relu", LeakyReLU}, {"softplus", Softplus}, {"silu", SiLU}, {"swish", SiLU}, {"elu", ELU},
}

// Names lists the activations Get accepts.
func Names() []string {
	var out []string
	for _, e := range table {
		out = append(out, e.name)
	}
	return out
}

// Get returns the activation with a Keras name; "" and "linear" are the
// identity.
func Get(name string) (Func, error) {
	if name == "" {
		return Linear, nil
	}
	for _, e := range table {
		if e.name == name {
			return e.f, nil
		}
	}
	return nil, fmt.Errorf("unknown activation %q (known: %v)", name, Names())
}

// Known reports whether Get accepts name.
func Known(name string) bool {
	return name == "" || slices.Contains(Names(), name)
}
