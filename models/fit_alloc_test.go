package models

import (
	"math/rand/v2"
	"testing"
)

// TestFitStepsAllocateNothing: the whole training loop of Fit (shuffled
// batching, the kernel step, the optimizer, the metrics) allocates nothing
// per step — an epoch of 40 steps allocates what an epoch of 4 does, for
// the dense, convolutional and recurrent plan models. What Fit allocates
// once per call or per epoch (the plan, logs, history) is the same in both.
func TestFitStepsAllocateNothing(t *testing.T) {
	if raceDetectorOn {
		t.Skip("the race detector allocates for pooled buffers")
	}
	for _, c := range []planCase{planCases[0], convPlanCases[0], rnnPlanCases[0]} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			allocs := func(steps int) float64 {
				m := buildPlanModel(t, c)
				x, y := normalBatch(rng, 8*steps, c.input), c.targets(rng, 8*steps)
				opt := FitOptions{Epochs: 1, BatchSize: 8, Verbose: VerboseSilent}
				if _, err := m.Fit(x, y, opt); err != nil { // sizes every buffer
					t.Fatal(err)
				}
				return testing.AllocsPerRun(3, func() {
					if _, err := m.Fit(x, y, opt); err != nil {
						t.Fatal(err)
					}
				})
			}
			few, many := allocs(4), allocs(40)
			if many > few {
				t.Errorf("Fit allocates %.0f times for 4 steps and %.0f for 40: %.1f per extra step, want 0",
					few, many, (many-few)/36)
			}
		})
	}
}
