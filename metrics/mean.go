package metrics

// Mean is a running weighted mean, Keras's metrics.Mean as the trainer uses
// it to report the loss over an epoch: each batch adds its mean loss weighted
// by its number of samples, so the result is the mean over all samples, not
// the mean of the batch means.
type Mean struct {
	base
	total, count float64
}

// NewMean returns an empty Mean reported under name (Keras uses "loss").
func NewMean(name string) *Mean { return &Mean{base: newBase(name)} }

// Add adds value with the given weight (for a batch: its mean loss and its
// sample count).
func (m *Mean) Add(value, weight float64) {
	m.total += value * weight
	m.count += weight
}

// Result is the weighted mean of the values added since the last Reset, or 0
// when nothing (or only zero weight) was added.
func (m *Mean) Result() float64 { return divideNoNaN(m.total, m.count) }

// Reset clears the total and the count.
func (m *Mean) Reset() { m.total, m.count = 0, 0 }

// Config returns the Keras configuration of the mean: its name and dtype.
func (m *Mean) Config() map[string]any { return m.config() }
