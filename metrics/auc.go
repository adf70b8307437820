package metrics

import (
	"fmt"
	"math"
	"slices"

	"github.com/deepgo-dev/deepgo/tensor"
)

// aucEpsilon is Keras's backend.epsilon(): the endpoint thresholds are
// 0 - aucEpsilon and 1 + aucEpsilon, so predictions of exactly 0 or 1 are
// counted on the right side.
const aucEpsilon = 1e-7

// AUCOptions are the arguments of AUC, named as Keras names them.
type AUCOptions struct {
	// NumThresholds is the number of thresholds, endpoints included; 0
	// means Keras's default of 200. Ignored when Thresholds is set.
	NumThresholds int
	// Curve is "ROC" (the default when empty) or "PR".
	Curve string
	// SummationMethod is "interpolation" (the default when empty),
	// "minoring" or "majoring".
	SummationMethod string
	// Thresholds, when non-nil, are the inner thresholds, each in [0, 1];
	// the endpoints are added.
	Thresholds []float64
	// MultiLabel computes one AUC per label (column of a rank-2 y_pred) and
	// averages them; otherwise every value is one data point.
	MultiLabel bool
	// NumLabels fixes the number of labels of a multi-label AUC; 0 takes it
	// from the first batch.
	NumLabels int
	// LabelWeights weight each label (column of the last axis): in the
	// counts when MultiLabel is false, in the average of the per-label AUCs
	// when it is true.
	LabelWeights []float64
	// FromLogits applies a sigmoid to y_pred first.
	FromLogits bool
}

// AUC approximates the area under the ROC or precision-recall curve from
// confusion counts at fixed thresholds, exactly as Keras's AUC does: with
// evenly spaced thresholds each prediction, clipped to [0, 1], goes to bucket
// ceil(p * (num_thresholds - 1)) - 1 computed in float32 (at least 0), and a
// reverse cumulative sum of the buckets gives the true and false positives at
// every threshold; other thresholds are compared one by one (p > t, float32).
// The curve is then summed with Keras's Riemann rule (interpolation is the
// trapezoid rule for ROC and Davis & Goadrich's interpolation for PR).
// NaN predictions count as negative at every threshold.
type AUC struct {
	base
	opts       AUCOptions
	thresholds []float64 // endpoints included, sorted
	even       bool      // thresholds evenly spaced: bucket update
	labels     int       // columns of the counts: 1, or the multi-label width once known
	built      bool      // labels is final (always, except a multi-label AUC before its first batch)
	// Counts, indexed [threshold*labels + label].
	tp, fp, tn, fn []float64
	// Scratch reused by Update: the batch's values and updateBuckets's
	// per-batch sums.
	tBuf, pBuf, bucketBuf []float64
}

// NewAUC returns an AUC metric with the given options.
func NewAUC(opts AUCOptions) (*AUC, error) {
	const name = "auc"
	switch opts.Curve {
	case "":
		opts.Curve = "ROC"
	case "ROC", "PR":
	case "roc", "pr":
		opts.Curve = map[string]string{"roc": "ROC", "pr": "PR"}[opts.Curve]
	default:
		return nil, argErrorf(name, "curve must be \"ROC\" or \"PR\", got %q", opts.Curve)
	}
	switch opts.SummationMethod {
	case "":
		opts.SummationMethod = "interpolation"
	case "interpolation", "minoring", "majoring":
	case "Interpolation", "Minoring", "Majoring":
		opts.SummationMethod = map[string]string{"Interpolation": "interpolation", "Minoring": "minoring", "Majoring": "majoring"}[opts.SummationMethod]
	default:
		return nil, argErrorf(name, "summation_method must be \"interpolation\", \"minoring\" or \"majoring\", got %q", opts.SummationMethod)
	}
	m := &AUC{base: newBase(name), labels: 1}
	if opts.Thresholds != nil {
		inner := slices.Clone(opts.Thresholds)
		slices.Sort(inner)
		for _, t := range inner {
			if !(t >= 0 && t <= 1) {
				return nil, argErrorf(name, "thresholds must be in [0, 1], got %v", t)
			}
		}
		opts.Thresholds = inner
		opts.NumThresholds = len(inner) + 2
		m.even = evenlySpaced(append(append([]float64{0}, inner...), 1))
		m.thresholds = append(append([]float64{-aucEpsilon}, inner...), 1+aucEpsilon)
	} else {
		if opts.NumThresholds == 0 {
			opts.NumThresholds = 200
		}
		n := opts.NumThresholds
		if n <= 1 {
			return nil, argErrorf(name, "num_thresholds must be an integer > 1, got %d", n)
		}
		m.thresholds = make([]float64, n)
		m.thresholds[0], m.thresholds[n-1] = -aucEpsilon, 1+aucEpsilon
		for i := 1; i < n-1; i++ {
			m.thresholds[i] = float64(i) / float64(n-1)
		}
		m.even = true
	}
	if opts.NumLabels < 0 || (opts.NumLabels > 0 && !opts.MultiLabel) {
		return nil, argErrorf(name, "num_labels must be a positive count and needs multi_label, got %d", opts.NumLabels)
	}
	for _, w := range opts.LabelWeights {
		if !(w >= 0) {
			return nil, argErrorf(name, "label_weights must be non-negative, got %v", opts.LabelWeights)
		}
	}
	if opts.LabelWeights != nil {
		opts.LabelWeights = slices.Clone(opts.LabelWeights)
	}
	m.opts = opts
	m.built = !opts.MultiLabel || opts.NumLabels > 0
	if opts.MultiLabel && opts.NumLabels > 0 {
		m.labels = opts.NumLabels
	}
	m.allocate()
	return m, nil
}

