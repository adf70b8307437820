package layers_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// A Dense layer builds its kernel (inputs, units) and bias on first use.
func ExampleDense() {
	d := layers.NewDense(3, layers.WithActivation("relu"))
	d.SetName("dense")
	_ = d.Build([]int{4}, rand.New(rand.NewPCG(1, 2)))
	for _, w := range d.Weights() {
		fmt.Println(w.Value.Name, w.Value.Data.Shape())
	}
	y := d.Call(&layers.Context{}, autograd.Const(tensor.Zeros(2, 4)))
	fmt.Println("output", y.Shape())
	// Output:
	// dense.kernel [4 3]
	// dense.bias [3]
	// output [2 3]
}
