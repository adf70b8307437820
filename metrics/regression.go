package metrics

import (
	"math"

	"github.com/deepgo-dev/deepgo/tensor"
)

// MeanError is a per-sample error averaged over samples: Keras's
// MeanSquaredError (the mean over each sample's values of (y_true -
// y_pred)^2) or MeanAbsoluteError (of |y_true - y_pred|).
type MeanError struct {
	base
	squared bool
	acc     sampleMean
}

// NewMeanSquaredError returns an empty mean squared error.
func NewMeanSquaredError() *MeanError {
	return &MeanError{base: newBase("mean_squared_error"), squared: true}
}

// NewMeanAbsoluteError returns an empty mean absolute error.
func NewMeanAbsoluteError() *MeanError {
	return &MeanError{base: newBase("mean_absolute_error")}
}

// Update adds one batch; y_true and y_pred must have the same shape, up to a
// trailing axis of 1.
func (m *MeanError) Update(yTrue, yPred *tensor.Tensor) error {
	shape, err := alignSame(m.name, yTrue, yPred)
	if err != nil {
		return err
	}
	m.acc.addSamples(yPred.Len(), samplesOf(shape), func(i int) float64 {
		d := yTrue.AtFlat(i) - yPred.AtFlat(i)
		if m.squared {
			return d * d
		}
		return math.Abs(d)
	})
	return nil
}

// Result is the mean error per sample.
func (m *MeanError) Result() float64 { return m.acc.result() }

// Reset clears the accumulated sums.
func (m *MeanError) Reset() { m.acc.reset() }

// Config returns name and dtype.
func (m *MeanError) Config() map[string]any { return m.config() }
