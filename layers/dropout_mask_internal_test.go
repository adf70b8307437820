package layers

import (
	"math/rand/v2"
	"testing"
)

// dropoutMaskBranchy is dropoutMask as first written, with a branch per
// element: the reference that the branchless one must match bit for bit.
func dropoutMaskBranchy(rng *rand.Rand, mask []float32, rate float64) {
	scale := float32(1 / (1 - rate))
	threshold := uint64(rate * (1 << 32))
	i := 0
	for ; i+1 < len(mask); i += 2 {
		r := rng.Uint64()
		mask[i], mask[i+1] = 0, 0
		if r&0xffffffff >= threshold {
			mask[i] = scale
		}
		if r>>32 >= threshold {
			mask[i+1] = scale
		}
	}
	if i < len(mask) {
		mask[i] = 0
		if rng.Uint64()&0xffffffff >= threshold {
			mask[i] = scale
		}
	}
}

// TestDropoutMaskBranchless checks the branchless mask against the
// branchy one, odd lengths and extreme rates included, and that both leave
// the generator in the same state.
func TestDropoutMaskBranchless(t *testing.T) {
	for _, rate := range []float64{0.5, 0.1, 0.9, 1e-9, 0.999999} {
		for _, n := range []int{0, 1, 2, 7, 1000} {
			a, b := rand.New(rand.NewPCG(7, uint64(n))), rand.New(rand.NewPCG(7, uint64(n)))
			got, want := make([]float32, n), make([]float32, n)
			for i := range got {
				got[i], want[i] = -1, -1
			}
			dropoutMask(a, got, rate)
			dropoutMaskBranchy(b, want, rate)
			kept := 0
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("rate %v n %d: mask[%d] = %v, want %v", rate, n, i, got[i], want[i])
				}
				if got[i] != 0 {
					kept++
				}
			}
			if a.Uint64() != b.Uint64() {
				t.Fatalf("rate %v n %d: the generators diverged", rate, n)
			}
			// Binomial(1000, 0.5): mean 500, standard deviation √250 ≈ 15.8,
			// so ±100 is over 6σ.
			if n == 1000 && rate == 0.5 && (kept < 400 || kept > 600) {
				t.Errorf("rate 0.5: kept %d of 1000", kept)
			}
		}
	}
}

func BenchmarkDropoutMask(b *testing.B) {
	m := make([]float32, 128*1600)
	rng := rand.New(rand.NewPCG(1, 2))
	b.Run("branchless", func(b *testing.B) {
		for b.Loop() {
			dropoutMask(rng, m, 0.5)
		}
	})
	b.Run("branchy", func(b *testing.B) {
		for b.Loop() {
			dropoutMaskBranchy(rng, m, 0.5)
		}
	})
}
