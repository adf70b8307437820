package kernels

import (
	"fmt"
	"testing"
)

// TestElementwiseReadsNothingPastEnd runs every float32 kernel of every
// assembly set with all its slices ending where an inaccessible page begins
// (pageEnd, from the GEMM tests), for every tail length: a load one element
// past the end crashes the test. The results are compared with the Go twin,
// so that the test means something when it does not crash.
func TestElementwiseReadsNothingPastEnd(t *testing.T) {
	for _, k := range f32AsmKernels() {
		for n := 1; n <= 40; n++ {
			what := fmt.Sprintf("%s n=%d", k.name, n)
			a, freeA := pageEnd(t, n)
			b, freeB := pageEnd(t, n)
			d, freeD := pageEnd(t, n)
			for i := range a {
				a[i], b[i] = float32(i%7)-3, float32(i%5)-1.5
			}
			want := make([]float32, n)
			for _, mk := range mapKernels {
				mk.run(k, d, a, b)
				mk.run(f32Go, want, a, b)
				compareF32(t, mk.name+" "+what, d, want, mk.maxULP)
			}
			copy(want, d)
			k.axpy(2, a, d)
			f32Go.axpy(2, a, want)
			compareF32(t, "axpy "+what, d, want, 0) // 2·a is exact, fused or not
			if got, want := k.sum(a), f32Go.sum(a); got != want {
				t.Errorf("sum %s = %v, want %v", what, got, want)
			}
			if got, want := k.max(a), f32Go.max(a); got != want {
				t.Errorf("max %s = %v, want %v", what, got, want)
			}
			k.sumRows(d, a, 1, n)
			compareF32(t, "sumRows "+what, d, a, 0)
			k.expShiftSum(d, a, 1)
			f32Go.expShiftSum(want, a, 1)
			compareF32(t, "expShiftSum "+what, d, want, 1)
			freeA()
			freeB()
			freeD()
		}
	}
}
