package data_test

import (
	"fmt"
	"log"

	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Forecast the next step of a series from the 3 steps before it, the
// recipe of Keras's timeseries_dataset_from_array: the windows come from
// series[:n-1] and the target of the window starting at row i is
// series[i+3].
func ExampleTimeseriesDatasetFromArray() {
	series := []float32{10, 11, 12, 13, 14, 15}
	n, window := len(series), 3
	x := tensor.FromFloat32(series[:n-1], n-1, 1) // (steps, features)
	y := tensor.FromFloat32(series[window:])
	ds, err := data.TimeseriesDatasetFromArray(x, y, window, data.TimeseriesOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("X", ds.X.Shape(), "Y", ds.Y.Shape())
	for k := range ds.Len() {
		fmt.Println(ds.X.Rows(k, k+1).Float32s(), "→", ds.Y.At(k))
	}
	// Output:
	// X [3 3 1] Y [3]
	// [10 11 12] → 13
	// [11 12 13] → 14
	// [12 13 14] → 15
}

func ExamplePadSequences() {
	seqs := [][]int{{1}, {2, 3}, {4, 5, 6}}
	pre, _ := data.PadSequences(seqs, data.PadOptions{}) // Keras's defaults
	post, _ := data.PadSequences(seqs, data.PadOptions{MaxLen: 2, Padding: "post", Truncating: "post"})
	fmt.Println(pre.Shape(), pre.Float32s())
	fmt.Println(post.Shape(), post.Float32s())
	// Output:
	// [3 3] [0 0 1 0 2 3 4 5 6]
	// [3 2] [1 0 2 3 4 5]
}
