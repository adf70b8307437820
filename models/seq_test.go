package models

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Models of the sequence layers: Embedding with mask_zero, Bidirectional,
// TimeDistributed, masked pooling, on right-padded sequences of token ids.

// tokenBatch returns a batchFunc of sequences of ids in [1, vocab)
// right-padded with 0 to random lengths in [1, steps].
func tokenBatch(vocab int) batchFunc {
	return func(rng *rand.Rand, n int, shape []int) *tensor.Tensor {
		steps := shape[0]
		x := tensor.Zeros(n, steps)
		d := x.Float32s()
		for b := range n {
			for t := range 1 + rng.IntN(steps) {
				d[b*steps+t] = float32(1 + rng.IntN(vocab-1))
			}
		}
		return x
	}
}

// seqPlanCases are sequence models whose layers all have kernels.
var seqPlanCases = []planCase{
	{"embedding bidirectional lstm pooling", []int{6}, func() []layers.Layer {
		return []layers.Layer{layers.NewEmbedding(9, 4, layers.MaskZero()),
			layers.NewBidirectional(layers.NewLSTM(5, layers.ReturnSequences())),
			layers.NewGlobalAveragePooling1D(), layers.NewDense(3, layers.WithActivation("softmax"))}
	}, "sparse_categorical_crossentropy", nil, sparseTargets(3)},
	{"embedding time_distributed bidirectional gru", []int{6}, func() []layers.Layer {
		return []layers.Layer{layers.NewEmbedding(9, 4, layers.MaskZero()),
			layers.NewTimeDistributed(layers.NewDense(4, layers.WithActivation("relu"))),
			layers.NewBidirectional(layers.NewGRU(3), layers.WithMergeMode("mul")),
			layers.NewDense(2, layers.WithActivation("softmax"))}
	}, "sparse_categorical_crossentropy", nil, sparseTargets(2)},
	{"embedding lstm sigmoid", []int{6}, func() []layers.Layer {
		return []layers.Layer{layers.NewEmbedding(9, 4, layers.MaskZero()), layers.NewLSTM(6),
			layers.NewDense(1, layers.WithActivation("sigmoid"))}
	}, "binary_crossentropy", nil, denseTargets(1)},
}

// TestSeqPlanMatchesAutograd trains two copies of each sequence model for
// a few steps, one on the kernel path and one through autograd, and
// requires the same losses, weights and predictions (to float32 rounding).
func TestSeqPlanMatchesAutograd(t *testing.T) {
	checkPlanMatchesAutograd(t, seqPlanCases, tokenBatch(9))
}

// TestEmbeddingLSTMLearns is the end-to-end check: Embedding
// (mask_zero) → LSTM → Dense sigmoid learns whether token 7 occurs in a
// right-padded sequence of ids 1–9 (lengths 1–10). 1,024 sequences, about
// half with a 7; 15 epochs of Adam at 0.01; accuracy on 512 new sequences
// must pass 90% (chance is about 50%).
func TestEmbeddingLSTMLearns(t *testing.T) {
	const steps, vocab = 10, 10
	rng := rand.New(rand.NewPCG(21, 22))
	make7 := func(n int) (*tensor.Tensor, *tensor.Tensor) {
		x, y := tensor.Zeros(n, steps), tensor.Zeros(n, 1)
		d := x.Float32s()
		for b := range n {
			length := 1 + rng.IntN(steps)
			for t := range length {
				id := 1 + rng.IntN(vocab-1)
				for id == 7 {
					id = 1 + rng.IntN(vocab-1)
				}
				d[b*steps+t] = float32(id)
			}
			if rng.IntN(2) == 0 {
				d[b*steps+rng.IntN(length)] = 7
				y.SetFlat(b, 1)
			}
		}
		return x, y
	}
	x, y := make7(1024)
	m := NewSequential([]int{steps}, layers.NewEmbedding(vocab, 8, layers.MaskZero()), layers.NewLSTM(16),
		layers.NewDense(1, layers.WithActivation("sigmoid")))
	m.SetSeed(5)
	xt, yt := make7(512)
	checkLearns(t, m, "binary_crossentropy", 15, x, y, xt, yt, "new sequences")
}

