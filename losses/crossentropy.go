package losses

import (
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// logitsOf returns the logits behind yPred when from_logits is set or yPred
// came straight out of an op of the given kind, else nil.
func logitsOf(yPred *autograd.Value, fromLogits bool, kind string) *autograd.Value {
	if fromLogits {
		return yPred
	}
	if lg, k := yPred.Logits(); k == kind {
		return lg
	}
	return nil
}

// clippedLog is log(clip(p, ε, 1−ε)), Keras's guard for probabilities.
func clippedLog(p *autograd.Value) *autograd.Value {
	return autograd.Log(autograd.Clip(p, Epsilon, 1-Epsilon))
}

// BinaryCrossentropy is −[y·log p + (1−y)·log(1−p)], averaged over the last
// axis. From logits x it is softplus(x) − x·y, which never overflows.
type BinaryCrossentropy struct {
	FromLogits     bool
	LabelSmoothing float64
}

// crossentropyArgs reads from_logits and label_smoothing, the arguments
// the dense cross-entropies share.
func crossentropyArgs(name string, a spec.Args) (fromLogits bool, smoothing float64, err error) {
	if err = checkArgs(name, a, "from_logits", "label_smoothing"); err != nil {
		return
	}
	if fromLogits, err = a.Bool("from_logits", false); err != nil {
		return
	}
	if smoothing, err = a.Float("label_smoothing", 0); err != nil {
		return
	}
	if smoothing < 0 || smoothing > 1 {
		err = fmt.Errorf("%s: label_smoothing must be in [0, 1], got %v", name, smoothing)
	}
	return
}

func newBCE(a spec.Args) (Loss, error) {
	fl, ls, err := crossentropyArgs("binary_crossentropy", a)
	if err != nil {
		return nil, err
	}
	return &BinaryCrossentropy{FromLogits: fl, LabelSmoothing: ls}, nil
}

func (*BinaryCrossentropy) Name() string { return "binary_crossentropy" }
func (l *BinaryCrossentropy) Config() spec.Args {
	return spec.Args{{Name: "from_logits", Value: l.FromLogits}, {Name: "label_smoothing", Value: l.LabelSmoothing}}
}
func (l *BinaryCrossentropy) CheckTargets(y, pred []int) error {
	return sameShapeTargets(l.Name(), y, pred)
}

func (l *BinaryCrossentropy) Call(yTrue *tensor.Tensor, yPred *autograd.Value) *autograd.Value {
	y := alignTargets(yTrue, yPred.Shape())
	if l.LabelSmoothing > 0 { // y(1−ls) + ls/2, as Keras
		y = tensor.AddScalar(tensor.MulScalar(y, 1-l.LabelSmoothing), 0.5*l.LabelSmoothing)
	}
	y = y.AsType(yPred.Data.DType())
	yc := autograd.Const(y)
	if x := logitsOf(yPred, l.FromLogits, "sigmoid"); x != nil {
		return meanLast(autograd.Sub(autograd.Softplus(x), autograd.Mul(x, yc)))
	}
	oneMinus := autograd.Const(tensor.AddScalar(tensor.Neg(y), 1))
	ll := autograd.Add(autograd.Mul(yc, clippedLog(yPred)),
		autograd.Mul(oneMinus, clippedLog(autograd.AddConst(autograd.Neg(yPred), 1))))
	return meanLast(autograd.Neg(ll))
}

// CategoricalCrossentropy is −Σ y·log p over the last axis, for one-hot (or
// soft) targets. From logits it is −Σ y·log_softmax(x).
type CategoricalCrossentropy struct {
	FromLogits     bool
	LabelSmoothing float64
}

func newCCE(a spec.Args) (Loss, error) {
	fl, ls, err := crossentropyArgs("categorical_crossentropy", a)
	if err != nil {
		return nil, err
	}
	return &CategoricalCrossentropy{FromLogits: fl, LabelSmoothing: ls}, nil
}

func (*CategoricalCrossentropy) Name() string { return "categorical_crossentropy" }
func (l *CategoricalCrossentropy) Config() spec.Args {
	return spec.Args{{Name: "from_logits", Value: l.FromLogits}, {Name: "label_smoothing", Value: l.LabelSmoothing}}
}
func (l *CategoricalCrossentropy) CheckTargets(y, pred []int) error {
	if !tensor.SameShape(y, pred) {
		return fmt.Errorf("%s: one-hot targets of shape %s do not match predictions of shape %s (integer labels need sparse_categorical_crossentropy)",
			l.Name(), tensor.ShapeString(y), tensor.ShapeString(pred))
	}
	return nil
}

func (l *CategoricalCrossentropy) Call(yTrue *tensor.Tensor, yPred *autograd.Value) *autograd.Value {
	y := yTrue.AsType(yPred.Data.DType())
	if l.LabelSmoothing > 0 { // y(1−ls) + ls/k
		k := float64(yPred.Data.Dim(-1))
		y = tensor.AddScalar(tensor.MulScalar(y, 1-l.LabelSmoothing), l.LabelSmoothing/k)
	}
	yc := autograd.Const(y)
	var logp *autograd.Value
	if x := logitsOf(yPred, l.FromLogits, "softmax"); x != nil {
		logp = autograd.LogSoftmax(x)
	} else {
		// Keras renormalises probabilities to sum to 1, then clips.
		p := autograd.Div(yPred, autograd.Sum(yPred, true, -1))
		logp = clippedLog(p)
	}
	return autograd.Neg(autograd.Sum(autograd.Mul(yc, logp), false, -1))
}

// SparseCategoricalCrossentropy is −log p[label] for integer labels.
type SparseCategoricalCrossentropy struct {
	FromLogits bool
}

func newSCCE(a spec.Args) (Loss, error) {
	if err := checkArgs("sparse_categorical_crossentropy", a, "from_logits"); err != nil {
		return nil, err
	}
	fl, err := a.Bool("from_logits", false)
	if err != nil {
		return nil, err
	}
	return &SparseCategoricalCrossentropy{FromLogits: fl}, nil
}

func (*SparseCategoricalCrossentropy) Name() string { return "sparse_categorical_crossentropy" }
func (l *SparseCategoricalCrossentropy) Config() spec.Args {
	return spec.Args{{Name: "from_logits", Value: l.FromLogits}}
}

func (l *SparseCategoricalCrossentropy) CheckTargets(y, pred []int) error {
	want := pred[:len(pred)-1]
	if tensor.SameShape(y, want) || (len(y) == len(pred) && y[len(y)-1] == 1 && tensor.SameShape(y[:len(y)-1], want)) {
		return nil
	}
	return fmt.Errorf("%s: integer labels of shape %s do not match predictions of shape %s (want labels of shape %s)",
		l.Name(), tensor.ShapeString(y), tensor.ShapeString(pred), tensor.ShapeString(want))
}

// CheckLabels reports the first label that is not an integer in
// [0, classes): a label out of range would otherwise index outside the
// prediction.
func CheckLabels(y *tensor.Tensor, classes int) error {
	for i := 0; i < y.Len(); i++ {
		v := y.AtFlat(i)
		if v != math.Trunc(v) || v < 0 || v >= float64(classes) {
			return fmt.Errorf("label %v of sample %d is out of range: want an integer in [0, %d)", v, i, classes)
		}
	}
	return nil
}

func (l *SparseCategoricalCrossentropy) Call(yTrue *tensor.Tensor, yPred *autograd.Value) *autograd.Value {
	idx := make([]int, yTrue.Len())
	for i := range idx {
		idx[i] = int(yTrue.AtFlat(i))
	}
	var logp *autograd.Value
	if x := logitsOf(yPred, l.FromLogits, "softmax"); x != nil {
		logp = autograd.LogSoftmax(x)
	} else {
		logp = clippedLog(yPred)
	}
	return autograd.Neg(autograd.Pick(logp, idx))
}
