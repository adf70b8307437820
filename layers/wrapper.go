package layers

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/deepgo-dev/deepgo/spec"
)

// What the wrappers (Bidirectional, TimeDistributed) share: building the
// layers they hold under their own name, and reading and writing them as
// nested spec entries such as {layer: {lstm: {units: 64}}}.

// defaultName is the name a wrapped layer goes by when it has none: Keras's
// automatic name without a counter ("lstm"), unique inside its wrapper.
func defaultName(l Layer) string {
	if l.Name() != "" {
		return l.Name()
	}
	return spec.KerasSnakeCase(l.ClassName())
}

// buildNested builds inner as the part called name of the wrapper outer:
// its weights are created as "<outer>.<name>.<weight>" (Keras 3's path
// "outer/name/weight" with dots), and their Weight.Name becomes
// "<name>.<weight>", the name inside the wrapper, so that the wrapper's
// Weights follow the Layer contract. inner's Name is then "<outer>.<name>",
// which is also what its errors say.
func buildNested(outer string, inner Layer, name string, in []int, rng *rand.Rand) error {
	inner.SetName(outer + "." + name)
	if err := inner.Build(in, rng); err != nil {
		return err
	}
	for _, w := range inner.Weights() {
		w.Name = strings.TrimPrefix(w.Value.Name, outer+".")
	}
	return nil
}

// readNested builds the layer that the argument arg of a wrapper's spec
// entry describes ({lstm: {units: 64}} or {class_name: LSTM, config: {...}}),
// with the registry. It returns nil and no error when the argument is
// absent; errors name the argument.
func readNested(r *spec.Reader, arg string) (l Layer, err error) {
	n := r.Named(arg, "")
	if r.Err() != nil || n.Name == "" {
		return nil, nil
	}
	l, err = FromSpec(spec.Layer{Type: n.Name, Args: n.Args})
	if err != nil {
		// Drop FromSpec's place prefix ("layer 0 (lstm): "): the wrapper's
		// entry gives the place.
		msg := strings.TrimPrefix(err.Error(), fmt.Sprintf("layer 0 (%s): ", n.Name))
		return nil, fmt.Errorf("%s: %s: %w", arg, n.Name, errors.New(msg))
	}
	return l, nil
}

// nestedConfig is the spec value that rebuilds l under the given name:
// {type: {name: name, arguments...}}.
func nestedConfig(l Layer, name string) spec.Args {
	args := append(spec.Args{{Name: "name", Value: name}}, l.Config()...)
	return spec.Args{{Name: TypeName(l), Value: args}}
}

// withArg returns a copy of args with name set to v (appended when absent).
func withArg(args spec.Args, name string, v any) spec.Args {
	out := append(spec.Args(nil), args...)
	for i := range out {
		if out[i].Name == name {
			out[i].Value = v
			return out
		}
	}
	return append(out, spec.Arg{Name: name, Value: v})
}
