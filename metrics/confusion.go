package metrics

import (
	"fmt"
	"sort"

	"github.com/deepgo-dev/deepgo/tensor"
)

// negInf is Keras's metrics_utils.NEG_INF: the value _filter_top_k gives to
// predictions outside the top k, and the default threshold when top_k is set.
const negInf = -1e10

// ConfusionOptions are the arguments of Precision and Recall, named as
// Keras names them (thresholds, top_k, class_id).
type ConfusionOptions struct {
	// Threshold above which a prediction counts as positive, in [0, 1]. Nil
	// means 0.5, or, when TopK is set, "any prediction in the top k".
	Threshold *float64
	// TopK, when above 0, keeps only the k highest predictions of each row
	// (ties to the lower index) and treats the others as negative.
	TopK int
	// ClassID, when set, restricts the metric to one class: column ClassID of
	// the last axis of y_true and y_pred.
	ClassID *int
}

// confusionCounts accumulates true positives, false positives and false
// negatives at one threshold, as Keras's update_confusion_matrix_variables
// does for a single threshold: y_true is cast to bool (nonzero is positive)
// and a prediction is positive when it is strictly above the threshold, the
// comparison made in float32 like Keras's float32 metric variables.
type confusionCounts struct {
	opts       ConfusionOptions
	tp, fp, fn float64
	tBuf, pBuf []float64 // the batch's values, reused by update
}

func newConfusionCounts(name string, opts ConfusionOptions) (confusionCounts, error) {
	if t := opts.Threshold; t != nil && !(*t >= 0 && *t <= 1) {
		return confusionCounts{}, argErrorf(name, "thresholds must be in [0, 1], got %v", *t)
	}
	if opts.TopK < 0 {
		return confusionCounts{}, argErrorf(name, "top_k must be at least 1, got %d", opts.TopK)
	}
	if c := opts.ClassID; c != nil && *c < 0 {
		return confusionCounts{}, argErrorf(name, "class_id must be at least 0, got %d", *c)
	}
	return confusionCounts{opts: opts}, nil
}

func (c *confusionCounts) threshold() float64 {
	switch {
	case c.opts.Threshold != nil:
		return *c.opts.Threshold
	case c.opts.TopK > 0:
		return negInf
	}
	return 0.5
}

func (c *confusionCounts) update(name string, yTrue, yPred *tensor.Tensor) error {
	shape, err := alignSame(name, yTrue, yPred)
	if err != nil {
		return err
	}
	t, p := valuesInto(&c.tBuf, yTrue), valuesInto(&c.pBuf, yPred)
	for i, v := range p {
		p[i] = float64(float32(v))
	}
	last := 1
	if len(shape) > 0 {
		last = shape[len(shape)-1]
	}
	if k := c.opts.TopK; k > 0 {
		if len(shape) == 0 || k > last {
			return fmt.Errorf("metric %q: top_k %d needs y_pred with at least %d values on its last axis, got shape %s",
				name, k, k, tensor.ShapeString(yPred.Shape()))
		}
		filterTopK(p, last, k)
	}
	if id := c.opts.ClassID; id != nil {
		if len(shape) < 2 || *id >= last {
			return fmt.Errorf("metric %q: class_id %d needs y_pred of shape (samples, classes) with more than %d classes, got shape %s",
				name, *id, *id, tensor.ShapeString(yPred.Shape()))
		}
		t, p = column(t, last, *id), column(p, last, *id)
	}
	thr := float64(float32(c.threshold()))
	var tp, fp, fn float64
	for i := range p {
		pos, label := p[i] > thr, t[i] != 0
		switch {
		case pos && label:
			tp++
		case pos:
			fp++
		case label:
			fn++
		}
	}
	c.tp, c.fp, c.fn = c.tp+tp, c.fp+fp, c.fn+fn
	return nil
}

func (c *confusionCounts) reset() { c.tp, c.fp, c.fn = 0, 0, 0 }

func (c *confusionCounts) config(cfg map[string]any) map[string]any {
	cfg["thresholds"], cfg["top_k"], cfg["class_id"] = nil, nil, nil
	if c.opts.Threshold != nil {
		cfg["thresholds"] = *c.opts.Threshold
	}
	if c.opts.TopK > 0 {
		cfg["top_k"] = c.opts.TopK
	}
	if c.opts.ClassID != nil {
		cfg["class_id"] = *c.opts.ClassID
	}
	return cfg
}

// filterTopK is Keras's _filter_top_k: in each row of width w, the k highest
// values (ties to the lower index, as top_k orders them) are kept and the
// rest become negInf.
func filterTopK(p []float64, w, k int) {
	idx := make([]int, w)
	for r := 0; r < len(p)/w; r++ {
		row := p[r*w : (r+1)*w]
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return row[idx[a]] > row[idx[b]] })
		for _, i := range idx[k:] {
			row[i] = float64(float32(negInf))
		}
	}
}

// column returns entry id of every row of width w.
func column(v []float64, w, id int) []float64 {
	out := make([]float64, len(v)/w)
	for r := range out {
		out[r] = v[r*w+id]
	}
	return out
}

// Precision is TP / (TP + FP) accumulated over batches (Keras's Precision
// with one threshold).
type Precision struct {
	base
	counts confusionCounts
}

// NewPrecision returns a precision metric with the given options.
func NewPrecision(opts ConfusionOptions) (*Precision, error) {
	c, err := newConfusionCounts("precision", opts)
	if err != nil {
		return nil, err
	}
	return &Precision{base: newBase("precision"), counts: c}, nil
}

// Update adds one batch; y_true and y_pred must have the same shape, up to a
// trailing axis of 1.
func (m *Precision) Update(yTrue, yPred *tensor.Tensor) error {
	return m.counts.update(m.name, yTrue, yPred)
}

// Result is TP / (TP + FP), or 0 when nothing was predicted positive.
func (m *Precision) Result() float64 {
	return divideNoNaN(m.counts.tp, m.counts.tp+m.counts.fp)
}

// Reset clears the counts.
func (m *Precision) Reset() { m.counts.reset() }

// Config returns name, dtype, thresholds, top_k and class_id.
func (m *Precision) Config() map[string]any { return m.counts.config(m.config()) }

// Recall is TP / (TP + FN) accumulated over batches (Keras's Recall with one
// threshold).
type Recall struct {
	base
	counts confusionCounts
}

// NewRecall returns a recall metric with the given options.
func NewRecall(opts ConfusionOptions) (*Recall, error) {
	c, err := newConfusionCounts("recall", opts)
	if err != nil {
		return nil, err
	}
	return &Recall{base: newBase("recall"), counts: c}, nil
}

// Update adds one batch; y_true and y_pred must have the same shape, up to a
// trailing axis of 1.
func (m *Recall) Update(yTrue, yPred *tensor.Tensor) error {
	return m.counts.update(m.name, yTrue, yPred)
}

// Result is TP / (TP + FN), or 0 when there were no positive labels.
func (m *Recall) Result() float64 {
	return divideNoNaN(m.counts.tp, m.counts.tp+m.counts.fn)
}

// Reset clears the counts.
func (m *Recall) Reset() { m.counts.reset() }

// Config returns name, dtype, thresholds, top_k and class_id.
func (m *Recall) Config() map[string]any { return m.counts.config(m.config()) }