// TestSeqModelSaveLoad saves a model with every sequence layer and loads
// it back: same config, same weight names, same predictions.
func TestSeqModelSaveLoad(t *testing.T) {
	m := NewSequential([]int{5}, layers.NewEmbedding(8, 3, layers.MaskZero()),
		layers.NewBidirectional(layers.NewGRU(4, layers.ReturnSequences()), layers.WithMergeMode("ave")),
		layers.NewTimeDistributed(layers.NewDense(2)), layers.NewGlobalAveragePooling1D(),
		layers.NewDense(2, layers.WithActivation("softmax")))
	loss, _ := losses.Get("sparse_categorical_crossentropy", nil)
	if err := m.Compile(optimizers.NewAdam(0.01, 0.9, 0.999, 1e-7, false), loss); err != nil {
		t.Fatal(err)
	}
	x := tokenBatch(8)(rand.New(rand.NewPCG(3, 4)), 6, []int{5})
	if _, err := m.Fit(x, tensor.Zeros(6), FitOptions{Epochs: 1, BatchSize: 3, Verbose: VerboseSilent}); err != nil {
		t.Fatal(err)
	}
	m2 := checkSaveLoad(t, m, x)
	w1, w2 := m.Weights(), m2.Weights()
	if len(w1) != len(w2) {
		t.Fatalf("%d weights after loading, want %d", len(w2), len(w1))
	}
	for i := range w1 {
		if w1[i].Value.Name != w2[i].Value.Name {
			t.Errorf("weight %d: %s after loading, want %s", i, w2[i].Value.Name, w1[i].Value.Name)
		}
	}
	if got := w1[1].Value.Name; got != "bidirectional.forward_gru.kernel" {
		t.Errorf("weight 1 is %s, want bidirectional.forward_gru.kernel", got)
	}
}

// TestEmbeddingBadIDs: an id outside the vocabulary stops Fit and Predict
// with an error naming the layer, the id and input_dim, on both paths.
func TestEmbeddingBadIDs(t *testing.T) {
	for _, kernels := range []bool{true, false} {
		m := NewSequential([]int{3}, layers.NewEmbedding(5, 2), layers.NewLSTM(2), layers.NewDense(1))
		loss, _ := losses.Get("mse", nil)
		if err := m.Compile(optimizers.NewAdam(0.01, 0.9, 0.999, 1e-7, false), loss); err != nil {
			t.Fatal(err)
		}
		if !kernels {
			m.trainer = newTrainer(m)
			m.trainer.plan = nil
		}
		x := tensor.FromFloat32([]float32{1, 2, 3, 4, 9, 0}, 2, 3)
		_, err := m.Fit(x, tensor.Zeros(2, 1), FitOptions{Epochs: 1, Verbose: VerboseSilent})
		want := "layer embedding (Embedding): id 9 at sample 1, position 1 is not an integer in [0, input_dim=5)"
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "internal") { // bad data, not an "internal error"
			t.Errorf("kernels=%v: Fit with id 9: got %v, want an error containing %q", kernels, err, want)
		}
		if _, err := m.Predict(x, 2); err == nil || !strings.HasPrefix(err.Error(), want) { // bad data, not an "internal error"
			t.Errorf("kernels=%v: Predict with id 9: got %v, want an error containing %q", kernels, err, want)
		}
	}
}

// TestSeqTrainStepAllocatesNothing: a steady training step of each
// sequence model with a softmax cross-entropy (which the plan fuses; other
// losses go through autograd on the output) allocates nothing.
func TestSeqTrainStepAllocatesNothing(t *testing.T) {
	for _, c := range seqPlanCases[:2] {
		checkStepAllocatesNothing(t, c, tokenBatch(9))
	}
}

// TestSeqSpecFile builds the sequence layers from spec text, as a user
// writes them, and checks that Keras's merge_mode None is refused.
func TestSeqSpecFile(t *testing.T) {
	src := `input: [6]
layers:
  - embedding: {input_dim: 20, output_dim: 8, mask_zero: true}
  - bidirectional: {layer: {lstm: {units: 4, return_sequences: true}}, merge_mode: concat}
  - time_distributed: {layer: {dense: {units: 3}}}
  - global_average_pooling1d
  - dense: {units: 2, activation: softmax}
`
	s, err := spec.Parse([]byte(src), "seq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := FromSpec(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Build(); err != nil {
		t.Fatal(err)
	}
	if got := m.Layers()[2].OutputShape(); !slices.Equal(got, []int{6, 3}) {
		t.Errorf("time_distributed output %v, want (6, 3)", got)
	}
	bad := strings.Replace(src, "merge_mode: concat", "merge_mode: null", 1)
	s, err = spec.Parse([]byte(bad), "seq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = FromSpec(s, 1)
	want := "seq.yaml:4: layer 2 (bidirectional): merge_mode: null: None returns the two directions as two outputs"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("merge_mode: null: got %v, want an error containing %q", err, want)
	}
}
