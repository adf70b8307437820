package models_test

import (
	"fmt"
	"os"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/models"
	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Define, compile, fit and predict: learn y = 2x − 1 with one Dense unit.
func Example() {
	m := models.NewSequential([]int{1}, layers.NewDense(1))
	if err := m.Compile(optimizers.NewSGD(0.1, 0, false), losses.MeanSquaredError()); err != nil {
		panic(err)
	}
	x := tensor.FromFloat32([]float32{-1, 0, 1, 2, 3, 4}, 6, 1)
	y := tensor.FromFloat32([]float32{-3, -1, 1, 3, 5, 7}, 6, 1)
	hist, err := m.Fit(x, y, models.FitOptions{Epochs: 200, BatchSize: 6, Verbose: models.VerboseSilent})
	if err != nil {
		panic(err)
	}
	p, _ := m.Predict(tensor.FromFloat32([]float32{10}, 1, 1), 0)
	fmt.Printf("epochs run: %d\n", len(hist.Epoch))
	fmt.Printf("f(10) ≈ %.2f\n", p.Item())
	// Output:
	// epochs run: 200
	// f(10) ≈ 19.00
}

func ExampleSequential_Summary() {
	m := models.NewSequential([]int{4},
		layers.NewDense(8, layers.WithActivation("relu")),
		layers.NewDropout(0.5),
		layers.NewDense(3, layers.WithActivation("softmax")))
	_ = m.Summary(os.Stdout)
	// Output:
	// Model: "sequential"
	// ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
	// ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
	// ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
	// │ dense (Dense)                   │ (None, 8)              │            40 │
	// ├─────────────────────────────────┼────────────────────────┼───────────────┤
	// │ dropout (Dropout)               │ (None, 8)              │             0 │
	// ├─────────────────────────────────┼────────────────────────┼───────────────┤
	// │ dense_1 (Dense)                 │ (None, 3)              │            27 │
	// └─────────────────────────────────┴────────────────────────┴───────────────┘
	//  Total params: 67 (268.00 B)
	//  Trainable params: 67 (268.00 B)
	//  Non-trainable params: 0 (0.00 B)
}
