package layers_test

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// MaxPooling2D with Keras's defaults halves each side, dropping an odd
// last row and column with "valid" padding; "same" keeps them (⌈5/2⌉ = 3).
func ExampleNewMaxPooling2D() {
	for _, padding := range []string{"valid", "same"} {
		l := layers.NewMaxPooling2D(layers.PoolPadding(padding))
		_ = l.Build([]int{5, 5, 16}, nil)
		fmt.Println(padding, l.OutputShape())
	}
	// Output:
	// valid [2 2 16]
	// same [3 3 16]
}

// Average pooling with "same" padding leaves the padded cells out of the
// mean, as Keras does: the last window of [1, 2, 3] is [3] alone.
func ExampleNewAveragePooling1D() {
	l := layers.NewAveragePooling1D(layers.PoolPadding("same"))
	_ = l.Build([]int{3, 1}, nil)
	x := tensor.FromFloat32([]float32{1, 2, 3}, 1, 3, 1)
	fmt.Println(l.Call(&layers.Context{}, autograd.Const(x)).Data.Values())
	// Output:
	// [1.5 3]
}
