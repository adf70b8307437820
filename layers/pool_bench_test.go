package layers_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// BenchmarkMaxPooling2D times the Kernel of MaxPooling2D (pool 2) at the
// shapes of the MNIST convnet of issue 4: after Conv2D 32 (26×26×32) and
// after Conv2D 64 (11×11×64), at the training batch of 128, on inputs
// that are half zeros as after a ReLU.
func BenchmarkMaxPooling2D(b *testing.B) {
	for _, sample := range [][]int{{26, 26, 32}, {11, 11, 64}} {
		l := layers.NewMaxPooling2D()
		if err := l.Build(sample, nil); err != nil {
			b.Fatal(err)
		}
		x := tensor.Zeros(append([]int{128}, sample...)...)
		for i, d := 0, x.Float32s(); i < len(d); i++ {
			d[i] = max(float32(math.Sin(float64(i)*0.37)), 0) // half zeros, as after a ReLU
		}
		infer, train := &layers.Context{}, &layers.Context{Training: true}
		b.Run(fmt.Sprintf("inference/%v", sample), func(b *testing.B) {
			b.SetBytes(int64(4 * x.Len()))
			for b.Loop() {
				l.Forward(infer, x)
			}
		})
		b.Run(fmt.Sprintf("forward/%v", sample), func(b *testing.B) {
			b.SetBytes(int64(4 * x.Len()))
			for b.Loop() {
				l.Forward(train, x)
			}
		})
		y := l.Forward(train, x)
		dy := y.Clone()
		b.Run(fmt.Sprintf("backward/%v", sample), func(b *testing.B) {
			b.SetBytes(int64(4 * x.Len()))
			for b.Loop() {
				l.Backward(dy, true)
			}
		})
	}
}
