package autograd_test

import (
	"fmt"
	"os"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/tensor"
)

// A neuron z = w·x + b with a sigmoid, and the chain rule back to w and b.
func Example() {
	x := autograd.Const(tensor.FromFloat32([]float32{1, 2}, 1, 2))
	w := autograd.Param(tensor.FromFloat32([]float32{0.5, -0.25}, 2, 1), "w")
	b := autograd.Param(tensor.FromFloat32([]float32{0}, 1), "b")
	y := autograd.Sigmoid(autograd.Linear(x, w, b))
	autograd.Backward(y)
	fmt.Printf("y = %.2f\n", y.Data.Item())
	fmt.Printf("dy/dw = %.3f\n", w.Grad.Values())
	fmt.Printf("dy/db = %.3f\n", b.Grad.Values())
	// Output:
	// y = 0.50
	// dy/dw = [0.250 0.500]
	// dy/db = [0.250]
}

func ExampleWriteDOT() {
	x := autograd.Const(tensor.Zeros(2, 3))
	w := autograd.Param(tensor.Zeros(3, 4), "dense.kernel")
	_ = autograd.WriteDOT(os.Stdout, autograd.ReLU(autograd.MatMul(x, w)))
	// Output:
	// digraph G {
	//   rankdir=LR;
	//   node [shape=box, fontname="Helvetica"];
	//   n0 [label="input\n(2, 3)", style=filled, fillcolor=lightgrey];
	//   n1 [label="dense.kernel\n(3, 4)", style=filled, fillcolor=lightblue];
	//   n2 [label="matmul\n(2, 4)"];
	//   n3 [label="relu\n(2, 4)"];
	//   n0 -> n2;
	//   n1 -> n2;
	//   n2 -> n3;
	// }
}
