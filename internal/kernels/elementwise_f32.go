package kernels

// This file holds the float32 fast paths of the generic entry points. A
// kernel set (f32Kernels) is one implementation of the float32 loops: f32Go
// is the pure-Go reference twin, always compiled; the assembly sets
// (elementwise_amd64.go) compute the same values with AVX2 or AVX-512.
// f32Fast is the best assembly set for this CPU, or nil (a -tags noasm
// build, another architecture, a CPU without AVX2 and FMA); when it is nil,
// the generic loops run for float32 as they do for float64.

// f32Kernels is one implementation of the float32 loops. Every field takes
// its length from its first slice argument; the other slices must be at
// least as long (the callers slice them first).
type f32Kernels struct {
	name string

	relu    func(dst, a []float32) // dst[i] = a[i] if a[i] > 0, else 0
	exp     func(dst, a []float32) // dst[i] = exp32(a[i])
	tanh    func(dst, a []float32) // dst[i] = tanh32(a[i])
	sigmoid func(dst, a []float32) // dst[i] = sigmoid32(a[i])
	log     func(dst, a []float32) // dst[i] = log32(a[i])

	addScalar func(dst, a []float32, s float32)     // dst[i] = a[i] + s
	mulScalar func(dst, a []float32, s float32)     // dst[i] = a[i] · s
	leakyReLU func(dst, a []float32, alpha float32) // dst[i] = a[i] if a[i] > 0, else alpha·a[i]

	add func(dst, a, b []float32) // dst[i] = a[i] + b[i]
	sub func(dst, a, b []float32) // dst[i] = a[i] − b[i]
	mul func(dst, a, b []float32) // dst[i] = a[i] · b[i]
	div func(dst, a, b []float32) // dst[i] = a[i] / b[i]

	reluGrad func(dx, dy, x []float32)           // dx[i] = dy[i] if x[i] > 0, else 0
	axpy     func(alpha float32, x, y []float32) // y[i] += alpha·x[i] (fused in assembly)
	sum      func(a []float32) float64           // Σ a[i], accumulated in float64
	max      func(a []float32) float32           // the largest a[i]; NaN if any is NaN
	sumRows  func(dst, a []float32, m, n int)    // dst[j] = Σ_i a[i·n+j], rows in order

	// expShiftSum sets dst[i] = exp32(a[i] − shift) and returns their sum,
	// accumulated in float32 in an unspecified order.
	expShiftSum func(dst, a []float32, shift float32) float32
}

// f32Go is the pure-Go reference twin of every assembly kernel set.
var f32Go = &f32Kernels{
	name:        "go",
	relu:        func(dst, a []float32) { unaryGo(OpReLU, dst, a) },
	exp:         func(dst, a []float32) { mapGo(exp32, dst, a) },
	tanh:        func(dst, a []float32) { mapGo(tanh32, dst, a) },
	sigmoid:     func(dst, a []float32) { mapGo(sigmoid32, dst, a) },
	log:         func(dst, a []float32) { mapGo(log32, dst, a) },
	addScalar:   func(dst, a []float32, s float32) { binaryScalarGo(OpAdd, dst, a, s, false) },
	mulScalar:   func(dst, a []float32, s float32) { binaryScalarGo(OpMul, dst, a, s, false) },
	leakyReLU:   leakyReLUGo[float32],
	add:         func(dst, a, b []float32) { binaryGo(OpAdd, dst, a, b) },
	sub:         func(dst, a, b []float32) { binaryGo(OpSub, dst, a, b) },
	mul:         func(dst, a, b []float32) { binaryGo(OpMul, dst, a, b) },
	div:         func(dst, a, b []float32) { binaryGo(OpDiv, dst, a, b) },
	reluGrad:    reluBackwardGo[float32],
	axpy:        axpyGo[float32],
	sum:         sumGo[float32],
	max:         maxGo[float32],
	sumRows:     sumRowsGo[float32],
	expShiftSum: expShiftSumGo,
}

// f32Fast is the assembly kernel set chosen for this CPU, nil if none.
var f32Fast = fastest(f32AsmKernels(), nil)

// mapGo sets dst[i] = f(a[i]).
func mapGo(f func(float32) float32, dst, a []float32) {
	a = a[:len(dst)]
	for i, v := range a {
		dst[i] = f(v)
	}
}

// expShiftSumGo sets dst[i] = exp32(a[i] − shift) and returns their sum,
// accumulated in float32 in an unspecified order.
func expShiftSumGo(dst, a []float32, shift float32) float32 {
	a = a[:len(dst)]
	var s float32
	for i, v := range a {
		e := exp32(v - shift)
		dst[i] = e
		s += e
	}
	return s
}

// asF32 returns s as a []float32 when T is float32 (not a type defined on
// it) and the assembly kernels are available.
func asF32[T Float](s []T) ([]float32, bool) {
	if f32Fast == nil {
		return nil, false
	}
	f, ok := any(s).([]float32)
	return f, ok
}

// unaryF32 runs Unary's op with kernel set k and reports whether k has it.
func unaryF32(k *f32Kernels, op UnOp, dst, a []float32) bool {
	switch op {
	case OpReLU:
		k.relu(dst, a)
	case OpExp:
		k.exp(dst, a)
	case OpTanh:
		k.tanh(dst, a)
	case OpSigmoid:
		k.sigmoid(dst, a)
	case OpLog:
		k.log(dst, a)
	case OpNeg:
		k.mulScalar(dst, a, -1) // exact: only the sign bit changes
	case OpSquare:
		k.mul(dst, a, a)
	default:
		return false
	}
	return true
}

// binaryF32 runs Binary's op with kernel set k and reports whether k has it.
func binaryF32(k *f32Kernels, op BinOp, dst, a, b []float32) bool {
	switch op {
	case OpAdd:
		k.add(dst, a, b)
	case OpSub:
		k.sub(dst, a, b)
	case OpMul:
		k.mul(dst, a, b)
	case OpDiv:
		k.div(dst, a, b)
	default:
		return false
	}
	return true
}

// binaryScalarF32 runs BinaryScalar's op with kernel set k and reports
// whether k has it. a − s is computed as a + (−s), which IEEE 754 defines
// to be the same number; s + a and s·a equal a + s and a·s.
func binaryScalarF32(k *f32Kernels, op BinOp, dst, a []float32, s float32, swap bool) bool {
	switch {
	case op == OpAdd:
		k.addScalar(dst, a, s)
	case op == OpMul:
		k.mulScalar(dst, a, s)
	case op == OpSub && !swap:
		k.addScalar(dst, a, -s)
	default:
		return false
	}
	return true
}
