// Command mnist_mlp trains the course's DNN on MNIST with the Go API: the
// same model as `deepgo train --example mnist-mlp`.
package main

import (
	"fmt"
	"log"

	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/models"
	"github.com/deepgo-dev/deepgo/optimizers"
)

func main() {
	train, err := data.LoadMNIST("train")
	if err != nil {
		log.Fatal(err)
	}
	test, err := data.LoadMNIST("test")
	if err != nil {
		log.Fatal(err)
	}

	m := models.NewSequential([]int{28, 28},
		layers.NewFlatten(),
		layers.NewDense(256), layers.NewReLU(),
		layers.NewDense(128, layers.WithActivation("relu")),
		layers.NewDense(10), layers.NewSoftmax(),
	)
	loss, err := losses.Get("sparse_categorical_crossentropy", nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Compile(optimizers.NewAdam(0.001, 0.9, 0.999, 1e-7, false), loss, "accuracy"); err != nil {
		log.Fatal(err)
	}
	if err := m.Summary(log.Writer()); err != nil {
		log.Fatal(err)
	}
	if _, err := m.Fit(train.X, train.Y, models.FitOptions{Epochs: 5, BatchSize: 128}); err != nil {
		log.Fatal(err)
	}
	logs, err := m.Evaluate(test.X, test.Y, 1000)
	if err != nil {
		log.Fatal(err)
	}
	acc, _ := logs.Get("accuracy")
	fmt.Printf("test accuracy %.4f\n", acc)
	if err := m.Save("mnist.deepgo"); err != nil {
		log.Fatal(err)
	}
}
