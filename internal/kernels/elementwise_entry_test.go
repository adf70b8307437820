package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// These tests go through the exported generic entry points, which take the
// assembly path for float32 when there is one (and the generic loops in a
// -tags noasm build): float32 results must agree with float64 ones rounded
// to float32, exactly for the exact ops and within the stated ulp for exp,
// tanh, sigmoid and log.

// entryULP is how far a float32 result may be from the rounded float64 one.
func entryULP(op UnOp) float64 {
	switch op {
	case OpExp, OpSigmoid, OpLog:
		return 1
	case OpTanh:
		return 2
	}
	return 0
}

func toF64(a []float32) []float64 {
	b := make([]float64, len(a))
	for i, v := range a {
		b[i] = float64(v)
	}
	return b
}

func roundF32(a []float64) []float32 {
	b := make([]float32, len(a))
	for i, v := range a {
		b[i] = float32(v)
	}
	return b
}

func TestUnaryFloat32(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for op := OpNeg; op <= OpSoftplus; op++ {
		for _, n := range []int{0, 1, 15, 16, 17, 100} {
			a := make([]float32, n)
			randInput(r, a, true)
			got := make([]float32, n)
			Unary(op, got, a)
			want64 := make([]float64, n)
			Unary(op, want64, toF64(a))
			compareF32(t, fmt.Sprintf("Unary(%d) n=%d", op, n), got, roundF32(want64), entryULP(op))
		}
	}
}

func TestBinaryFloat32(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for op := OpAdd; op <= OpPow; op++ {
		for _, n := range []int{0, 1, 15, 16, 17, 100} {
			a, b := make([]float32, n), make([]float32, n)
			randInput(r, a, true)
			randInput(r, b, true)
			got := make([]float32, n)
			Binary(op, got, a, b)
			want64 := make([]float64, n)
			Binary(op, want64, toF64(a), toF64(b))
			compareF32(t, fmt.Sprintf("Binary(%d) n=%d", op, n), got, roundF32(want64), 0)
			for _, swap := range []bool{false, true} {
				for _, s := range []float32{2.5, -0.0, float32(math.Inf(1))} {
					BinaryScalar(op, got, a, s, swap)
					BinaryScalar(op, want64, toF64(a), float64(s), swap)
					compareF32(t, fmt.Sprintf("BinaryScalar(%d, %v, swap=%v) n=%d", op, s, swap, n), got, roundF32(want64), 0)
				}
			}
		}
	}
}

// TestOtherEntryPoints checks LeakyReLU, ReLUBackward, ReLUBackwardInPlace,
// Axpy, SumRows, AddRowVector, Sum and Max for float32 against float64.
func TestOtherEntryPoints(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	const m, n = 7, 37
	a, b := make([]float32, m*n), make([]float32, m*n)
	randInput(r, a, true)
	randInput(r, b, true)
	a64, b64 := toF64(a), toF64(b)
	got, want := make([]float32, m*n), make([]float64, m*n)

	LeakyReLU(got, a, 0.2)
	LeakyReLU(want, a64, float64(float32(0.2)))
	compareF32(t, "LeakyReLU", got, roundF32(want), 0)

	ReLUBackward(got, b, a)
	ReLUBackward(want, b64, a64)
	compareF32(t, "ReLUBackward", got, roundF32(want), 0)

	// ReLUBackwardInPlace works from y = relu(x) and must give the same.
	y := make([]float32, m*n)
	Unary(OpReLU, y, a)
	copy(got, b)
	ReLUBackwardInPlace(got, y)
	compareF32(t, "ReLUBackwardInPlace", got, roundF32(want), 0)

	copy(got, b)
	Axpy(0.5, a, got) // alpha = 0.5: the product is exact, so fused or not agree
	copy(want, b64)
	Axpy(0.5, a64, want)
	compareF32(t, "Axpy", got, roundF32(want), 0)

	randInput(r, a, false)
	a64 = toF64(a)
	sr, sr64 := make([]float32, n), make([]float64, n)
	SumRows(sr, a, m, n)
	SumRows(sr64, a64, m, n)
	for j := range sr {
		if math.Abs(float64(sr[j])-sr64[j]) > m*0x1p-24*math.Abs(sr64[j])+1e-6 {
			t.Errorf("SumRows[%d] = %v, want %v", j, sr[j], sr64[j])
		}
	}

	copy(got, a)
	AddRowVector(got, b[:n], m, n)
	copy(want, a64)
	AddRowVector(want, b64[:n], m, n)
	compareF32(t, "AddRowVector", got, roundF32(want), 0)

	if s, s64 := Sum(a), Sum(a64); math.Abs(s-s64) > 1e-9*math.Abs(s64)+1e-9 {
		t.Errorf("Sum = %v, want %v", s, s64)
	}
	if mx, mx64 := Max(a), Max(a64); float64(mx) != mx64 {
		t.Errorf("Max = %v, want %v", mx, mx64)
	}
}

// celsius is a type defined on float32: the generic loops serve it.
type celsius float32

func TestDefinedType(t *testing.T) {
	a := []celsius{-1, 2, 3}
	Unary(OpReLU, a, a)
	if a[0] != 0 || a[1] != 2 || Max(a) != 3 || Sum(a) != 5 {
		t.Errorf("relu of a defined type = %v", a)
	}
}

// TestEntryPointsNoAlloc checks that the float32 entry points, fast path or
// not, do not allocate.
func TestEntryPointsNoAlloc(t *testing.T) {
	const m, n = 4, 100
	a, b, c := make([]float32, m*n), make([]float32, m*n), make([]float32, m*n)
	labels := make([]float32, m)
	calls := []struct {
		name string
		f    func()
	}{
		{"Unary", func() { Unary(OpTanh, c, a) }},
		{"Binary", func() { Binary(OpMul, c, a, b) }},
		{"BinaryScalar", func() { BinaryScalar(OpAdd, c, a, 2, false) }},
		{"LeakyReLU", func() { LeakyReLU(c, a, 0.1) }},
		{"Axpy", func() { Axpy(2, a, c) }},
		{"ReLUBackward", func() { ReLUBackward(c, b, a) }},
		{"SumRows", func() { SumRows(c[:n], a, m, n) }},
		{"AddRowVector", func() { AddRowVector(c, b[:n], m, n) }},
		{"Sum", func() { Sum(a) }},
		{"Max", func() { Max(a) }},
		{"SoftmaxRows", func() { SoftmaxRows(c, a, m, n) }},
		{"LogSoftmaxRows", func() { LogSoftmaxRows(c, a, m, n) }},
		{"SoftmaxCrossEntropyRows", func() { SoftmaxCrossEntropyRows(b, c, a, labels, m, n, 0.25) }},
		{"SoftmaxCrossEntropyRows without probs", func() { SoftmaxCrossEntropyRows(nil, c, a, labels, m, n, 0.25) }},
	}
	for _, c := range calls {
		if allocs := testing.AllocsPerRun(10, c.f); allocs != 0 {
			t.Errorf("%s: %v allocations per call, want 0", c.name, allocs)
		}
	}
}
