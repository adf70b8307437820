package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkMaxPool compares the assembly kernels with the Go twins on the
// two max poolings of the mnist-cnn example (Keras's "simple MNIST
// convnet": 2×2 windows, stride 2, after the 26×26×32 and 11×11×64 conv
// outputs) at its training batch of 128: forward without arg (inference),
// forward with arg (training) and backward.
func BenchmarkMaxPool(b *testing.B) {
	shapes := []struct{ h, w, c int }{{26, 26, 32}, {11, 11, 64}}
	type impl struct {
		name    string
		fwd     func(g Pool2D, y []float32, arg []int32, x []float32)
		backRun func(g Pool2D, dx []float32, arg []int32, dy []float32)
	}
	impls := []impl{{"go", maxPool2DGo[float32], maxPool2DBackwardGo[float32]}}
	for _, ks := range poolAsmKernels() {
		impls = append(impls, impl{ks.name,
			func(g Pool2D, y []float32, arg []int32, x []float32) { maxPool2DRuns(g, y, arg, x, ks.maxRun) },
			func(g Pool2D, dx []float32, arg []int32, dy []float32) {
				maxPool2DBackwardRuns(g, dx, arg, dy, ks.maxBackRun)
			},
		})
	}
	for _, s := range shapes {
		g := NewPool2D(128, []int{s.h, s.w}, s.c, []int{2, 2}, []int{2, 2}, false)
		r := rand.New(rand.NewPCG(5, 6))
		x, dx := make([]float32, g.N*g.InLen()), make([]float32, g.N*g.InLen())
		for i := range x {
			x[i] = max(float32(r.NormFloat64()), 0) // post-ReLU: half zeros, many ties
		}
		y, arg := make([]float32, g.N*g.OutLen()), make([]int32, g.N*g.OutLen())
		maxPool2DGo(g, y, arg, x)
		bytes := int64(4 * (len(x) + len(y)))
		for _, im := range impls {
			shape := fmt.Sprintf("%dx%dx%d", s.h, s.w, s.c)
			b.Run(fmt.Sprintf("%s/fwd/%s", shape, im.name), func(b *testing.B) {
				b.SetBytes(bytes)
				for b.Loop() {
					im.fwd(g, y, nil, x)
				}
			})
			b.Run(fmt.Sprintf("%s/fwd-arg/%s", shape, im.name), func(b *testing.B) {
				b.SetBytes(bytes + 4*int64(len(arg)))
				for b.Loop() {
					im.fwd(g, y, arg, x)
				}
			})
			b.Run(fmt.Sprintf("%s/back/%s", shape, im.name), func(b *testing.B) {
				b.SetBytes(bytes + 4*int64(len(arg)))
				for b.Loop() {
					im.backRun(g, dx, arg, y)
				}
			})
		}
	}
}
