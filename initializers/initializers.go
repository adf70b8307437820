package initializers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/deepgo-dev/deepgo/tensor"
)

// Initializer fills a new float32 tensor of the given shape.
type Initializer interface {
	// Name is the Keras identifier, e.g. "glorot_uniform".
	Name() string
	Init(shape []int, rng *rand.Rand) *tensor.Tensor
}

// Fans returns Keras's fan_in and fan_out for a weight shape: for a Dense
// kernel (in, out) they are in and out; for a convolution kernel
// (k1, ..., kd, in, out) both are multiplied by the receptive field size.
func Fans(shape []int) (fanIn, fanOut float64) {
	switch len(shape) {
	case 0:
		return 1, 1
	case 1:
		return float64(shape[0]), float64(shape[0])
	case 2:
		return float64(shape[0]), float64(shape[1])
	}
	rf := float64(tensor.NumElements(shape[:len(shape)-2]))
	return float64(shape[len(shape)-2]) * rf, float64(shape[len(shape)-1]) * rf
}

type variance struct {
	name  string
	scale float64
	mode  string // fan_in, fan_out, fan_avg
	dist  string // uniform, truncated_normal
}

func (v variance) Name() string { return v.name }

// Init follows Keras's VarianceScaling: std = sqrt(scale/n) with n the fan
// of the chosen mode; uniform draws from ±sqrt(3)·std; truncated normal
// redraws beyond two standard deviations and corrects the std by
// 0.87962566103423978 (the std of a unit normal truncated at ±2).
func (v variance) Init(shape []int, rng *rand.Rand) *tensor.Tensor {
	fi, fo := Fans(shape)
	n := map[string]float64{"fan_in": fi, "fan_out": fo, "fan_avg": (fi + fo) / 2}[v.mode]
	std := math.Sqrt(v.scale / math.Max(1, n))
	t := tensor.Zeros(shape...)
	d := t.Float32s()
	if v.dist == "uniform" {
		limit := math.Sqrt(3) * std
		for i := range d {
			d[i] = float32((rng.Float64()*2 - 1) * limit)
		}
		return t
	}
	std /= 0.87962566103423978
	for i := range d {
		x := rng.NormFloat64()
		for math.Abs(x) > 2 {
			x = rng.NormFloat64()
		}
		d[i] = float32(x * std)
	}
	return t
}

type constant struct {
	name string
	v    float64
}

func (c constant) Name() string { return c.name }
func (c constant) Init(shape []int, _ *rand.Rand) *tensor.Tensor {
	t := tensor.Zeros(shape...)
	t.Fill(c.v)
	return t
}

type randomUniform struct{ lo, hi float64 }

func (randomUniform) Name() string { return "random_uniform" }
func (r randomUniform) Init(shape []int, rng *rand.Rand) *tensor.Tensor {
	t := tensor.Zeros(shape...)
	for i, d := 0, t.Float32s(); i < len(d); i++ {
		d[i] = float32(r.lo + rng.Float64()*(r.hi-r.lo))
	}
	return t
}

type randomNormal struct{ mean, std float64 }

func (randomNormal) Name() string { return "random_normal" }
func (r randomNormal) Init(shape []int, rng *rand.Rand) *tensor.Tensor {
	t := tensor.Zeros(shape...)
	for i, d := 0, t.Float32s(); i < len(d); i++ {
		d[i] = float32(r.mean + rng.NormFloat64()*r.std)
	}
	return t
}

// Orthogonal fills a 2-D (or flattened to 2-D) tensor with a random
// orthogonal matrix times gain, via Gram–Schmidt on a normal matrix (Keras
// uses QR; the distribution is the same).
type orthogonal struct{ gain float64 }

func (orthogonal) Name() string { return "orthogonal" }
func (o orthogonal) Init(shape []int, rng *rand.Rand) *tensor.Tensor {
	t := tensor.Zeros(shape...)
	cols := shape[len(shape)-1]
	rows := t.Len() / max(cols, 1)
	// Orthonormalise the longer side's vectors.
	n, m := rows, cols
	if rows < cols {
		n, m = cols, rows
	}
	// m orthonormal vectors of length n
	vecs := make([][]float64, m)
	for i := range vecs {
		for {
			v := make([]float64, n)
			for j := range v {
				v[j] = rng.NormFloat64()
			}
			for _, u := range vecs[:i] {
				var dot float64
				for j := range v {
					dot += v[j] * u[j]
				}
				for j := range v {
					v[j] -= dot * u[j]
				}
			}
			var norm float64
			for _, x := range v {
				norm += x * x
			}
			norm = math.Sqrt(norm)
			if norm > 1e-6 {
				for j := range v {
					v[j] /= norm
				}
				vecs[i] = v
				break
			}
		}
	}
	d := t.Float32s()
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			if rows >= cols {
				d[r*cols+c] = float32(o.gain * vecs[c][r])
			} else {
				d[r*cols+c] = float32(o.gain * vecs[r][c])
			}
		}
	}
	return t
}

var names = []string{"glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal",
	"zeros", "ones", "random_uniform", "random_normal", "orthogonal", "uniform", "normal"}

// Names lists the identifiers Get accepts.
func Names() []string { return slices.Clone(names) }

// Get returns the Keras initializer with the given identifier and default
// arguments.
func Get(name string) (Initializer, error) {
	switch name {
	case "glorot_uniform":
		return variance{name, 1, "fan_avg", "uniform"}, nil
	case "glorot_normal":
		return variance{name, 1, "fan_avg", "truncated_normal"}, nil
	case "he_uniform":
		return variance{name, 2, "fan_in", "uniform"}, nil
	case "he_normal":
		return variance{name, 2, "fan_in", "truncated_normal"}, nil
	case "lecun_uniform":
		return variance{name, 1, "fan_in", "uniform"}, nil
	case "lecun_normal":
		return variance{name, 1, "fan_in", "truncated_normal"}, nil
	case "zeros":
		return constant{"zeros", 0}, nil
	case "ones":
		return constant{"ones", 1}, nil
	case "random_uniform", "uniform": // Keras defaults minval -0.05, maxval 0.05; "uniform" is Keras's alias
		return randomUniform{-0.05, 0.05}, nil
	case "random_normal", "normal": // Keras defaults mean 0, stddev 0.05; "normal" is Keras's alias
		return randomNormal{0, 0.05}, nil
	case "orthogonal":
		return orthogonal{1}, nil
	}
	return nil, fmt.Errorf("unknown initializer %q (known: %v)", name, names)
}
