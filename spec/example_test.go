package spec_test

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/spec"
)

func Example() {
	src := `
input: [28, 28]
layers:
  - flatten
  - dense: {units: 128, activation: relu}
  - {class_name: Dense, config: {units: 10}}
compile:
  optimizer: {adam: {learning_rate: 0.001}}
  loss: sparse_categorical_crossentropy
fit: {epochs: 5, batch_size: 128}
`
	s, err := spec.Parse([]byte(src), "model.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("input:", s.Input)
	for _, l := range s.Layers {
		fmt.Printf("layer %d (line %d): %s %v\n", l.Index, l.Line, l.Type, l.Args)
	}
	fmt.Println("optimizer:", s.Compile.Optimizer.Name, s.Compile.Optimizer.Args)
	fmt.Println("epochs:", s.Fit.Epochs)
	// Output:
	// input: [28 28]
	// layer 1 (line 4): flatten []
	// layer 2 (line 5): dense [{units 128} {activation relu}]
	// layer 3 (line 6): dense [{units 10}]
	// optimizer: adam [{learning_rate 0.001}]
	// epochs: 5
}

// A registry reads a layer's arguments with a Reader and rejects unknown
// ones with Check; both errors name the file, line and layer.
func ExampleLayer_Check() {
	s, err := spec.Parse([]byte("input: [4]\nlayers:\n  - dense: {units: 8, activaton: relu}\n"), "model.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	l := s.Layers[0]
	r := l.Reader()
	fmt.Println("units:", r.PositiveInt("units", 0), r.Err())
	fmt.Println(l.Check("units", "activation", "use_bias"))
	// Output:
	// units: 8 <nil>
	// model.yaml:3: layer 1 (dense): unknown argument "activaton" (did you mean "activation"?); allowed: units, activation, use_bias
}

func ExampleParse_error() {
	_, err := spec.Parse([]byte("input: [28, 28]\nlayers: [flatten]\nfit: {epochs: -3}\n"), "model.yaml")
	fmt.Println(err)
	// Output:
	// model.yaml:3: fit.epochs: want a positive integer, got -3
}

func ExampleSnakeCase() {
	for _, name := range []string{"Dense", "MaxPooling2D", "LeakyReLU", "batch_normalization"} {
		fmt.Println(spec.SnakeCase(name))
	}
	// Output:
	// dense
	// max_pooling2d
	// leaky_relu
	// batch_normalization
}
