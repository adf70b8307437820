package saving

import (
	"fmt"
	"strings"

	"github.com/deepgo-dev/deepgo/tensor"
)

// WeightsError lists every way loaded weights differ from what a model
// expects, as PyTorch's load_state_dict(strict=True) reports them.
type WeightsError struct {
	Missing    []string        // names the model expects and the file lacks, in the model's order
	Unexpected []string        // names in the file the model does not know, in the file's order
	Duplicate  []string        // names the file holds more than once, in the file's order
	Mismatched []ShapeMismatch // names in both with different shapes, in the model's order
}

// ShapeMismatch is one weight whose shape in the file differs from the
// model's.
type ShapeMismatch struct {
	Name string
	Want []int // the model's shape
	Got  []int // the file's shape
}

// Error lists the problems, one kind after another, e.g.
// `weights do not match the model: missing "dense_1.bias"; shape mismatch
// for "dense_1.kernel": the file has (3, 2), the model expects (2, 3)`.
func (e *WeightsError) Error() string {
	var parts []string
	list := func(label string, names []string) {
		if len(names) == 0 {
			return
		}
		q := make([]string, len(names))
		for i, n := range names {
			q[i] = fmt.Sprintf("%q", n)
		}
		parts = append(parts, label+" "+strings.Join(q, ", "))
	}
	list("missing", e.Missing)
	list("unexpected", e.Unexpected)
	list("duplicate", e.Duplicate)
	for _, m := range e.Mismatched {
		parts = append(parts, fmt.Sprintf("shape mismatch for %q: the file has %s, the model expects %s",
			m.Name, tensor.ShapeString(m.Got), tensor.ShapeString(m.Want)))
	}
	return "weights do not match the model: " + strings.Join(parts, "; ")
}

// CheckWeights compares loaded tensors got with the names and shapes a
// model expects (want), strictly, as PyTorch's load_state_dict(strict=True):
// it returns a *WeightsError listing every missing, unexpected and duplicate
// name and every shape mismatch at once, or nil when they agree. Order does
// not matter and dtypes are not compared (a loader converts them).
func CheckWeights(want []NamedTensor, got []NamedTensor) error {
	e := &WeightsError{}
	gotShape := make(map[string][]int, len(got))
	for _, g := range got {
		if _, dup := gotShape[g.Name]; dup {
			e.Duplicate = append(e.Duplicate, g.Name)
			continue
		}
		gotShape[g.Name] = shapeOf(g.T)
	}
	wanted := make(map[string]bool, len(want))
	for _, w := range want {
		wanted[w.Name] = true
		s, ok := gotShape[w.Name]
		switch {
		case !ok:
			e.Missing = append(e.Missing, w.Name)
		case !tensor.SameShape(s, shapeOf(w.T)):
			e.Mismatched = append(e.Mismatched, ShapeMismatch{Name: w.Name, Want: shapeOf(w.T), Got: s})
		}
	}
	for _, g := range got {
		if !wanted[g.Name] {
			wanted[g.Name] = true // report each unexpected name once
			e.Unexpected = append(e.Unexpected, g.Name)
		}
	}
	if len(e.Missing)+len(e.Unexpected)+len(e.Duplicate)+len(e.Mismatched) == 0 {
		return nil
	}
	return e
}

// shapeOf is t's shape, or nil for a nil tensor.
func shapeOf(t *tensor.Tensor) []int {
	if t == nil {
		return nil
	}
	return t.Shape()
}
