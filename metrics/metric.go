package metrics

import (
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/tensor"
)

// Metric is a stateful metric that accumulates over batches.
type Metric interface {
	// Name is the key the metric is reported under: the identifier the user
	// asked for ("accuracy", "acc", "mse"), as Keras reports it.
	Name() string
	// Update adds one batch of targets and predictions. Shapes that do not
	// fit are returned as an error naming both shapes; the state is then
	// unchanged.
	Update(yTrue, yPred *tensor.Tensor) error
	// Result is the metric over every batch since the last Reset (0 before
	// any data, as Keras's divide_no_nan gives).
	Result() float64
	// Reset clears the accumulated state.
	Reset()
	// Config returns the metric's Keras configuration (the keys of its
	// get_config). Passing it back to Get as args rebuilds the metric.
	Config() map[string]any
}

// base holds the name and dtype every metric carries.
type base struct {
	name  string
	dtype string
}

func newBase(name string) base { return base{name: name, dtype: "float32"} }

// Name returns the key the metric is reported under.
func (b *base) Name() string { return b.name }

// SetName changes the key the metric is reported under.
func (b *base) SetName(name string) { b.name = name }

func (b *base) setDType(dtype string) { b.dtype = dtype }

func (b *base) config() map[string]any {
	return map[string]any{"name": b.name, "dtype": b.dtype}
}

// argError reports a bad argument of the metric named metric.
type argError struct{ metric, msg string }

func (e *argError) Error() string { return fmt.Sprintf("metric %q: %s", e.metric, e.msg) }

func argErrorf(metric, format string, a ...any) error {
	return &argError{metric: metric, msg: fmt.Sprintf(format, a...)}
}

// shapeError reports targets and predictions whose shapes do not fit.
func shapeError(name string, yTrue, yPred []int, why string) error {
	return fmt.Errorf("metric %q: y_true shape %s does not fit y_pred shape %s: %s",
		name, tensor.ShapeString(yTrue), tensor.ShapeString(yPred), why)
}

// checkInputs rejects nil tensors.
func checkInputs(name string, yTrue, yPred *tensor.Tensor) error {
	if yTrue == nil || yPred == nil {
		return fmt.Errorf("metric %q: y_true and y_pred must both be non-nil tensors", name)
	}
	return nil
}

// squeezeOrExpand mirrors Keras's squeeze_or_expand_to_same_rank: when the
// ranks differ by one and the longer shape ends in 1, the shapes are brought
// to the same rank (a rank-1 partner gains a trailing 1, otherwise the 1 is
// dropped). Element order is unchanged, so only shapes move. The results
// may share memory with a and b (Update passes tensor shapes and runs every
// step, so nothing is copied unless a 1 is appended): treat them as
// read-only.
func squeezeOrExpand(a, b []int) ([]int, []int) {
	switch {
	case len(a) == len(b)+1 && a[len(a)-1] == 1:
		if len(b) == 1 {
			b = withTrailingOne(b[0], a)
		} else {
			a = a[:len(a)-1]
		}
	case len(b) == len(a)+1 && b[len(b)-1] == 1:
		if len(a) == 1 {
			a = withTrailingOne(a[0], b)
		} else {
			b = b[:len(b)-1]
		}
	}
	return a, b
}

// withTrailingOne returns the shape (d, 1); partner, a rank-2 shape ending
// in 1, is returned itself when it is that shape already.
func withTrailingOne(d int, partner []int) []int {
	if partner[0] == d {
		return partner
	}
	return []int{d, 1}
}

// alignSame checks that yTrue and yPred hold one value each for the same
// positions (after squeezeOrExpand) and returns the common shape.
func alignSame(name string, yTrue, yPred *tensor.Tensor) ([]int, error) {
	if err := checkInputs(name, yTrue, yPred); err != nil {
		return nil, err
	}
	t, p := squeezeOrExpand(yTrue.Shape(), yPred.Shape())
	if !tensor.SameShape(t, p) {
		return nil, shapeError(name, yTrue.Shape(), yPred.Shape(), "they must be equal (up to a trailing axis of 1)")
	}
	return p, nil
}

