package kernels_test

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/internal/kernels"
)

// A Dense layer's forward pass and weight gradient are one Gemm each:
// Y = X·W with X a batch of 2 rows of 3 inputs and W the 3×2 kernel, then
// dW = Xᵀ·dY, reading X transposed in place.
func ExampleGemm() {
	x := []float32{
		1, 2, 3,
		4, 5, 6,
	}
	w := []float32{
		1, 0,
		0, 1,
		1, 1,
	}
	y := make([]float32, 2*2)
	kernels.Gemm(false, false, 2, 2, 3, 1, x, 3, w, 2, 0, y, 2)
	fmt.Println("Y =", y)

	dy := []float32{
		1, 0,
		0, 1,
	}
	dw := make([]float32, 3*2)
	kernels.Gemm(true, false, 3, 2, 2, 1, x, 3, dy, 2, 0, dw, 2)
	fmt.Println("dW =", dw)
	// Output:
	// Y = [4 5 10 11]
	// dW = [1 4 2 5 3 6]
}
