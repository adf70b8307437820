package tensor

import (
	"fmt"
	"strings"
)

// DType is the element type of a tensor.
type DType uint8

const (
	Float32 DType = iota // the default, used for training and inference
	Float64              // used where finite-difference gradient checks need precision
)

func (d DType) String() string {
	switch d {
	case Float32:
		return "float32"
	case Float64:
		return "float64"
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// Tensor is a contiguous row-major N-d array. Exactly one of the storage
// slices is in use, chosen by dtype.
type Tensor struct {
	shape []int
	dtype DType
	f32   []float32
	f64   []float64
}

// ShapeError reports misuse inside the numeric core: the operation and the
// shapes it was given.
type ShapeError struct {
	Op     string
	Shapes [][]int
	Msg    string
}

func (e *ShapeError) Error() string {
	parts := make([]string, len(e.Shapes))
	for i, s := range e.Shapes {
		parts[i] = ShapeString(s)
	}
	msg := fmt.Sprintf("tensor.%s: shapes %s", e.Op, strings.Join(parts, ", "))
	if e.Msg != "" {
		msg += ": " + e.Msg
	}
	return msg
}

func shapePanic(op, msg string, shapes ...[]int) {
	panic(&ShapeError{Op: op, Shapes: shapes, Msg: msg})
}

// ShapeString formats a shape as Keras prints it, e.g. (28, 28).
func ShapeString(s []int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, d := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		if d < 0 {
			b.WriteString("None")
		} else {
			fmt.Fprint(&b, d)
		}
	}
	if len(s) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}

// NumElements is the product of the dimensions of shape (1 for a scalar).
func NumElements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func checkShape(op string, shape []int) {
	for _, d := range shape {
		if d < 0 {
			shapePanic(op, "negative dimension", shape)
		}
	}
}

// New returns a zero-filled tensor of the given dtype and shape.
func New(dtype DType, shape ...int) *Tensor {
	checkShape("New", shape)
	t := &Tensor{shape: append([]int(nil), shape...), dtype: dtype}
	n := NumElements(shape)
	if dtype == Float64 {
		t.f64 = make([]float64, n)
	} else {
		t.f32 = make([]float32, n)
	}
	return t
}

// Zeros returns a zero-filled float32 tensor.
func Zeros(shape ...int) *Tensor { return New(Float32, shape...) }

// Full returns a float32 tensor with every element set to v.
func Full(v float32, shape ...int) *Tensor {
	t := Zeros(shape...)
	for i := range t.f32 {
		t.f32[i] = v
	}
	return t
}

// Scalar returns a rank-0 float32 tensor.
func Scalar(v float32) *Tensor { return FromFloat32([]float32{v}) }

// FromFloat32 wraps data (not copied) as a tensor of the given shape. With no
// shape, data becomes a vector (or a scalar when it has one element and the
// shape is given as empty explicitly by Scalar).
func FromFloat32(data []float32, shape ...int) *Tensor {
	return &Tensor{shape: dataShape("FromFloat32", len(data), shape), dtype: Float32, f32: data}
}

// FromFloat64 wraps data (not copied) as a float64 tensor of the given shape.
func FromFloat64(data []float64, shape ...int) *Tensor {
	return &Tensor{shape: dataShape("FromFloat64", len(data), shape), dtype: Float64, f64: data}
}

// dataShape returns a copy of the shape that FromFloat32 and FromFloat64
// (op) give n values: shape, or with none a vector of n, or a scalar when
// n is 1. It panics when shape is invalid or n values do not fill it.
func dataShape(op string, n int, shape []int) []int {
	if shape == nil {
		if n == 1 {
			shape = []int{}
		} else {
			shape = []int{n}
		}
	}
	checkShape(op, shape)
	if NumElements(shape) != n {
		shapePanic(op, fmt.Sprintf("%d values do not fill the shape", n), shape)
	}
	return append([]int{}, shape...)
}

// Shape returns the tensor's dimensions. The slice must not be modified.
func (t *Tensor) Shape() []int { return t.shape }

// Dim returns dimension i; negative i counts from the end.
func (t *Tensor) Dim(i int) int {
	if i < 0 {
		i += len(t.shape)
	}
	return t.shape[i]
}

// Rank is the number of dimensions.
func (t *Tensor) Rank() int { return len(t.shape) }

// Len is the number of elements.
func (t *Tensor) Len() int {
	if t.dtype == Float64 {
		return len(t.f64)
	}
	return len(t.f32)
}

// DType returns the element type.
func (t *Tensor) DType() DType { return t.dtype }

// Float32s returns the float32 storage (shared, not copied). It panics for a
// float64 tensor.
func (t *Tensor) Float32s() []float32 {
	if t.dtype != Float32 {
		shapePanic("Float32s", "tensor is "+t.dtype.String(), t.shape)
	}
	return t.f32
}

// Float64s returns the float64 storage (shared, not copied). It panics for a
// float32 tensor.
func (t *Tensor) Float64s() []float64 {
	if t.dtype != Float64 {
		shapePanic("Float64s", "tensor is "+t.dtype.String(), t.shape)
	}
	return t.f64
}

// Values returns a float64 copy of the elements, whatever the dtype.
func (t *Tensor) Values() []float64 {
	out := make([]float64, t.Len())
	if t.dtype == Float64 {
		copy(out, t.f64)
	} else {
		for i, v := range t.f32 {
			out[i] = float64(v)
		}
	}
	return out
}

// Item returns the value of a one-element tensor.
func (t *Tensor) Item() float64 {
	if t.Len() != 1 {
		shapePanic("Item", "tensor has more than one element", t.shape)
	}
	return t.AtFlat(0)
}

// AtFlat returns element i of the flat storage as float64.
func (t *Tensor) AtFlat(i int) float64 {
	if t.dtype == Float64 {
		return t.f64[i]
	}
	return float64(t.f32[i])
}

// SetFlat sets element i of the flat storage.
func (t *Tensor) SetFlat(i int, v float64) {
	if t.dtype == Float64 {
		t.f64[i] = v
	} else {
		t.f32[i] = float32(v)
	}
}

func (t *Tensor) offset(op string, idx []int) int {
	if len(idx) != len(t.shape) {
		shapePanic(op, fmt.Sprintf("%d indices for rank %d", len(idx), len(t.shape)), t.shape)
	}
	off := 0
	for i, x := range idx {
		if x < 0 || x >= t.shape[i] {
			shapePanic(op, fmt.Sprintf("index %v out of range", idx), t.shape)
		}
		off = off*t.shape[i] + x
	}
	return off
}

// At returns the element at the given index as float64.
func (t *Tensor) At(idx ...int) float64 { return t.AtFlat(t.offset("At", idx)) }

// Set sets the element at the given index.
func (t *Tensor) Set(v float64, idx ...int) { t.SetFlat(t.offset("Set", idx), v) }

// Clone returns a deep copy.
func (t *Tensor) Clone() *Tensor {
	c := &Tensor{shape: append([]int{}, t.shape...), dtype: t.dtype}
	if t.dtype == Float64 {
		c.f64 = append([]float64(nil), t.f64...)
	} else {
		c.f32 = append([]float32(nil), t.f32...)
	}
	return c
}

// CopyFrom copies src's elements into t; shapes must hold the same number of
// elements and dtypes may differ.
func (t *Tensor) CopyFrom(src *Tensor) {
	if t.Len() != src.Len() {
		shapePanic("CopyFrom", "element counts differ", t.shape, src.shape)
	}
	switch {
	case t.dtype == Float32 && src.dtype == Float32:
		copy(t.f32, src.f32)
	case t.dtype == Float64 && src.dtype == Float64:
		copy(t.f64, src.f64)
	case t.dtype == Float32:
		for i, v := range src.f64 {
			t.f32[i] = float32(v)
		}
	default:
		for i, v := range src.f32 {
			t.f64[i] = float64(v)
		}
	}
}

// AsType returns t converted to dtype (t itself when it already has it).
func (t *Tensor) AsType(dtype DType) *Tensor {
	if t.dtype == dtype {
		return t
	}
	c := New(dtype, t.shape...)
	c.CopyFrom(t)
	return c
}

// ZerosLike returns a zero tensor of t's shape and dtype.
func ZerosLike(t *Tensor) *Tensor { return New(t.dtype, t.shape...) }

// Fill sets every element to v.
func (t *Tensor) Fill(v float64) {
	if t.dtype == Float64 {
		for i := range t.f64 {
			t.f64[i] = v
		}
		return
	}
	f := float32(v)
	for i := range t.f32 {
		t.f32[i] = f
	}
}

// Reshape returns a view with a new shape holding the same elements. One
// dimension may be -1 and is then inferred.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	shape = append([]int(nil), shape...)
	infer, known := -1, 1
	for i, d := range shape {
		if d == -1 {
			if infer >= 0 {
				shapePanic("Reshape", "more than one -1", t.shape, shape)
			}
			infer = i
		} else if d < 0 {
			shapePanic("Reshape", "negative dimension", t.shape, shape)
		} else {
			known *= d
		}
	}
	if infer >= 0 {
		if known == 0 || t.Len()%known != 0 {
			shapePanic("Reshape", "cannot infer -1", t.shape, shape)
		}
		shape[infer] = t.Len() / known
	}
	if NumElements(shape) != t.Len() {
		shapePanic("Reshape", "element counts differ", t.shape, shape)
	}
	return &Tensor{shape: shape, dtype: t.dtype, f32: t.f32, f64: t.f64}
}

