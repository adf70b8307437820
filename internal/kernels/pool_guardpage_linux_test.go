package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestMaxPoolReadsNothingPastEnd runs the max-pooling kernels of every
// assembly set with x, y, arg, dy and dx each ending where an inaccessible
// page begins (pageEnd, from the GEMM tests), for channel counts that leave
// every tail length of a group: a load or store one element past the end
// crashes the test. The results are compared with the Go twins.
func TestMaxPoolReadsNothingPastEnd(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, ks := range poolAsmKernels() {
		for c := 1; c <= 17; c++ {
			g := NewPool2D(1, []int{5, 5}, c, []int{2, 2}, []int{2, 2}, true)
			nIn, nOut := g.InLen(), g.OutLen()
			x, freeX := pageEnd(t, nIn)
			y, freeY := pageEnd(t, nOut)
			argF, freeArg := pageEnd(t, nOut)
			arg := unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(argF))), nOut)
			dx, freeDX := pageEnd(t, nIn)
			poolInput(r, x, true)
			yWant, argWant, dxWant := make([]float32, nOut), make([]int32, nOut), make([]float32, nIn)
			maxPool2DGo(g, yWant, argWant, x)
			maxPool2DRuns(g, y, arg, x, ks.maxRun)
			maxPool2DBackwardGo(g, dxWant, argWant, yWant)
			maxPool2DBackwardRuns(g, dx, arg, y, ks.maxBackRun)
			what := fmt.Sprintf("%s C=%d", ks.name, c)
			if i := sameBits32(y, yWant); i >= 0 {
				t.Errorf("%s: y[%d] = %v, want %v", what, i, y[i], yWant[i])
			}
			if i := sameBits32(dx, dxWant); i >= 0 {
				t.Errorf("%s: dx[%d] = %v, want %v", what, i, dx[i], dxWant[i])
			}
			freeX()
			freeY()
			freeArg()
			freeDX()
		}
	}
}
