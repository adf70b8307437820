package models

import (
	"math/rand/v2"
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// rnnPlanCases are recurrent models that run on the kernel path: the
// mnist-lstm recipe in small, a masked stack (Masking → LSTM sequences →
// GRU backwards) and a SimpleRNN sequence tagger.
var rnnPlanCases = []planCase{
	{"lstm dense-softmax", []int{6, 4}, func() []layers.Layer {
		return []layers.Layer{layers.NewLSTM(8), layers.NewDense(3, layers.WithActivation("softmax"))}
	}, "sparse_categorical_crossentropy", nil, sparseTargets(3)},
	{"masked lstm-gru stack", []int{6, 4}, func() []layers.Layer {
		return []layers.Layer{layers.NewMasking(0), layers.NewLSTM(8, layers.ReturnSequences()),
			layers.NewGRU(5, layers.GoBackwards()), layers.NewDense(3, layers.WithActivation("softmax"))}
	}, "sparse_categorical_crossentropy", nil, sparseTargets(3)},
	{"simple_rnn tagger", []int{6, 4}, func() []layers.Layer {
		return []layers.Layer{layers.NewSimpleRNN(7, layers.ReturnSequences()), layers.NewDense(2, layers.WithActivation("sigmoid"))}
	}, "binary_crossentropy", nil, denseTargets(6, 2)},
}

// paddedBatch returns n random sequences of the given (timesteps,
// features) shape, right-padded with zero steps to random lengths (some
// empty), which Masking(0) masks.
func paddedBatch(rng *rand.Rand, n int, shape []int) *tensor.Tensor {
	x := tensor.Zeros(append([]int{n}, shape...)...)
	d, per := x.Float32s(), shape[0]*shape[1]
	for b := range n {
		length := rng.IntN(shape[0] + 1)
		for i := range length * shape[1] {
			d[b*per+i] = float32(rng.NormFloat64())
		}
	}
	return x
}

// TestRNNPlanMatchesAutograd trains two copies of each recurrent model for
// a few steps, one on the kernel path and one through autograd, and
// requires the same losses, weights and predictions (to float32 rounding).
func TestRNNPlanMatchesAutograd(t *testing.T) {
	checkPlanMatchesAutograd(t, rnnPlanCases, paddedBatch)
}

// TestLSTMPlanTrains fits an LSTM → Dense softmax classifier on the kernel
// path to a task that needs memory: the class is the sign of the sum of
// the first feature over 10 timesteps. 512 sequences, 25 epochs of Adam
// at 0.01: training accuracy must pass 90% (chance is 50%).
func TestLSTMPlanTrains(t *testing.T) {
	const n, steps = 512, 10
	rng := rand.New(rand.NewPCG(11, 12))
	x, y := tensor.Zeros(n, steps, 2), tensor.Zeros(n)
	xd := x.Float32s()
	for b := range n {
		var sum float32
		for i := range steps * 2 {
			xd[b*steps*2+i] = float32(rng.NormFloat64())
			if i%2 == 0 {
				sum += xd[b*steps*2+i]
			}
		}
		if sum > 0 {
			y.SetFlat(b, 1)
		}
	}
	m := NewSequential([]int{steps, 2}, layers.NewLSTM(16), layers.NewDense(2, layers.WithActivation("softmax")))
	m.SetSeed(3)
	checkLearns(t, m, "sparse_categorical_crossentropy", 25, x, y, x, y, "the training data")
}

// TestLSTMTrainStepAllocatesNothing: a steady training step of the masked
// recurrent stack on the kernel path allocates nothing.
func TestLSTMTrainStepAllocatesNothing(t *testing.T) {
	checkStepAllocatesNothing(t, rnnPlanCases[1], paddedBatch)
}

// mnistLSTM is the mnist-lstm example (examples/specs/mnist-lstm.yaml):
// each 28×28 image read as 28 timesteps of 28 pixels, LSTM 128 → Dense 10
// softmax, Adam with Keras's defaults, on random MNIST-shaped data.
func mnistLSTM(b testing.TB, batch int) (*Sequential, *tensor.Tensor, *tensor.Tensor) {
	m := NewSequential([]int{28, 28}, layers.NewLSTM(128), layers.NewDense(10, layers.WithActivation("softmax")))
	loss, _ := losses.Get("sparse_categorical_crossentropy", nil)
	if err := m.Compile(optimizers.NewAdam(0.001, 0.9, 0.999, 1e-7, false), loss, "accuracy"); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := tensor.Zeros(batch, 28, 28)
	for i, xs := 0, x.Float32s(); i < len(xs); i++ {
		xs[i] = rng.Float32()
	}
	y := tensor.Zeros(batch)
	for i := range batch {
		y.SetFlat(i, float64(rng.IntN(10)))
	}
	return m, x, y
}

// BenchmarkTrainStepLSTM times one training step (forward, loss, backward,
// Adam update) of the mnist-lstm model at batch 128 and reports samples
// per second.
func BenchmarkTrainStepLSTM(b *testing.B) {
	const batch = 128
	m, x, y := mnistLSTM(b, batch)
	tr := newTrainer(m)
	if tr.plan == nil {
		b.Fatal("no kernel plan")
	}
	if _, err := tr.step(x, y, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := tr.step(x, y, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkPredictLSTM times Predict of the mnist-lstm model on a batch of
// 1000 and reports samples per second.
func BenchmarkPredictLSTM(b *testing.B) {
	const batch = 1000
	m, x, _ := mnistLSTM(b, batch)
	if _, err := m.Predict(x, batch); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := m.Predict(x, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "samples/s")
}
