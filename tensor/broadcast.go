package tensor

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/internal/kernels"
)

// BroadcastShapes returns the NumPy broadcast of shapes a and b: aligned on
// the right, each pair of dimensions equal or one of them 1.
func BroadcastShapes(a, b []int) ([]int, error) {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 1; i <= n; i++ {
		da, db := 1, 1
		if i <= len(a) {
			da = a[len(a)-i]
		}
		if i <= len(b) {
			db = b[len(b)-i]
		}
		switch {
		case da == db || db == 1:
			out[n-i] = da
		case da == 1:
			out[n-i] = db
		default:
			return nil, fmt.Errorf("shapes %s and %s do not broadcast", ShapeString(a), ShapeString(b))
		}
	}
	return out, nil
}

func mustBroadcast(op string, a, b []int) []int {
	s, err := BroadcastShapes(a, b)
	if err != nil {
		shapePanic(op, "do not broadcast", a, b)
	}
	return s
}

func sameDType(op string, ts ...*Tensor) {
	for _, t := range ts[1:] {
		if t.dtype != ts[0].dtype {
			shapePanic(op, fmt.Sprintf("dtypes %s and %s differ", ts[0].dtype, t.dtype), ts[0].shape, t.shape)
		}
	}
}

// broadcastStrides returns the strides of a tensor of shape s read as if it
// had shape out: zero along broadcast dimensions.
func broadcastStrides(s, out []int) []int {
	st := make([]int, len(out))
	acc := 1
	for i := 1; i <= len(s); i++ {
		d := s[len(s)-i]
		if d != 1 {
			st[len(out)-i] = acc
		}
		acc *= d
	}
	return st
}

// suffixOf reports whether small equals the trailing dimensions of big
// (ignoring leading 1s of small), so it repeats along the leading axes.
func suffixOf(small, big []int) bool {
	for len(small) > 0 && small[0] == 1 && len(small) > len(big) {
		small = small[1:]
	}
	if len(small) > len(big) {
		return false
	}
	return SameShape(small, big[len(big)-len(small):])
}

func broadcastBinary[T kernels.Float](op kernels.BinOp, dst []T, out []int, a []T, as []int, b []T, bs []int) {
	switch {
	case SameShape(as, bs) || (len(a) == len(dst) && len(b) == len(dst)):
		kernels.Binary(op, dst, a, b)
	case len(b) == 1:
		kernels.BinaryScalar(op, dst, a, b[0], false)
	case len(a) == 1:
		kernels.BinaryScalar(op, dst, b, a[0], true)
	case len(a) == len(dst) && suffixOf(bs, out):
		n := len(b)
		for o := 0; o < len(dst); o += n {
			kernels.Binary(op, dst[o:o+n], a[o:o+n], b)
		}
	default:
		generalBinary(op, dst, out, a, broadcastStrides(as, out), b, broadcastStrides(bs, out))
	}
}

// generalBinary walks every output index, reading a and b through
// broadcast strides.
func generalBinary[T kernels.Float](op kernels.BinOp, dst []T, out []int, a []T, sa []int, b []T, sb []int) {
	r := len(out)
	if r == 0 || len(dst) == 0 {
		if len(dst) == 1 {
			kernels.Binary(op, dst, a[:1], b[:1])
		}
		return
	}
	idx := make([]int, r)
	ia, ib := 0, 0
	last := out[r-1]
	tmpA, tmpB := make([]T, last), make([]T, last)
	for o := 0; o < len(dst); o += last {
		for j := 0; j < last; j++ {
			tmpA[j] = a[ia+j*sa[r-1]]
			tmpB[j] = b[ib+j*sb[r-1]]
		}
		kernels.Binary(op, dst[o:o+last], tmpA, tmpB)
		// advance the index over all but the last axis
		for ax := r - 2; ax >= 0; ax-- {
			idx[ax]++
			ia += sa[ax]
			ib += sb[ax]
			if idx[ax] < out[ax] {
				break
			}
			ia -= sa[ax] * out[ax]
			ib -= sb[ax] * out[ax]
			idx[ax] = 0
		}
	}
}

// BinaryInto computes dst = a op b with broadcasting; dst must have the
// broadcast shape and may alias a or b when they have that shape.
func BinaryInto(op kernels.BinOp, dst, a, b *Tensor) {
	sameDType("Binary", dst, a, b)
	out := mustBroadcast("Binary", a.shape, b.shape)
	if !SameShape(out, dst.shape) {
		shapePanic("Binary", "destination has the wrong shape", a.shape, b.shape, dst.shape)
	}
	if dst.dtype == Float64 {
		broadcastBinary(op, dst.f64, out, a.f64, a.shape, b.f64, b.shape)
	} else {
		broadcastBinary(op, dst.f32, out, a.f32, a.shape, b.f32, b.shape)
	}
}

