package kernels

import "math"

// BinOp names an elementwise binary operation.
type BinOp uint8

const (
	OpAdd BinOp = iota
	OpSub
	OpMul
	OpDiv
	OpMax // larger of the two
	OpMin // smaller of the two
	OpPow // a raised to b
)

// Binary computes dst[i] = a[i] op b[i]. The three slices have equal length;
// dst may alias a or b. For float32, add, sub, mul and div run in assembly
// when the CPU has AVX2 or AVX-512, with the same results.
func Binary[T Float](op BinOp, dst, a, b []T) {
	n := len(dst)
	a, b = a[:n], b[:n]
	if d, ok := asF32(dst); ok && binaryF32(f32Fast, op, d, any(a).([]float32), any(b).([]float32)) {
		return
	}
	binaryGo(op, dst, a, b)
}

// binaryGo is Binary in pure Go: the reference twin of its assembly.
func binaryGo[T Float](op BinOp, dst, a, b []T) {
	n := len(dst)
	a, b = a[:n], b[:n]
	switch op {
	case OpAdd:
		for i := range dst {
			dst[i] = a[i] + b[i]
		}
	case OpSub:
		for i := range dst {
			dst[i] = a[i] - b[i]
		}
	case OpMul:
		for i := range dst {
			dst[i] = a[i] * b[i]
		}
	case OpDiv:
		for i := range dst {
			dst[i] = a[i] / b[i]
		}
	default:
		for i := range dst {
			dst[i] = scalarBinary(op, a[i], b[i])
		}
	}
}

// BinaryScalar computes dst[i] = a[i] op s (or s op a[i] when swap is set).
// For float32, add, mul and a − s run in assembly when the CPU has AVX2 or
// AVX-512, with the same results.
func BinaryScalar[T Float](op BinOp, dst, a []T, s T, swap bool) {
	a = a[:len(dst)]
	if d, ok := asF32(dst); ok && binaryScalarF32(f32Fast, op, d, any(a).([]float32), float32(s), swap) {
		return
	}
	binaryScalarGo(op, dst, a, s, swap)
}

// binaryScalarGo is BinaryScalar in pure Go: the reference twin of its
// assembly.
func binaryScalarGo[T Float](op BinOp, dst, a []T, s T, swap bool) {
	a = a[:len(dst)]
	if swap {
		for i := range dst {
			dst[i] = scalarBinary(op, s, a[i])
		}
		return
	}
	switch op {
	case OpAdd:
		for i := range dst {
			dst[i] = a[i] + s
		}
	case OpMul:
		for i := range dst {
			dst[i] = a[i] * s
		}
	default:
		for i := range dst {
			dst[i] = scalarBinary(op, a[i], s)
		}
	}
}

func scalarBinary[T Float](op BinOp, x, y T) T {
	switch op {
	case OpAdd:
		return x + y
	case OpSub:
		return x - y
	case OpMul:
		return x * y
	case OpDiv:
		return x / y
	case OpMax:
		// NaN propagates, as in PyTorch's maximum.
		if x > y || x != x {
			return x
		}
		return y
	case OpMin:
		if x < y || x != x {
			return x
		}
		return y
	case OpPow:
		return T(math.Pow(float64(x), float64(y)))
	}
	panic("kernels: unknown binary op")
}

// UnOp names an elementwise unary operation.
type UnOp uint8

const (
	OpNeg UnOp = iota
	OpExp
	OpLog
	OpTanh
	OpSigmoid
	OpReLU
	OpAbs
	OpSqrt
	OpSquare
	OpSign
	OpStep       // 1 where x > 0, else 0 (the ReLU derivative)
	OpReciprocal // 1/x
	OpSoftplus   // log(1 + exp(x)), computed without overflow
)

// Unary computes dst[i] = op(a[i]); dst may alias a.
//
// For float32 on a CPU with AVX2 or AVX-512, neg, square and relu run in
// assembly with the same results, and exp, tanh, sigmoid and log run as the
// vectorised exp32, tanh32, sigmoid32 and log32 (at most 0.99, 1.33, 0.99
// and 0.83 ulp from the exact value, over every float32); otherwise they
// are computed in float64 and rounded.
func Unary[T Float](op UnOp, dst, a []T) {
	a = a[:len(dst)]
	if d, ok := asF32(dst); ok && unaryF32(f32Fast, op, d, any(a).([]float32)) {
		return
	}
	unaryGo(op, dst, a)
}

