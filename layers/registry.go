package layers

import (
	"slices"
	"strings"

	"github.com/deepgo-dev/deepgo/spec"
)

// entry builds one layer type from a spec entry. allowed lists its Keras
// arguments (besides "name", which every layer takes).
type entry struct {
	typ     string
	allowed []string
	build   func(r *spec.Reader) Layer
}

// registry maps Keras snake_case layer names to constructors. Each layer
// file registers its own entries from init (see core.go's), so adding a
// layer touches only its file; Types sorts the names, so nothing depends on
// init order.
var registry []entry

// register adds layer types to the registry.
func register(es ...entry) { registry = append(registry, es...) }

// "sigmoid" and "tanh" are deepgo's shorthand for Activation layers, like
// "relu" and "softmax" which are Keras layers in their own right.
func init() {
	register(
		entry{"flatten", nil, func(*spec.Reader) Layer { return NewFlatten() }},
		entry{"dense", []string{"units", "activation", "use_bias", "kernel_initializer", "bias_initializer"}, func(r *spec.Reader) Layer {
			opts := []DenseOption{WithActivation(r.String("activation", "")),
				WithKernelInitializer(r.String("kernel_initializer", "glorot_uniform")),
				WithBiasInitializer(r.String("bias_initializer", "zeros"))}
			if !r.Bool("use_bias", true) {
				opts = append(opts, WithoutBias())
			}
			return NewDense(r.PositiveInt("units", 0), opts...)
		}},
		entry{"activation", []string{"activation"}, func(r *spec.Reader) Layer { return NewActivation(r.String("activation", "")) }},
		entry{"relu", nil, func(*spec.Reader) Layer { return NewReLU() }},
		entry{"leaky_relu", []string{"negative_slope"}, func(r *spec.Reader) Layer { return NewLeakyReLU(r.Float("negative_slope", 0.3)) }},
		entry{"softmax", []string{"axis"}, func(r *spec.Reader) Layer {
			l := NewSoftmax()
			if axis := r.Int("axis", -1); axis != -1 {
				l.fail("axis: only -1 (the last axis) is supported, got %d", axis)
			}
			return l
		}},
		entry{"sigmoid", nil, func(*spec.Reader) Layer { return NewActivation("sigmoid") }},
		entry{"tanh", nil, func(*spec.Reader) Layer { return NewActivation("tanh") }},
		entry{"dropout", []string{"rate", "seed"}, func(r *spec.Reader) Layer {
			r.Int("seed", 0) // accepted for Keras compatibility; the model's seed drives masks
			return NewDropout(r.Float("rate", -1))
		}},
	)
}

// Types lists the layer names FromSpec accepts.
func Types() []string {
	out := make([]string, len(registry))
	for i, e := range registry {
		out[i] = e.typ
	}
	slices.Sort(out)
	return out
}

// FromSpec builds the layer a spec entry describes, checking its arguments.
// Errors name the layer's place in the spec and the offending value.
func FromSpec(l spec.Layer) (Layer, error) {
	for _, e := range registry {
		if e.typ != l.Type {
			continue
		}
		if err := l.Check(append([]string{"name"}, e.allowed...)...); err != nil {
			return nil, err
		}
		if err := rejectNull(l); err != nil { // see bidirectional.go
			return nil, err
		}
		r := l.Reader()
		layer := e.build(r)
		name := r.String("name", "")
		if err := r.Err(); err != nil {
			return nil, err
		}
		if name != "" {
			layer.SetName(name)
		}
		if b, ok := layer.(interface{ configErr() error }); ok && b.configErr() != nil {
			return nil, l.Errorf("%v", b.configErr())
		}
		return layer, nil
	}
	return nil, l.Errorf("unknown layer %q; known layers: %s", l.Type, strings.Join(Types(), ", "))
}

// TypeName returns the spec name of a layer ("dense" for Dense), the
// inverse of FromSpec's lookup, used when a model writes its config.
func TypeName(l Layer) string {
	if a, ok := l.(*Activation); ok && (a.Fn == "sigmoid" || a.Fn == "tanh") {
		return "activation"
	}
	return spec.SnakeCase(l.ClassName())
}

// ToSpec returns the spec entry that rebuilds l, with its name.
func ToSpec(l Layer) spec.Layer {
	args := append(spec.Args{{Name: "name", Value: l.Name()}}, l.Config()...)
	return spec.Layer{Type: TypeName(l), Args: args}
}
