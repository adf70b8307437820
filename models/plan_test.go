package models

import (
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/spec"
)

// planCases are dense models on the kernel path (conv_test.go adds the
// convolutional ones).
var planCases = []planCase{
	{"course MLP", []int{6, 5}, func() []layers.Layer {
		return []layers.Layer{layers.NewFlatten(), layers.NewDense(16), layers.NewReLU(),
			layers.NewDense(8, layers.WithActivation("relu")), layers.NewDense(4), layers.NewSoftmax()}
	}, "sparse_categorical_crossentropy", nil, sparseTargets(4)},
	{"tanh sigmoid bce", []int{5}, func() []layers.Layer {
		return []layers.Layer{layers.NewDense(7, layers.WithActivation("tanh")), layers.NewDense(3, layers.WithActivation("sigmoid"))}
	}, "binary_crossentropy", nil, denseTargets(3)},
	{"dropout dense-softmax cce", []int{5}, func() []layers.Layer {
		return []layers.Layer{layers.NewDense(9, layers.WithActivation("relu")), layers.NewDropout(0.3),
			layers.NewDense(4, layers.WithActivation("softmax"))}
	}, "categorical_crossentropy", nil, oneHot(4)},
	{"leaky logits", []int{5}, func() []layers.Layer {
		return []layers.Layer{layers.NewDense(9), layers.NewLeakyReLU(0.3), layers.NewDense(4, layers.WithoutBias())}
	}, "sparse_categorical_crossentropy", spec.Args{{Name: "from_logits", Value: true}}, sparseTargets(4)},
	{"rank-3 dense", []int{3, 4}, func() []layers.Layer {
		return []layers.Layer{layers.NewDense(5, layers.WithActivation("sigmoid")), layers.NewFlatten(),
			layers.NewDense(3), layers.NewActivation("softmax")}
	}, "sparse_categorical_crossentropy", nil, sparseTargets(3)},
	{"mse regression", []int{4}, func() []layers.Layer {
		return []layers.Layer{layers.NewDense(6), layers.NewActivation("tanh"), layers.NewDense(2)}
	}, "mean_squared_error", nil, denseTargets(2)},
}

// TestPlanMatchesAutograd trains two copies of each model for a few steps,
// one through the layers' Kernels and one through the autograd graph, and
// requires the same losses, metrics and weights (to float32 rounding).
func TestPlanMatchesAutograd(t *testing.T) {
	checkPlanMatchesAutograd(t, planCases, normalBatch)
}

// TestTrainStepAllocatesNothing: a steady training step of the course's
// MLP on the kernel path allocates nothing.
func TestTrainStepAllocatesNothing(t *testing.T) {
	checkStepAllocatesNothing(t, planCases[0], normalBatch)
}