// unaryGo is Unary in pure Go: the reference twin of its assembly for the
// ops that are exact (relu, neg, square); the twins of exp, tanh, sigmoid
// and log are exp32, tanh32, sigmoid32 and log32 (elementwise_vecmath.go).
func unaryGo[T Float](op UnOp, dst, a []T) {
	a = a[:len(dst)]
	switch op {
	case OpNeg:
		for i := range dst {
			dst[i] = -a[i]
		}
	case OpReLU:
		for i := range dst {
			if a[i] > 0 {
				dst[i] = a[i]
			} else {
				dst[i] = 0
			}
		}
	case OpSquare:
		for i := range dst {
			dst[i] = a[i] * a[i]
		}
	case OpStep:
		for i := range dst {
			if a[i] > 0 {
				dst[i] = 1
			} else {
				dst[i] = 0
			}
		}
	case OpExp:
		for i := range dst {
			dst[i] = T(math.Exp(float64(a[i])))
		}
	case OpLog:
		for i := range dst {
			dst[i] = T(math.Log(float64(a[i])))
		}
	case OpTanh:
		for i := range dst {
			dst[i] = T(math.Tanh(float64(a[i])))
		}
	case OpSigmoid:
		for i := range dst {
			dst[i] = T(Sigmoid(float64(a[i])))
		}
	case OpAbs:
		for i := range dst {
			dst[i] = T(math.Abs(float64(a[i])))
		}
	case OpSqrt:
		for i := range dst {
			dst[i] = T(math.Sqrt(float64(a[i])))
		}
	case OpSign:
		for i := range dst {
			switch {
			case a[i] > 0:
				dst[i] = 1
			case a[i] < 0:
				dst[i] = -1
			default:
				dst[i] = 0
			}
		}
	case OpReciprocal:
		for i := range dst {
			dst[i] = 1 / a[i]
		}
	case OpSoftplus:
		for i := range dst {
			dst[i] = T(Softplus(float64(a[i])))
		}
	default:
		panic("kernels: unknown unary op")
	}
}

// Sigmoid is 1/(1+exp(-x)), evaluated so that neither branch overflows.
func Sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Softplus is log(1+exp(x)) = max(x,0) + log1p(exp(-|x|)), stable for any x.
func Softplus(x float64) float64 {
	return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}

// LeakyReLU computes dst[i] = a[i] if a[i] > 0 else alpha*a[i].
func LeakyReLU[T Float](dst, a []T, alpha T) {
	a = a[:len(dst)]
	if d, ok := asF32(dst); ok {
		f32Fast.leakyReLU(d, any(a).([]float32), float32(alpha))
		return
	}
	leakyReLUGo(dst, a, alpha)
}

// leakyReLUGo computes dst[i] = a[i] if a[i] > 0 else alpha*a[i].
func leakyReLUGo[T Float](dst, a []T, alpha T) {
	a = a[:len(dst)]
	for i := range dst {
		if a[i] > 0 {
			dst[i] = a[i]
		} else {
			dst[i] = alpha * a[i]
		}
	}
}

// Axpy computes y[i] += alpha*x[i]. For float32 the multiply and add may be
// fused into one rounding (the assembly kernels fuse them).
func Axpy[T Float](alpha T, x, y []T) {
	x = x[:len(y)]
	if yy, ok := asF32(y); ok {
		f32Fast.axpy(float32(alpha), any(x).([]float32), yy)
		return
	}
	axpyGo(alpha, x, y)
}

// axpyGo computes y[i] += alpha*x[i].
func axpyGo[T Float](alpha T, x, y []T) {
	x = x[:len(y)]
	for i := range y {
		y[i] += alpha * x[i]
	}
}

// ReLUBackward computes the gradient of ReLU: dx[i] = dy[i] where x[i] > 0,
// else 0 (also where x[i] is NaN). dx may alias dy or x.
func ReLUBackward[T Float](dx, dy, x []T) {
	dy, x = dy[:len(dx)], x[:len(dx)]
	if d, ok := asF32(dx); ok {
		f32Fast.reluGrad(d, any(dy).([]float32), any(x).([]float32))
		return
	}
	reluBackwardGo(dx, dy, x)
}

// ReLUBackwardInPlace turns dy into the gradient of ReLU's input, working
// from its output y = relu(x): dy[i] = 0 where y[i] <= 0. Since y > 0
// exactly where x > 0, the pre-activation need not be kept.
func ReLUBackwardInPlace[T Float](dy, y []T) { ReLUBackward(dy, dy, y) }

// reluBackwardGo computes dx[i] = dy[i] where x[i] > 0, else 0.
func reluBackwardGo[T Float](dx, dy, x []T) {
	dy, x = dy[:len(dx)], x[:len(dx)]
	for i, v := range x {
		if v > 0 {
			dx[i] = dy[i]
		} else {
			dx[i] = 0
		}
	}
}
