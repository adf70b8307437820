package metrics

import (
	"fmt"
	"strings"

	"github.com/deepgo-dev/deepgo/tensor"
)

// accuracyKind is one of the three accuracies "accuracy" can stand for.
type accuracyKind string

const (
	kindUnknown     accuracyKind = ""
	kindBinary      accuracyKind = "binary_accuracy"
	kindSparse      accuracyKind = "sparse_categorical_accuracy"
	kindCategorical accuracyKind = "categorical_accuracy"
)

// kindFromShapes is Keras's is_binary_or_sparse_categorical as get_metric
// uses it: binary when y_pred's last dimension is 1, sparse categorical when
// y_true has fewer axes than y_pred or ends in 1 where y_pred does not,
// categorical otherwise.
func kindFromShapes(yTrue, yPred []int) accuracyKind {
	if len(yPred) == 0 {
		return kindUnknown
	}
	pLast := yPred[len(yPred)-1]
	tLast := -1
	if len(yTrue) > 0 {
		tLast = yTrue[len(yTrue)-1]
	}
	switch {
	case pLast == 1:
		return kindBinary
	case len(yTrue) < len(yPred) || (tLast == 1 && pLast > 1):
		return kindSparse
	}
	return kindCategorical
}

// sparseLosses take integer labels, one axis fewer than the output;
// denseLosses take targets shaped like the output. Names are compared
// lower-cased without underscores, so both the Keras function name and the
// class name match.
var (
	sparseLosses = []string{"sparsecategoricalcrossentropy"}
	denseLosses  = []string{
		"binarycrossentropy", "bce", "categoricalcrossentropy", "binaryfocalcrossentropy",
		"categoricalfocalcrossentropy", "meansquarederror", "mse", "meanabsoluteerror", "mae",
		"meanabsolutepercentageerror", "mape", "meansquaredlogarithmicerror", "msle",
		"kldivergence", "kld", "kullbackleiblerdivergence", "poisson", "hinge", "squaredhinge",
		"categoricalhinge", "huber", "logcosh", "cosinesimilarity",
	}
)

// kindFromContext resolves "accuracy" before any data arrives, from the
// output shape and what the loss says about the targets' shape; it gives
// kindUnknown when they do not decide.
func kindFromContext(ctx Context) accuracyKind {
	if len(ctx.OutputShape) == 0 {
		return kindUnknown // y_pred is (batch,): its last axis is the batch
	}
	pred := append([]int{-1}, ctx.OutputShape...)
	loss := strings.ReplaceAll(strings.ToLower(ctx.Loss), "_", "")
	for _, l := range sparseLosses {
		if loss == l {
			return kindFromShapes(pred[:len(pred)-1], pred)
		}
	}
	for _, l := range denseLosses {
		if loss == l {
			return kindFromShapes(pred, pred)
		}
	}
	if ctx.OutputShape[len(ctx.OutputShape)-1] == 1 {
		return kindBinary // whatever the targets, Keras checks this first
	}
	return kindUnknown
}

// AutoAccuracy is the metric "accuracy" (or "acc") of compile: binary,
// sparse categorical or categorical accuracy, whichever fits the model, as
// Keras's compile_utils.get_metric chooses. It is resolved from the Context
// when Get builds it and, as Keras does, from the shapes of the first batch
// (which win if they disagree). Its Name stays the identifier the user
// wrote.
type AutoAccuracy struct {
	base
	threshold float64 // for a binary accuracy
	kind      accuracyKind
	final     bool // kind came from data and will not change
	resolved  Metric
}

func newAutoAccuracy(name, dtype string, threshold float64, ctx Context) (*AutoAccuracy, error) {
	if _, err := NewBinaryAccuracy(threshold); err != nil {
		return nil, renamed(err, name)
	}
	m := &AutoAccuracy{base: base{name: name, dtype: dtype}, threshold: threshold}
	if err := m.resolve(kindFromContext(ctx)); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *AutoAccuracy) resolve(kind accuracyKind) error {
	if kind == m.kind {
		return nil
	}
	m.kind, m.resolved = kind, nil
	switch kind {
	case kindBinary:
		b, err := NewBinaryAccuracy(m.threshold)
		if err != nil {
			return renamed(err, m.name)
		}
		m.resolved = b
	case kindSparse:
		m.resolved = NewSparseCategoricalAccuracy()
	case kindCategorical:
		m.resolved = NewCategoricalAccuracy()
	}
	if r, ok := m.resolved.(configurable); ok {
		r.SetName(m.name)
		r.setDType(m.dtype)
	}
	return nil
}

// Resolved returns the Keras name of the accuracy this metric stands for
// ("binary_accuracy", "sparse_categorical_accuracy" or
// "categorical_accuracy"), or "" while neither the Context nor any batch has
// decided.
func (m *AutoAccuracy) Resolved() string { return string(m.kind) }

// Update resolves the accuracy from the first batch's shapes, then adds the
// batch to it.
func (m *AutoAccuracy) Update(yTrue, yPred *tensor.Tensor) error {
	if err := checkInputs(m.name, yTrue, yPred); err != nil {
		return err
	}
	if !m.final {
		kind := kindFromShapes(yTrue.Shape(), yPred.Shape())
		if kind == kindUnknown {
			return shapeError(m.name, yTrue.Shape(), yPred.Shape(), "accuracy needs y_pred with at least one axis")
		}
		if err := m.resolve(kind); err != nil {
			return err
		}
		m.final = true
	}
	if err := m.resolved.Update(yTrue, yPred); err != nil {
		return fmt.Errorf("%w (accuracy resolved as %s)", err, m.kind)
	}
	return nil
}

// Result is the resolved accuracy's result, 0 before any batch.
func (m *AutoAccuracy) Result() float64 {
	if m.resolved == nil {
		return 0
	}
	return m.resolved.Result()
}

// Reset clears the resolved accuracy; the resolution itself is kept.
func (m *AutoAccuracy) Reset() {
	if m.resolved != nil {
		m.resolved.Reset()
	}
}

// Config returns the resolved accuracy's configuration under the user's
// name (just name and dtype while unresolved).
func (m *AutoAccuracy) Config() map[string]any {
	if m.resolved == nil {
		return m.config()
	}
	return m.resolved.Config()
}
