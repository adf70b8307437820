package losses

import (
	"fmt"
	"slices"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Epsilon is Keras's backend epsilon, used to clip probabilities.
const Epsilon = 1e-7

// Loss is a per-sample loss function.
type Loss interface {
	// Name is the Keras identifier, e.g. "sparse_categorical_crossentropy".
	Name() string
	// Call returns one loss value per sample (shape (batch,)). yTrue must
	// already have passed CheckTargets.
	Call(yTrue *tensor.Tensor, yPred *autograd.Value) *autograd.Value
	// CheckTargets reports targets that do not fit predictions of the given
	// shape (batch axis included), naming both shapes.
	CheckTargets(yTrue, yPredShape []int) error
	// Config returns the Keras arguments of the loss.
	Config() spec.Args
}

// Reduce turns per-sample losses into the scalar that is minimised:
// Σ wᵢ·lᵢ / n (Keras's sum_over_batch_size). sampleWeight may be nil.
func Reduce(perSample *autograd.Value, sampleWeight *tensor.Tensor) *autograd.Value {
	if sampleWeight != nil {
		perSample = autograd.Mul(perSample, autograd.Const(sampleWeight))
	}
	return autograd.Mean(perSample, false)
}

// Compute is Reduce(l.Call(yTrue, yPred), sampleWeight).
func Compute(l Loss, yTrue *tensor.Tensor, yPred *autograd.Value, sampleWeight *tensor.Tensor) *autograd.Value {
	return Reduce(l.Call(yTrue, yPred), sampleWeight)
}

// alignTargets gives y the prediction's shape when it differs only by a
// trailing axis of 1 ((n,) targets for (n, 1) predictions), as Keras's
// squeeze_or_expand_to_same_rank does.
func alignTargets(y *tensor.Tensor, pred []int) *tensor.Tensor {
	if tensor.SameShape(y.Shape(), pred) {
		return y
	}
	if y.Len() == tensor.NumElements(pred) {
		return y.Reshape(pred...)
	}
	return y
}

func sameShapeTargets(name string, y, pred []int) error {
	if tensor.SameShape(y, pred) {
		return nil
	}
	if len(y) == len(pred)-1 && pred[len(pred)-1] == 1 && tensor.SameShape(y, pred[:len(pred)-1]) {
		return nil
	}
	if len(pred) == len(y)-1 && y[len(y)-1] == 1 && tensor.SameShape(pred, y[:len(y)-1]) {
		return nil
	}
	return fmt.Errorf("%s: targets of shape %s do not match predictions of shape %s", name, tensor.ShapeString(y), tensor.ShapeString(pred))
}

// meanLast averages the last axis, turning elementwise losses into
// per-sample ones; per-sample values pass through.
func meanLast(v *autograd.Value) *autograd.Value {
	if v.Data.Rank() <= 1 {
		return v
	}
	if v.Data.Rank() > 2 {
		v = autograd.Reshape(v, v.Data.Dim(0), -1)
	}
	return autograd.Mean(v, false, -1)
}

var registry = []struct {
	names []string
	make  func(args spec.Args) (Loss, error)
}{
	{[]string{"binary_crossentropy", "BinaryCrossentropy"}, newBCE},
	{[]string{"categorical_crossentropy", "CategoricalCrossentropy"}, newCCE},
	{[]string{"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"}, newSCCE},
	{[]string{"mean_squared_error", "mse", "MeanSquaredError"}, func(a spec.Args) (Loss, error) { return newRegression(a, "mean_squared_error") }},
	{[]string{"mean_absolute_error", "mae", "MeanAbsoluteError"}, func(a spec.Args) (Loss, error) { return newRegression(a, "mean_absolute_error") }},
	{[]string{"huber", "huber_loss", "Huber"}, newHuber},
}

// Names lists the identifiers Get accepts.
func Names() []string {
	var out []string
	for _, r := range registry {
		out = append(out, r.names[0])
	}
	return out
}

// Get builds a loss from its Keras identifier and arguments.
func Get(name string, args spec.Args) (Loss, error) {
	for _, r := range registry {
		if slices.Contains(r.names, name) {
			return r.make(args)
		}
	}
	return nil, fmt.Errorf("unknown loss %q (known: %v)", name, Names())
}

// checkArgs rejects arguments outside allowed.
func checkArgs(loss string, args spec.Args, allowed ...string) error {
	for _, a := range args {
		if !slices.Contains(allowed, a.Name) {
			return fmt.Errorf("loss %s: unknown argument %q (known: %v)", loss, a.Name, allowed)
		}
	}
	return nil
}
