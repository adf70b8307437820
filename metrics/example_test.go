package metrics_test

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/metrics"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Accuracy accumulated over two batches of different sizes is the fraction
// of all samples classified right (3 of 5), not the mean of the two batch
// accuracies ((2/3 + 1/2) / 2).
func Example() {
	acc, err := metrics.Get("accuracy", nil, metrics.Context{
		Loss:        "sparse_categorical_crossentropy",
		OutputShape: []int{3}, // three classes
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(acc.(*metrics.AutoAccuracy).Resolved())

	// Batch 1: three samples, labels 0, 1, 2; predicted classes 0, 1, 0.
	labels := tensor.FromFloat32([]float32{0, 1, 2}, 3)
	probs := tensor.FromFloat32([]float32{
		0.7, 0.2, 0.1,
		0.1, 0.8, 0.1,
		0.5, 0.2, 0.3,
	}, 3, 3)
	if err := acc.Update(labels, probs); err != nil {
		fmt.Println(err)
		return
	}
	// Batch 2: two samples, labels 2, 1; predicted classes 2, 0.
	labels = tensor.FromFloat32([]float32{2, 1}, 2)
	probs = tensor.FromFloat32([]float32{
		0.1, 0.1, 0.8,
		0.6, 0.3, 0.1,
	}, 2, 3)
	if err := acc.Update(labels, probs); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %.2f\n", acc.Name(), acc.Result())

	// A shape mistake is an error, not a panic.
	err = acc.Update(tensor.FromFloat32([]float32{0, 1}, 2), probs.Reshape(3, 2))
	fmt.Println(err)
	// Output:
	// sparse_categorical_accuracy
	// accuracy: 0.60
	// metric "accuracy": y_true shape (2,) does not fit y_pred shape (3, 2): integer labels need one value per row of y_pred (accuracy resolved as sparse_categorical_accuracy)
}

// The loss reported over an epoch is a Mean of batch losses weighted by
// batch size.
func ExampleMean() {
	loss := metrics.NewMean("loss")
	loss.Add(0.5, 32) // a batch of 32 with mean loss 0.5
	loss.Add(1.1, 8)  // the last, smaller batch
	fmt.Printf("%s: %.2f\n", loss.Name(), loss.Result())
	// Output: loss: 0.62
}

// Get builds metrics from their Keras identifiers and arguments.
func ExampleGet() {
	auc, err := metrics.Get("auc", map[string]any{"num_thresholds": 3}, metrics.Context{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The example of Keras's AUC docstring.
	yTrue := tensor.FromFloat32([]float32{0, 0, 1, 1}, 4)
	yPred := tensor.FromFloat32([]float32{0, 0.5, 0.3, 0.9}, 4)
	if err := auc.Update(yTrue, yPred); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %.2f\n", auc.Name(), auc.Result())

	_, err = metrics.Get("acuracy", nil, metrics.Context{})
	fmt.Println(err)
	// Output:
	// auc: 0.75
	// unknown metric "acuracy"; valid metrics: accuracy, acc, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, mean_squared_error, mse, mean_absolute_error, mae, precision, recall, auc (or a Keras class name such as BinaryAccuracy)
}
