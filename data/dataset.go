package data

import (
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/tensor"
)

// Dataset is an in-memory set of samples. X's first axis is samples; Y is
// nil when there are no targets. Class labels are float32 tensors of shape
// (n,) holding integer values; regression targets are float32 of shape (n,)
// or (n, k).
type Dataset struct {
	X, Y *tensor.Tensor
	// Source names where the samples came from, e.g. "mnist:train", for
	// error messages.
	Source string
	// NumClasses is the number of classes (largest label + 1) when the
	// loader knows Y holds class labels, and 0 when Y holds regression
	// targets, is absent, or its kind is unknown. It is a hint: the model's
	// output size decides, and CheckLabels verifies.
	NumClasses int
	// Texts holds the raw documents of a text dataset (text:DIR,
	// lines:FILE), one per sample; X is nil until a model's
	// TextVectorization layer has turned them into ids. Nil otherwise.
	Texts []string
	// ClassNames names the labels 0, 1, … when the loader knows them (the
	// sub-folders of text:DIR); nil otherwise.
	ClassNames []string
}

// Len returns the number of samples.
func (d *Dataset) Len() int {
	if d == nil || d.X == nil || d.X.Rank() == 0 {
		return 0
	}
	return d.X.Dim(0)
}

// Slice returns a view of samples [start, end) that shares storage with d.
// Like slicing a Go slice, it panics when the range is out of bounds.
func (d *Dataset) Slice(start, end int) *Dataset {
	s := &Dataset{NumClasses: d.NumClasses, Source: fmt.Sprintf("%s[%d:%d]", d.Source, start, end)}
	if d.X != nil { // nil in a text dataset before vectorization
		s.X = d.X.Rows(start, end)
	}
	if d.Y != nil {
		s.Y = d.Y.Rows(start, end)
	}
	if d.Texts != nil {
		s.Texts, s.ClassNames = d.Texts[start:end], d.ClassNames
	}
	return s
}

// Split holds out the last fraction frac of the samples for validation, as
// Keras's validation_split does: the training part is the first
// floor(n*(1-frac)) samples. Both parts are views of d. It returns an error
// when frac is not in (0, 1) or when either part would be empty.
func (d *Dataset) Split(frac float64) (train, val *Dataset, err error) {
	if !(frac > 0 && frac < 1) {
		return nil, nil, fmt.Errorf("data: validation split %v for %s must be between 0 and 1 (exclusive)", frac, d.Source)
	}
	n := d.Len()
	at := int(math.Floor(float64(n) * (1 - frac)))
	if at == 0 || at == n {
		return nil, nil, fmt.Errorf("data: %s has %d samples, too few to split with validation split %v", d.Source, n, frac)
	}
	return d.Slice(0, at), d.Slice(at, n), nil
}

// Validate checks that d has features and that Y, when present, has one row
// per sample. Loaders call it; code that builds a Dataset by hand may too.
func (d *Dataset) Validate() error {
	if d == nil || d.X == nil {
		return fmt.Errorf("data: dataset has no features")
	}
	if d.X.Rank() == 0 {
		return fmt.Errorf("data: %s: features are a scalar, want at least one axis (samples)", d.Source)
	}
	if d.Y != nil {
		if d.Y.Rank() == 0 || d.Y.Dim(0) != d.X.Dim(0) {
			return fmt.Errorf("data: %s: %d feature rows but targets have shape %s",
				d.Source, d.X.Dim(0), tensor.ShapeString(d.Y.Shape()))
		}
	}
	return nil
}

// CheckLabels returns an error naming the first sample whose label is not an
// integer in [0, numClasses). y holds one label per sample: shape (n,) or
// (n, 1).
func CheckLabels(y *tensor.Tensor, numClasses int) error {
	if y == nil {
		return fmt.Errorf("data: no labels: the data has no target column or file")
	}
	if numClasses <= 0 {
		return fmt.Errorf("data: number of classes %d must be positive", numClasses)
	}
	sh := y.Shape()
	if len(sh) == 0 || len(sh) > 2 || (len(sh) == 2 && sh[1] != 1) {
		return fmt.Errorf("data: class labels have shape %s, want (n,) or (n, 1)", tensor.ShapeString(sh))
	}
	for i := range y.Len() {
		v := y.AtFlat(i)
		if v != math.Trunc(v) || math.IsInf(v, 0) {
			return fmt.Errorf("data: label %v of sample %d is not an integer class index", v, i)
		}
		if v < 0 || v >= float64(numClasses) {
			return fmt.Errorf("data: label %v of sample %d is out of range [0, %d)", v, i, numClasses)
		}
	}
	return nil
}

// classCount returns largest+1 when every value of y is a non-negative
// integer (a class label), else 0. Labels above maxClasses give 0 too: such
// values are more likely regression targets than class indices.
func classCount(y *tensor.Tensor) int {
	const maxClasses = 1 << 20 // far beyond any softmax layer a dataset here would feed
	if y == nil {
		return 0
	}
	top := -1.0
	for i := range y.Len() {
		v := y.AtFlat(i)
		if v < 0 || v != math.Trunc(v) || v >= maxClasses {
			return 0
		}
		top = max(top, v)
	}
	return int(top) + 1
}
