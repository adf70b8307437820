// Package examples holds deepgo's built-in examples: a spec file (in
// specs/, embedded here) and the data it trains and is tested on. The
// command line lists them with `deepgo examples` and trains one with
// `deepgo train --example NAME`.
package examples

import (
	"embed"
	"fmt"
	"strings"
)

//go:embed specs/*.yaml
var specs embed.FS

// Example is a built-in model with its data.
type Example struct {
	Name        string
	Description string
	SpecFile    string // path inside specs/
	Train, Test string // data specifications (INTERFACE.md DATA forms)
}

// All lists the built-in examples.
var All = []Example{
	{
		Name:        "mnist-mlp",
		Description: "the course's DNN on MNIST: Flatten → Dense 256 → ReLU → Dense 128 ReLU → Dense 10 → Softmax; Adam; 5 epochs",
		SpecFile:    "specs/mnist-mlp.yaml",
		Train:       "mnist:train",
		Test:        "mnist:test",
	},
	{
		Name:        "mnist-cnn",
		Description: "Keras's simple MNIST convnet: Conv2D 32 → MaxPooling2D → Conv2D 64 → MaxPooling2D → Flatten → Dropout 0.5 → Dense 10 softmax; Adam; 3 epochs",
		SpecFile:    "specs/mnist-cnn.yaml",
		Train:       "mnist:train",
		Test:        "mnist:test",
	},
	{
		Name:        "mnist-lstm",
		Description: "each image as 28 rows of 28 features: LSTM 128 → Dense 10 softmax; Adam; 3 epochs",
		SpecFile:    "specs/mnist-lstm.yaml",
		Train:       "mnist:train",
		Test:        "mnist:test",
	},
}

// Get returns the example called name.
func Get(name string) (Example, error) {
	var names []string
	for _, e := range All {
		if e.Name == name {
			return e, nil
		}
		names = append(names, e.Name)
	}
	return Example{}, fmt.Errorf("unknown example %q (known: %s)", name, strings.Join(names, ", "))
}

// Spec returns the example's spec file contents.
func (e Example) Spec() ([]byte, error) { return specs.ReadFile(e.SpecFile) }
