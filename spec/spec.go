package spec

import (
	"fmt"
	"os"
)

// Spec is a parsed spec file: a model's input shape, its layers and,
// optionally, how to compile and fit it.
type Spec struct {
	// Input is one sample's shape without the batch axis; every entry is
	// positive.
	Input []int
	// Layers are the entries of "layers", in order; there is at least one.
	Layers []Layer
	// Compile is nil when the spec has no "compile" section.
	Compile *Compile
	// Fit is nil when the spec has no "fit" section.
	Fit *Fit
	// Source is the file name given to Parse, used in messages.
	Source string
}

// Layer is one entry of "layers".
type Layer struct {
	// Type is the layer name normalised by SnakeCase: "dense", "conv2d".
	Type string
	// Args are the arguments as written; nil when there are none.
	Args Args
	// Index is the 1-based position in "layers".
	Index int
	// Line is the entry's line in the source file.
	Line int
	// Source is the file name, as in Spec.Source.
	Source string
}

// Compile holds the "compile" section. A key that is absent leaves its
// field empty: a Named with Name "" or a nil Metrics.
type Compile struct {
	Optimizer Named
	Loss      Named
	Metrics   []Named
}

// Named is an optimizer, loss, metric or callback, written as "adam",
// {adam: {learning_rate: 0.001}} or {class_name: Adam, config: {...}}.
type Named struct {
	// Name is normalised by SnakeCase: "Adam" becomes "adam".
	Name string
	// Args are the arguments as written; nil when there are none.
	Args Args
	// Path says where the entry is, such as "compile.optimizer".
	Path string
	// Source and Line locate the entry in its file, for messages.
	Source string
	Line   int
}

// Fit holds the "fit" section: defaults for training that command-line
// flags override. Zero values and nil pointers mean "not given".
type Fit struct {
	Epochs          int     // epochs; positive when given
	BatchSize       int     // batch_size; positive when given
	ValidationSplit float64 // validation_split, in [0, 1)
	Shuffle         *bool   // shuffle
	Verbose         *int    // verbose: 0, 1 or 2; "auto" leaves it nil
	Callbacks       []Named // callbacks, such as {early_stopping: {patience: 3}}
}

// Parse reads a spec from data, which holds YAML or JSON (a document whose
// first non-space character is "{" and that is valid JSON is read as JSON).
// Source names the file in error messages and is stored in the result.
//
// Errors are one line and name the file, the line and the offending value.
// Parse checks the structure of the spec and the types of the "input" and
// "fit" values; layer, optimizer, loss and metric names and their arguments
// are left to the registries that build them (see Layer.Check and Args).
func Parse(data []byte, source string) (*Spec, error) {
	root, err := decode(data, source)
	if err != nil {
		return nil, err
	}
	p := &parser{source: source}
	return p.spec(root)
}

// ParseFile reads and parses the spec file at path.
func ParseFile(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, path)
}

// Errorf returns an error prefixed with the layer's place:
// "spec.yaml:5: layer 2 (dense): ". It wraps an error passed with %w.
func (l Layer) Errorf(format string, a ...any) error {
	prefix := fmt.Sprintf("%slayer %d (%s): ", where(l.Source, l.Line), l.Index, l.Type)
	return fmt.Errorf("%s"+format, append([]any{prefix}, a...)...)
}

// Check returns an error naming the first argument that is not in allowed,
// with a suggestion when it looks like a typo and the list of allowed names.
func (l Layer) Check(allowed ...string) error {
	if err := l.Args.Check(allowed...); err != nil {
		return l.Errorf("%w", err)
	}
	return nil
}

// Reader returns a Reader over the layer's arguments whose errors carry the
// layer's place.
func (l Layer) Reader() *Reader {
	return &Reader{args: l.Args, wrap: func(err error) error { return l.Errorf("%w", err) }}
}

// Errorf returns an error prefixed with the entry's place:
// "spec.yaml:9: compile.optimizer (adam): ". It wraps an error passed with %w.
func (n Named) Errorf(format string, a ...any) error {
	prefix := where(n.Source, n.Line)
	switch {
	case n.Path != "" && n.Name != "":
		prefix += fmt.Sprintf("%s (%s): ", n.Path, n.Name)
	case n.Path != "" || n.Name != "":
		prefix += n.Path + n.Name + ": "
	}
	return fmt.Errorf("%s"+format, append([]any{prefix}, a...)...)
}

// Check returns an error naming the first argument that is not in allowed,
// as Layer.Check does.
func (n Named) Check(allowed ...string) error {
	if err := n.Args.Check(allowed...); err != nil {
		return n.Errorf("%w", err)
	}
	return nil
}

// Reader returns a Reader over the entry's arguments whose errors carry the
// entry's place.
func (n Named) Reader() *Reader {
	return &Reader{args: n.Args, wrap: func(err error) error { return n.Errorf("%w", err) }}
}