// evenlySpaced is Keras's is_evenly_distributed_thresholds: at least 3
// values, each within atol 1e-7 and rtol 1e-5 (numpy's allclose) of
// i / (n - 1) computed in float32.
func evenlySpaced(t []float64) bool {
	n := len(t)
	if n < 3 {
		return false
	}
	for i, v := range t {
		even := float64(float32(float32(i) / float32(n-1)))
		if !(math.Abs(v-even) <= aucEpsilon+1e-5*math.Abs(even)) {
			return false
		}
	}
	return true
}

func (m *AUC) allocate() {
	size := len(m.thresholds) * m.labels
	m.tp, m.fp = make([]float64, size), make([]float64, size)
	m.tn, m.fn = make([]float64, size), make([]float64, size)
}

// Update adds one batch; y_true and y_pred must have the same shape, up to a
// trailing axis of 1, and a multi-label AUC needs y_pred of rank 2 with the
// same number of labels in every batch.
func (m *AUC) Update(yTrue, yPred *tensor.Tensor) error {
	shape, err := alignSame(m.name, yTrue, yPred)
	if err != nil {
		return err
	}
	last := 1
	if len(shape) > 0 {
		last = shape[len(shape)-1]
	}
	if m.opts.MultiLabel {
		if yPred.Rank() != 2 {
			return fmt.Errorf("metric %q: y_pred must have rank 2 (samples, labels) when multi_label is true, got shape %s",
				m.name, tensor.ShapeString(yPred.Shape()))
		}
		if !m.built {
			m.labels, m.built = yPred.Dim(1), true
			m.allocate()
		}
		if yPred.Dim(1) != m.labels {
			return fmt.Errorf("metric %q: multi-label AUC was built for %d labels, got y_pred shape %s",
				m.name, m.labels, tensor.ShapeString(yPred.Shape()))
		}
	}
	if lw := m.opts.LabelWeights; lw != nil && len(lw) != last && len(lw) != 1 {
		return fmt.Errorf("metric %q: %d label_weights do not fit y_pred shape %s",
			m.name, len(lw), tensor.ShapeString(yPred.Shape()))
	}
	t, p := valuesInto(&m.tBuf, yTrue), valuesInto(&m.pBuf, yPred)
	for i, v := range p {
		if m.opts.FromLogits {
			v = 1 / (1 + math.Exp(-v))
		}
		p[i] = float64(float32(v))
	}
	// weight returns the weight of element i (label weights apply to the
	// counts only without multi_label) and label its column in the counts.
	weight := func(i int) float64 {
		if lw := m.opts.LabelWeights; lw != nil && !m.opts.MultiLabel {
			return lw[(i%last)%len(lw)]
		}
		return 1
	}
	label := func(i int) int { return i % m.labels }
	if m.even {
		m.updateBuckets(t, p, weight, label)
	} else {
		m.updateEach(t, p, weight, label)
	}
	return nil
}

// updateBuckets is Keras's _update_confusion_matrix_variables_optimized with
// thresholds_with_epsilon.
func (m *AUC) updateBuckets(t, p []float64, weight func(int) float64, label func(int) int) {
	nt, nl := len(m.thresholds), m.labels
	buckets := nt * nl
	if cap(m.bucketBuf) < 2*buckets+2*nl {
		m.bucketBuf = make([]float64, 2*buckets+2*nl)
	}
	buf := m.bucketBuf[:2*buckets+2*nl]
	clear(buf)
	tpB, fpB := buf[:buckets], buf[buckets:2*buckets]
	totTrue, totFalse := buf[2*buckets:2*buckets+nl], buf[2*buckets+nl:]
	scale := float32(nt - 1)
	for i := range p {
		w, l, pos := weight(i), label(i), t[i] != 0
		if pos {
			totTrue[l] += w
		} else {
			totFalse[l] += w
		}
		if math.IsNaN(p[i]) {
			continue
		}
		v := float32(min(max(p[i], 0), 1))
		b := max(int(math.Ceil(float64(v*scale)))-1, 0)
		if pos {
			tpB[b*nl+l] += w
		} else {
			fpB[b*nl+l] += w
		}
	}
	for l := 0; l < nl; l++ {
		var tp, fp float64
		for j := nt - 1; j >= 0; j-- {
			tp += tpB[j*nl+l]
			fp += fpB[j*nl+l]
			k := j*nl + l
			m.tp[k] += tp
			m.fp[k] += fp
			m.fn[k] += totTrue[l] - tp
			m.tn[k] += totFalse[l] - fp
		}
	}
}

