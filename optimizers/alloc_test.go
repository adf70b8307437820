package optimizers

import (
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// TestApplyDoesNotAllocate checks the promise of Apply: once the slots exist,
// a step allocates nothing, for every optimizer, clipping kind, schedule and
// dtype.
func TestApplyDoesNotAllocate(t *testing.T) {
	for _, dt := range []tensor.DType{tensor.Float32, tensor.Float64} {
		for _, o := range roundTripCases() {
			vars := trainVars(dt)
			fillGrads(vars, 1)
			if err := o.Apply(vars); err != nil {
				t.Fatal(err)
			}
			allocs := testing.AllocsPerRun(50, func() {
				if err := o.Apply(vars); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%s %v (%s): %v allocations per Apply, want 0", o.Name(), o.Config(), dt, allocs)
			}
		}
	}
}

// BenchmarkApply measures one step over a 784x256 kernel and its bias, the
// course's first Dense layer, in float32.
func BenchmarkApply(b *testing.B) {
	for _, name := range []string{"sgd", "adam", "rmsprop", "adagrad"} {
		b.Run(name, func(b *testing.B) {
			o, err := Get(name, nil)
			if err != nil {
				b.Fatal(err)
			}
			vars := []Variable{
				{Name: "dense.kernel", Value: tensor.Zeros(784, 256), Grad: tensor.Full(0.01, 784, 256)},
				{Name: "dense.bias", Value: tensor.Zeros(256), Grad: tensor.Full(0.01, 256)},
			}
			b.SetBytes(int64(4 * (784*256 + 256)))
			for b.Loop() {
				if err := o.Apply(vars); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
