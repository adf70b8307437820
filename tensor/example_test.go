package tensor_test

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/tensor"
)

// Broadcasting adds a bias vector to every row, as in z = xW + b.
func ExampleAdd() {
	x := tensor.FromFloat32([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	b := tensor.FromFloat32([]float32{10, 20, 30})
	fmt.Println(tensor.Add(x, b).Values())
	fmt.Println(tensor.Sum(x, false, 0).Values())
	// Output:
	// [11 22 33 14 25 36]
	// [5 7 9]
}