// updateEach compares every prediction with every threshold (Keras's general
// path for thresholds that are not evenly spaced).
func (m *AUC) updateEach(t, p []float64, weight func(int) float64, label func(int) int) {
	nl := m.labels
	for j, thr := range m.thresholds {
		thr32 := float64(float32(thr))
		for i := range p {
			k, w := j*nl+label(i), weight(i)
			switch pos, truth := p[i] > thr32, t[i] != 0; {
			case pos && truth:
				m.tp[k] += w
			case pos:
				m.fp[k] += w
			case truth:
				m.fn[k] += w
			default:
				m.tn[k] += w
			}
		}
	}
}

// Result is the area under the curve (the mean, or label-weighted mean, of
// the per-label areas for a multi-label AUC).
func (m *AUC) Result() float64 {
	nt, nl := len(m.thresholds), m.labels
	areas := make([]float64, nl)
	at := func(v []float64, j, l int) float64 { return v[j*nl+l] }
	for l := range areas {
		if m.opts.Curve == "PR" && m.opts.SummationMethod == "interpolation" {
			areas[l] = m.interpolatePR(l)
			continue
		}
		x, y := make([]float64, nt), make([]float64, nt)
		for j := range x {
			tp, fp, tn, fn := at(m.tp, j, l), at(m.fp, j, l), at(m.tn, j, l), at(m.fn, j, l)
			recall := divideNoNaN(tp, tp+fn)
			if m.opts.Curve == "ROC" {
				x[j], y[j] = divideNoNaN(fp, fp+tn), recall
			} else {
				x[j], y[j] = recall, divideNoNaN(tp, tp+fp)
			}
		}
		for j := 0; j < nt-1; j++ {
			var h float64
			switch m.opts.SummationMethod {
			case "interpolation":
				h = (y[j] + y[j+1]) / 2
			case "minoring":
				h = min(y[j], y[j+1])
			default:
				h = max(y[j], y[j+1])
			}
			areas[l] += (x[j] - x[j+1]) * h
		}
	}
	if !m.opts.MultiLabel {
		return areas[0]
	}
	lw := m.opts.LabelWeights
	if lw == nil {
		sum := 0.0
		for _, a := range areas {
			sum += a
		}
		return sum / float64(nl)
	}
	var num, den float64
	for l, a := range areas {
		w := lw[l%len(lw)]
		num += a * w
		den += w
	}
	return divideNoNaN(num, den)
}

// interpolatePR is Keras's interpolate_pr_auc for label l: Davis & Goadrich
// (2006) interpolation of precision between thresholds, in closed form.
func (m *AUC) interpolatePR(l int) float64 {
	nl := m.labels
	at := func(v []float64, j int) float64 { return v[j*nl+l] }
	area := 0.0
	for j := 0; j < len(m.thresholds)-1; j++ {
		tpA, tpB := at(m.tp, j), at(m.tp, j+1)
		pA, pB := tpA+at(m.fp, j), tpB+at(m.fp, j+1)
		dtp := tpA - tpB
		slope := divideNoNaN(dtp, max(pA-pB, 0))
		intercept := tpB - slope*pB
		ratio := 1.0
		if pA > 0 && pB > 0 {
			ratio = divideNoNaN(pA, max(pB, 0))
		}
		area += divideNoNaN(slope*(dtp+intercept*math.Log(ratio)), max(tpB+at(m.fn, j+1), 0))
	}
	return area
}

// Reset clears the counts (a multi-label AUC keeps its number of labels, as
// Keras's does).
func (m *AUC) Reset() {
	for _, v := range [][]float64{m.tp, m.fp, m.tn, m.fn} {
		clear(v)
	}
}

// Config returns the Keras configuration: name, dtype, num_thresholds,
// curve, summation_method, multi_label, num_labels, label_weights,
// from_logits, and thresholds when they were given.
func (m *AUC) Config() map[string]any {
	c := m.config()
	c["num_thresholds"] = m.opts.NumThresholds
	c["curve"] = m.opts.Curve
	c["summation_method"] = m.opts.SummationMethod
	c["multi_label"] = m.opts.MultiLabel
	c["num_labels"] = nil
	if m.opts.NumLabels > 0 {
		c["num_labels"] = m.opts.NumLabels
	}
	c["label_weights"] = nil
	if m.opts.LabelWeights != nil {
		c["label_weights"] = slices.Clone(m.opts.LabelWeights)
	}
	c["from_logits"] = m.opts.FromLogits
	if m.opts.Thresholds != nil {
		c["thresholds"] = slices.Clone(m.opts.Thresholds)
	}
	return c
}
