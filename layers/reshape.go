package layers

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Reshape gives each sample the shape TargetShape, keeping the batch axis
// and the order of the values, as Keras's Reshape. One entry may be −1 and
// is then inferred from the input's size.
type Reshape struct {
	base
	TargetShape []int
	fast        reshapeState
}

// NewReshape returns a Reshape layer to the given shape (without the batch
// axis).
func NewReshape(targetShape ...int) *Reshape {
	l := &Reshape{TargetShape: append([]int(nil), targetShape...)}
	if len(targetShape) == 0 {
		l.fail("target_shape must have at least one entry")
	}
	unknown := 0
	for _, d := range targetShape {
		if d == -1 {
			unknown++
		} else if d <= 0 {
			l.fail("target_shape entries must be positive or -1, got %v", targetShape)
		}
	}
	if unknown > 1 {
		l.fail("target_shape may contain only one -1, got %v", targetShape)
	}
	return l
}

func (*Reshape) ClassName() string { return "Reshape" }

func (l *Reshape) Config() spec.Args {
	return spec.Args{{Name: "target_shape", Value: shapeArg(l.TargetShape)}}
}

// Build resolves a −1 and checks that the sample's values fit the target.
func (l *Reshape) Build(in []int, _ *rand.Rand) error {
	if err := l.configErr(); err != nil {
		return shapeErr(l, "%v", err)
	}
	n, known, infer := tensor.NumElements(in), 1, -1
	for i, d := range l.TargetShape {
		if d == -1 {
			infer = i
		} else {
			known *= d
		}
	}
	out := append([]int(nil), l.TargetShape...)
	if infer >= 0 && n%known == 0 {
		out[infer] = n / known
	}
	if infer >= 0 && n%known != 0 || infer < 0 && known != n {
		return shapeErr(l, "cannot reshape input shape %s (%d values per sample) to target_shape %s (%s values)",
			batchShape(in), n, targetString(l.TargetShape), reshapeCount(known, infer >= 0))
	}
	l.outShape = out
	return nil
}

// targetString formats a target shape as a tuple, keeping its −1 (which
// tensor.ShapeString would print as None).
func targetString(v []int) string {
	parts := make([]string, len(v))
	for i, d := range v {
		parts[i] = strconv.Itoa(d)
	}
	if len(v) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// reshapeCount describes how many values a target shape holds: "12", or
// "a multiple of 12" when it has a −1.
func reshapeCount(known int, open bool) string {
	if open {
		return "a multiple of " + strconv.Itoa(known)
	}
	return strconv.Itoa(known)
}

func (l *Reshape) Call(_ *Context, x *autograd.Value) *autograd.Value {
	return autograd.Reshape(x, append([]int{x.Shape()[0]}, l.outShape...)...)
}

// reshapeState holds Reshape's re-pointed views.
type reshapeState struct {
	y, dx         tensor.Tensor
	shape, xshape []int
}

// Fast is always true: Reshape only re-views its input.
func (l *Reshape) Fast() bool { return true }

// Forward returns x viewed as (batch, TargetShape...), without copying.
func (l *Reshape) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor {
	s := &l.fast
	s.xshape = append(s.xshape[:0], x.Shape()...)
	s.shape = append(append(s.shape[:0], x.Dim(0)), l.outShape...)
	s.y.Alias(x, s.shape...)
	return &s.y
}

// Backward returns dy viewed in the input's shape.
func (l *Reshape) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	l.fast.dx.Alias(dy, l.fast.xshape...)
	return &l.fast.dx
}

func init() {
	register(entry{spec.SnakeCase("Reshape"), []string{"target_shape"}, func(r *spec.Reader) Layer {
		shape := r.IntList("target_shape", 0, nil)
		if shape == nil && r.Err() == nil {
			l := &Reshape{}
			l.fail("target_shape is required")
			return l
		}
		return NewReshape(shape...)
	}})
}
