package metrics

import (
	"github.com/deepgo-dev/deepgo/tensor"
)

// BinaryAccuracy is how often a thresholded prediction equals its 0/1 label:
// Keras's BinaryAccuracy, y_pred > threshold compared with y_true, averaged
// over each sample's values and then over samples.
type BinaryAccuracy struct {
	base
	threshold float64
	acc       sampleMean
}

// NewBinaryAccuracy returns a binary accuracy with the given threshold, which
// must lie strictly between 0 and 1 (Keras's default is 0.5).
func NewBinaryAccuracy(threshold float64) (*BinaryAccuracy, error) {
	if !(threshold > 0 && threshold < 1) {
		return nil, argErrorf("binary_accuracy", "threshold must be in (0, 1), got %v", threshold)
	}
	return &BinaryAccuracy{base: newBase("binary_accuracy"), threshold: threshold}, nil
}

// Update adds one batch; y_true and y_pred must have the same shape, up to a
// trailing axis of 1.
func (m *BinaryAccuracy) Update(yTrue, yPred *tensor.Tensor) error {
	shape, err := alignSame(m.name, yTrue, yPred)
	if err != nil {
		return err
	}
	thr := roundLike(m.threshold, yPred.DType())
	m.acc.addSamples(yPred.Len(), samplesOf(shape), func(i int) float64 {
		pred := 0.0
		if yPred.AtFlat(i) > thr {
			pred = 1
		}
		if yTrue.AtFlat(i) == pred {
			return 1
		}
		return 0
	})
	return nil
}

// Result is the fraction of matching values.
func (m *BinaryAccuracy) Result() float64 { return m.acc.result() }

// Reset clears the accumulated counts.
func (m *BinaryAccuracy) Reset() { m.acc.reset() }

// Config returns name, dtype and threshold.
func (m *BinaryAccuracy) Config() map[string]any {
	c := m.config()
	c["threshold"] = m.threshold
	return c
}

// classLayout checks the prediction of a metric that reduces the last (class)
// axis and returns the number of rows (predictions of one class vector), of
// classes and of samples.
func classLayout(name string, yTrue, yPred *tensor.Tensor) (rows, classes, samples int, err error) {
	ps := yPred.Shape()
	if len(ps) == 0 || ps[len(ps)-1] == 0 {
		return 0, 0, 0, shapeError(name, yTrue.Shape(), ps, "y_pred needs a non-empty class axis")
	}
	classes = ps[len(ps)-1]
	return yPred.Len() / classes, classes, samplesOf(ps[:len(ps)-1]), nil
}

// checkSparseLabels checks that y_true holds one label per row of y_pred:
// shape y_pred.shape[:-1], or that with a trailing axis of 1.
func checkSparseLabels(name string, yTrue, yPred *tensor.Tensor) error {
	ps, ts := yPred.Shape(), yTrue.Shape()
	rowShape := ps[:len(ps)-1]
	if tensor.SameShape(ts, rowShape) || (len(ts) == len(ps) && ts[len(ts)-1] == 1 && tensor.SameShape(ts[:len(ts)-1], rowShape)) {
		return nil
	}
	return shapeError(name, ts, ps, "integer labels need one value per row of y_pred")
}

// CategoricalAccuracy is how often the argmax of the prediction equals the
// argmax of the one-hot label (Keras's CategoricalAccuracy; ties go to the
// first largest value, as argmax does).
type CategoricalAccuracy struct {
	base
	acc sampleMean
}

// NewCategoricalAccuracy returns an empty categorical accuracy.
func NewCategoricalAccuracy() *CategoricalAccuracy {
	return &CategoricalAccuracy{base: newBase("categorical_accuracy")}
}

// Update adds one batch; y_true (one-hot) and y_pred must have the same shape.
func (m *CategoricalAccuracy) Update(yTrue, yPred *tensor.Tensor) error {
	if err := checkInputs(m.name, yTrue, yPred); err != nil {
		return err
	}
	rows, c, n, err := classLayout(m.name, yTrue, yPred)
	if err != nil {
		return err
	}
	if !tensor.SameShape(yTrue.Shape(), yPred.Shape()) {
		return shapeError(m.name, yTrue.Shape(), yPred.Shape(), "one-hot labels must have the shape of y_pred")
	}
	// Count matches row by row without copying: this runs every
	// training step.
	var hits float64
	for r := 0; r < rows; r++ {
		if rowArgmax(yTrue, r, c) == rowArgmax(yPred, r, c) {
			hits++
		}
	}
	m.acc.addCounts(hits, rows, n)
	return nil
}

// Result is the fraction of rows whose argmaxes agree.
func (m *CategoricalAccuracy) Result() float64 { return m.acc.result() }

// Reset clears the accumulated counts.
func (m *CategoricalAccuracy) Reset() { m.acc.reset() }

// Config returns name and dtype.
func (m *CategoricalAccuracy) Config() map[string]any { return m.config() }

// SparseCategoricalAccuracy is how often the argmax of the prediction equals
// an integer label (Keras's SparseCategoricalAccuracy). Labels are floats
// holding integers, shaped (n,) or (n, 1) for predictions (n, classes); a
// label that is not exactly the argmax (2.5, or out of range) never matches.
type SparseCategoricalAccuracy struct {
	base
	acc sampleMean
}

// NewSparseCategoricalAccuracy returns an empty sparse categorical accuracy.
func NewSparseCategoricalAccuracy() *SparseCategoricalAccuracy {
	return &SparseCategoricalAccuracy{base: newBase("sparse_categorical_accuracy")}
}

// Update adds one batch of labels and class scores.
func (m *SparseCategoricalAccuracy) Update(yTrue, yPred *tensor.Tensor) error {
	if err := checkInputs(m.name, yTrue, yPred); err != nil {
		return err
	}
	rows, c, n, err := classLayout(m.name, yTrue, yPred)
	if err != nil {
		return err
	}
	if err := checkSparseLabels(m.name, yTrue, yPred); err != nil {
		return err
	}
	var hits float64
	for r := 0; r < rows; r++ {
		if yTrue.AtFlat(r) == float64(rowArgmax(yPred, r, c)) {
			hits++
		}
	}
	m.acc.addCounts(hits, rows, n)
	return nil
}

// Result is the fraction of rows whose argmax equals the label.
func (m *SparseCategoricalAccuracy) Result() float64 { return m.acc.result() }

// Reset clears the accumulated counts.
func (m *SparseCategoricalAccuracy) Reset() { m.acc.reset() }

// Config returns name and dtype.
func (m *SparseCategoricalAccuracy) Config() map[string]any { return m.config() }
