package metrics

import (
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// TestUpdateDoesNotAllocate checks that Update, which runs once per
// training step, reads the batch in place or into buffers it reuses (sized
// by AllocsPerRun's warm-up call).
func TestUpdateDoesNotAllocate(t *testing.T) {
	labels := tensor.FromFloat32([]float32{1, 0, 1, 1}, 4, 1)
	flatLabels := tensor.FromFloat32([]float32{1, 0, 1, 1}, 4) // (n,) against (n, 1), as a CSV gives
	probs := tensor.FromFloat32([]float32{0.9, 0.2, 0.4, 0.7}, 4, 1)
	oneHot := tensor.FromFloat32([]float32{0, 1, 1, 0}, 2, 2)
	scores := tensor.FromFloat32([]float32{0.3, 0.7, 0.6, 0.4}, 2, 2)
	sparse := tensor.FromFloat32([]float32{1, 0}, 2)
	for _, tc := range []struct {
		m            Metric
		yTrue, yPred *tensor.Tensor
	}{
		{NewMeanSquaredError(), labels, probs},
		{NewMeanAbsoluteError(), labels, probs},
		{NewMeanSquaredError(), flatLabels, probs},
		{must(NewBinaryAccuracy(0.5)), labels, probs},
		{NewCategoricalAccuracy(), oneHot, scores},
		{NewSparseCategoricalAccuracy(), sparse, scores},
		{must(NewPrecision(ConfusionOptions{})), labels, probs},
		{must(NewRecall(ConfusionOptions{})), labels, probs},
		{must(NewTopKCategoricalAccuracy(1)), oneHot, scores},
		{must(NewSparseTopKCategoricalAccuracy(1)), sparse, scores},
		{must(NewAUC(AUCOptions{})), labels, probs},
		{must(NewAUC(AUCOptions{Thresholds: []float64{0.3, 0.5, 0.9}})), labels, probs}, // uneven: updateEach
		{must(NewAUC(AUCOptions{MultiLabel: true})), oneHot, scores},
	} {
		allocs := testing.AllocsPerRun(20, func() {
			if err := tc.m.Update(tc.yTrue, tc.yPred); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Update, want 0", tc.m.Name(), allocs)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