func binary(op kernels.BinOp, name string, a, b *Tensor) *Tensor {
	sameDType(name, a, b)
	dst := New(a.dtype, mustBroadcast(name, a.shape, b.shape)...)
	BinaryInto(op, dst, a, b)
	return dst
}

// Add returns a + b with broadcasting.
func Add(a, b *Tensor) *Tensor { return binary(kernels.OpAdd, "Add", a, b) }

// Sub returns a - b with broadcasting.
func Sub(a, b *Tensor) *Tensor { return binary(kernels.OpSub, "Sub", a, b) }

// Mul returns a * b elementwise with broadcasting.
func Mul(a, b *Tensor) *Tensor { return binary(kernels.OpMul, "Mul", a, b) }

// Div returns a / b elementwise with broadcasting.
func Div(a, b *Tensor) *Tensor { return binary(kernels.OpDiv, "Div", a, b) }

// Maximum returns the elementwise larger of a and b, with broadcasting.
func Maximum(a, b *Tensor) *Tensor { return binary(kernels.OpMax, "Maximum", a, b) }

// Minimum returns the elementwise smaller of a and b, with broadcasting.
func Minimum(a, b *Tensor) *Tensor { return binary(kernels.OpMin, "Minimum", a, b) }

// Pow returns a raised to b elementwise, with broadcasting.
func Pow(a, b *Tensor) *Tensor { return binary(kernels.OpPow, "Pow", a, b) }

// ScalarOp returns a op s for a scalar s.
func ScalarOp(op kernels.BinOp, a *Tensor, s float64) *Tensor {
	dst := ZerosLike(a)
	if a.dtype == Float64 {
		kernels.BinaryScalar(op, dst.f64, a.f64, s, false)
	} else {
		kernels.BinaryScalar(op, dst.f32, a.f32, float32(s), false)
	}
	return dst
}

// AddScalar returns a + s.
func AddScalar(a *Tensor, s float64) *Tensor { return ScalarOp(kernels.OpAdd, a, s) }

// MulScalar returns a * s.
func MulScalar(a *Tensor, s float64) *Tensor { return ScalarOp(kernels.OpMul, a, s) }

// UnaryInto computes dst = op(a); dst may be a itself.
func UnaryInto(op kernels.UnOp, dst, a *Tensor) {
	sameDType("Unary", dst, a)
	if dst.Len() != a.Len() {
		shapePanic("Unary", "element counts differ", a.shape, dst.shape)
	}
	if a.dtype == Float64 {
		kernels.Unary(op, dst.f64, a.f64)
	} else {
		kernels.Unary(op, dst.f32, a.f32)
	}
}

// Apply returns op(a) as a new tensor.
func Apply(op kernels.UnOp, a *Tensor) *Tensor {
	dst := ZerosLike(a)
	UnaryInto(op, dst, a)
	return dst
}

// Neg returns -a.
func Neg(a *Tensor) *Tensor { return Apply(kernels.OpNeg, a) }

// Exp returns e**a elementwise.
func Exp(a *Tensor) *Tensor { return Apply(kernels.OpExp, a) }

// Log returns the natural logarithm elementwise.
func Log(a *Tensor) *Tensor { return Apply(kernels.OpLog, a) }

// Tanh returns tanh elementwise.
func Tanh(a *Tensor) *Tensor { return Apply(kernels.OpTanh, a) }

// Sigmoid returns 1/(1+e**-a) elementwise.
func Sigmoid(a *Tensor) *Tensor { return Apply(kernels.OpSigmoid, a) }

// ReLU returns max(a, 0) elementwise.
func ReLU(a *Tensor) *Tensor { return Apply(kernels.OpReLU, a) }

// Abs returns |a| elementwise.
func Abs(a *Tensor) *Tensor { return Apply(kernels.OpAbs, a) }

// Sqrt returns the square root elementwise.
func Sqrt(a *Tensor) *Tensor { return Apply(kernels.OpSqrt, a) }

// Square returns a*a elementwise.
func Square(a *Tensor) *Tensor { return Apply(kernels.OpSquare, a) }

// LeakyReLU returns a where a > 0 and alpha*a elsewhere.
func LeakyReLU(a *Tensor, alpha float64) *Tensor {
	dst := ZerosLike(a)
	if a.dtype == Float64 {
		kernels.LeakyReLU(dst.f64, a.f64, alpha)
	} else {
		kernels.LeakyReLU(dst.f32, a.f32, float32(alpha))
	}
	return dst
}