// Rows returns a view of rows [start, end) along the first axis.
func (t *Tensor) Rows(start, end int) *Tensor {
	if len(t.shape) == 0 || start < 0 || end > t.shape[0] || start > end {
		shapePanic("Rows", fmt.Sprintf("rows [%d, %d)", start, end), t.shape)
	}
	row := 1
	for _, d := range t.shape[1:] {
		row *= d
	}
	shape := append([]int{end - start}, t.shape[1:]...)
	v := &Tensor{shape: shape, dtype: t.dtype}
	if t.dtype == Float64 {
		v.f64 = t.f64[start*row : end*row : end*row]
	} else {
		v.f32 = t.f32[start*row : end*row : end*row]
	}
	return v
}

// SameShape reports whether a and b have identical shapes.
func SameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// String prints the shape, dtype and (for small tensors) the values.
func (t *Tensor) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tensor%s %s", ShapeString(t.shape), t.dtype)
	if t.Len() <= 16 {
		fmt.Fprintf(&b, " %v", t.Values())
	}
	return b.String()
}

// Alias makes t a view of src's storage with the given shape, reusing t's
// own shape slice: Reshape without allocating, for hot loops that re-view
// a new batch every step.
func (t *Tensor) Alias(src *Tensor, shape ...int) {
	if NumElements(shape) != src.Len() {
		// A copy, so that shape does not escape and callers' variadic
		// arguments stay on the stack.
		shapePanic("Alias", "element counts differ", src.shape, append([]int(nil), shape...))
	}
	t.shape = append(t.shape[:0], shape...)
	t.dtype, t.f32, t.f64 = src.dtype, src.f32, src.f64
}
