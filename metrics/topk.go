package metrics

import (
	"math"

	"github.com/deepgo-dev/deepgo/tensor"
)

// inTopK is Keras's ops.in_top_k for one row: the target is in the top k when
// its score is at least the k-th largest score, so classes tied with the k-th
// score all count as in (every Keras backend compares target >= top_k
// values). A NaN target score, or a target outside [0, classes), is not in.
func inTopK(row []float64, target, k int) bool {
	if target < 0 || target >= len(row) || math.IsNaN(row[target]) {
		return false
	}
	v, greater := row[target], 0
	for _, x := range row {
		if x > v {
			greater++
		}
	}
	return greater < k
}

func checkK(name string, k int) error {
	if k < 1 {
		return argErrorf(name, "k must be at least 1, got %d", k)
	}
	return nil
}

// TopKCategoricalAccuracy is how often the argmax of the one-hot label is
// among the k highest predictions (Keras's TopKCategoricalAccuracy).
type TopKCategoricalAccuracy struct {
	base
	k          int
	acc        sampleMean
	tBuf, pBuf []float64 // the batch's values, reused by Update
}

// NewTopKCategoricalAccuracy returns a top-k accuracy; Keras's default k is 5.
func NewTopKCategoricalAccuracy(k int) (*TopKCategoricalAccuracy, error) {
	if err := checkK("top_k_categorical_accuracy", k); err != nil {
		return nil, err
	}
	return &TopKCategoricalAccuracy{base: newBase("top_k_categorical_accuracy"), k: k}, nil
}

// Update adds one batch; y_true (one-hot) and y_pred must have the same shape.
func (m *TopKCategoricalAccuracy) Update(yTrue, yPred *tensor.Tensor) error {
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
	t, p := valuesInto(&m.tBuf, yTrue), valuesInto(&m.pBuf, yPred)
	m.acc.addSamples(rows, n, func(r int) float64 {
		if inTopK(p[r*c:(r+1)*c], argmax(t[r*c:(r+1)*c]), m.k) {
			return 1
		}
		return 0
	})
	return nil
}

// Result is the fraction of rows whose label is in the top k.
func (m *TopKCategoricalAccuracy) Result() float64 { return m.acc.result() }

// Reset clears the accumulated counts.
func (m *TopKCategoricalAccuracy) Reset() { m.acc.reset() }

// Config returns name, dtype and k.
func (m *TopKCategoricalAccuracy) Config() map[string]any {
	c := m.config()
	c["k"] = m.k
	return c
}

// SparseTopKCategoricalAccuracy is how often an integer label is among the k
// highest predictions (Keras's SparseTopKCategoricalAccuracy). Labels are cast
// to integers by truncation, as Keras casts them to int32.
type SparseTopKCategoricalAccuracy struct {
	base
	k          int
	acc        sampleMean
	tBuf, pBuf []float64 // the batch's values, reused by Update
}

// NewSparseTopKCategoricalAccuracy returns a sparse top-k accuracy; Keras's
// default k is 5.
func NewSparseTopKCategoricalAccuracy(k int) (*SparseTopKCategoricalAccuracy, error) {
	if err := checkK("sparse_top_k_categorical_accuracy", k); err != nil {
		return nil, err
	}
	return &SparseTopKCategoricalAccuracy{base: newBase("sparse_top_k_categorical_accuracy"), k: k}, nil
}

// Update adds one batch of labels and class scores.
func (m *SparseTopKCategoricalAccuracy) Update(yTrue, yPred *tensor.Tensor) error {
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
	t, p := valuesInto(&m.tBuf, yTrue), valuesInto(&m.pBuf, yPred)
	m.acc.addSamples(rows, n, func(r int) float64 {
		label := -1 // NaN and out-of-range labels never match
		if t[r] > -1 && t[r] < float64(c) {
			label = int(t[r])
		}
		if inTopK(p[r*c:(r+1)*c], label, m.k) {
			return 1
		}
		return 0
	})
	return nil
}

// Result is the fraction of rows whose label is in the top k.
func (m *SparseTopKCategoricalAccuracy) Result() float64 { return m.acc.result() }

// Reset clears the accumulated counts.
func (m *SparseTopKCategoricalAccuracy) Reset() { m.acc.reset() }

// Config returns name, dtype and k.
func (m *SparseTopKCategoricalAccuracy) Config() map[string]any {
	c := m.config()
	c["k"] = m.k
	return c
}