// samplesOf is the number of samples in a batch whose values have the given
// shape: the first axis, or 1 for a scalar.
func samplesOf(shape []int) int {
	if len(shape) == 0 {
		return 1
	}
	return shape[0]
}

// sampleMean is the state of Keras's Mean over per-sample values: a total
// and a count, so the result over uneven batches is exact.
type sampleMean struct{ total, count float64 }

// addSamples adds n samples whose values are value(0), …, value(size−1),
// n equal runs in order; each sample contributes the mean of its run (Keras
// reduces every axis but the first with a mean before summing). The values
// are computed on the fly, so that Update, which runs every training step,
// needs no slice of them.
func (m *sampleMean) addSamples(size, n int, value func(i int) float64) {
	if n == 0 {
		return
	}
	per := size / n
	for s := 0; s < n; s++ {
		sum := 0.0
		for i := s * per; i < (s+1)*per; i++ {
			sum += value(i)
		}
		m.total += sum / float64(per)
	}
	m.count += float64(n)
}

// addCounts adds n samples spread over rows equal runs holding hits ones
// in all: addSamples for 0/1 values when each sample is one row (the
// common case), without a slice of values.
func (m *sampleMean) addCounts(hits float64, rows, n int) {
	if n == 0 {
		return
	}
	if rows == n {
		m.total += hits
		m.count += float64(n)
		return
	}
	// Several rows per sample: each sample contributes the mean of its
	// rows, and the mean of means over equal runs is hits/rows per sample.
	m.total += hits / float64(rows) * float64(n)
	m.count += float64(n)
}

func (m *sampleMean) result() float64 { return divideNoNaN(m.total, m.count) }

func (m *sampleMean) reset() { *m = sampleMean{} }

// divideNoNaN is Keras's ops.divide_no_nan: 0 where the denominator is 0.
func divideNoNaN(x, y float64) float64 {
	if y == 0 {
		return 0
	}
	return x / y
}

// argmax returns the index of the first largest value, treating NaN as the
// largest, as numpy's and PyTorch's argmax do.
func argmax(row []float64) int {
	best := 0
	for i := 1; i < len(row); i++ {
		if row[i] > row[best] || (math.IsNaN(row[i]) && !math.IsNaN(row[best])) {
			best = i
		}
	}
	return best
}

// rowArgmax is argmax over row r of t viewed as (rows, c), read in place.
func rowArgmax(t *tensor.Tensor, r, c int) int {
	if t.DType() == tensor.Float32 {
		row := t.Float32s()[r*c : r*c+c]
		best := 0
		for i := 1; i < len(row); i++ {
			if row[i] > row[best] || (row[i] != row[i] && row[best] == row[best]) {
				best = i
			}
		}
		return best
	}
	row := t.Float64s()[r*c : r*c+c]
	return argmax(row)
}

// valuesInto is tensor.Values into *buf, whose memory it reuses: metrics
// that need a batch's values as float64 slices keep one buffer per input,
// so that Update, which runs every training step, allocates only while
// batches grow.
func valuesInto(buf *[]float64, t *tensor.Tensor) []float64 {
	n := t.Len()
	if cap(*buf) < n {
		*buf = make([]float64, n)
	}
	v := (*buf)[:n]
	if t.DType() == tensor.Float64 {
		copy(v, t.Float64s())
	} else {
		for i, x := range t.Float32s() {
			v[i] = float64(x)
		}
	}
	*buf = v
	return v
}

// roundLike rounds a threshold to the precision of the predictions it is
// compared with: Keras casts the threshold to y_pred's dtype.
func roundLike(v float64, dt tensor.DType) float64 {
	if dt == tensor.Float32 {
		return float64(float32(v))
	}
	return v
}
