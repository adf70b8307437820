package initializers

import (
	"math"
	"math/rand/v2"
	"testing"
)

func stats(d []float32) (mean, std, maxAbs float64) {
	for _, v := range d {
		mean += float64(v)
		maxAbs = math.Max(maxAbs, math.Abs(float64(v)))
	}
	mean /= float64(len(d))
	for _, v := range d {
		std += (float64(v) - mean) * (float64(v) - mean)
	}
	return mean, math.Sqrt(std / float64(len(d))), maxAbs
}

func TestVarianceScaling(t *testing.T) {
	// Expected std: sqrt(scale/fan) (Keras VarianceScaling); glorot on
	// (784, 256): sqrt(2/(784+256)) = 0.04385.
	cases := []struct {
		name    string
		shape   []int
		wantStd float64
		limit   float64 // max |w|, 0 = unchecked
	}{
		{"glorot_uniform", []int{784, 256}, math.Sqrt(2.0 / 1040), math.Sqrt(6.0 / 1040)},
		{"glorot_normal", []int{784, 256}, math.Sqrt(2.0 / 1040), 2 * math.Sqrt(2.0/1040) / 0.87962566103423978},
		{"he_uniform", []int{300, 200}, math.Sqrt(2.0 / 300), math.Sqrt(6.0 / 300)},
		{"he_normal", []int{3, 3, 16, 32}, math.Sqrt(2.0 / (9 * 16)), 0},
		{"lecun_normal", []int{400, 100}, math.Sqrt(1.0 / 400), 0},
		{"random_uniform", []int{100, 100}, 0.1 / math.Sqrt(12), 0.05},
		{"random_normal", []int{100, 100}, 0.05, 0},
	}
	for _, c := range cases {
		init, err := Get(c.name)
		if err != nil {
			t.Fatal(err)
		}
		w := init.Init(c.shape, rand.New(rand.NewPCG(1, 2)))
		mean, std, maxAbs := stats(w.Float32s())
		if math.Abs(std-c.wantStd) > 0.03*c.wantStd || math.Abs(mean) > 0.05*c.wantStd {
			t.Errorf("%s %v: mean %.5f std %.5f, want 0 and %.5f", c.name, c.shape, mean, std, c.wantStd)
		}
		if c.limit > 0 && maxAbs > c.limit {
			t.Errorf("%s: max |w| %.5f beyond limit %.5f", c.name, maxAbs, c.limit)
		}
	}
}

func TestOrthogonal(t *testing.T) {
	init, _ := Get("orthogonal")
	for _, shape := range [][]int{{6, 6}, {8, 3}, {3, 8}} {
		w := init.Init(shape, rand.New(rand.NewPCG(3, 4))).Float32s()
		r, c := shape[0], shape[1]
		// the shorter side's vectors are orthonormal
		for i := 0; i < min(r, c); i++ {
			for j := 0; j < min(r, c); j++ {
				var dot float64
				for k := 0; k < max(r, c); k++ {
					if r >= c {
						dot += float64(w[k*c+i]) * float64(w[k*c+j])
					} else {
						dot += float64(w[i*c+k]) * float64(w[j*c+k])
					}
				}
				want := 0.0
				if i == j {
					want = 1
				}
				if math.Abs(dot-want) > 1e-5 {
					t.Errorf("%v: <v%d, v%d> = %v, want %v", shape, i, j, dot, want)
				}
			}
		}
	}
}

func TestGetUnknown(t *testing.T) {
	if _, err := Get("glorot"); err == nil {
		t.Error("Get accepted an unknown name")
	}
}
