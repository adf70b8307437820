package models

import (
	"math/rand/v2"
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// BenchmarkTrainStepMLP times one training step (forward, loss, backward,
// Adam update) of the course's MLP at batch 128 on random MNIST-shaped
// data, and reports samples per second.
func BenchmarkTrainStepMLP(b *testing.B) {
	m := NewSequential([]int{28, 28},
		layers.NewFlatten(),
		layers.NewDense(256), layers.NewReLU(),
		layers.NewDense(128, layers.WithActivation("relu")),
		layers.NewDense(10), layers.NewSoftmax())
	loss, _ := losses.Get("sparse_categorical_crossentropy", nil)
	if err := m.Compile(optimizers.NewAdam(0.001, 0.9, 0.999, 1e-7, false), loss, "accuracy"); err != nil {
		b.Fatal(err)
	}
	const batch = 128
	rng := rand.New(rand.NewPCG(1, 2))
	x := tensor.Zeros(batch, 28, 28)
	for i, xs := 0, x.Float32s(); i < len(xs); i++ {
		xs[i] = rng.Float32()
	}
	y := tensor.Zeros(batch)
	for i := 0; i < batch; i++ {
		y.SetFlat(i, float64(rng.IntN(10)))
	}
	tr := newTrainer(m)
	if _, err := tr.step(x, y, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tr.step(x, y, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "samples/s")
}
