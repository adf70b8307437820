package saving

import (
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/tensor"
)

// f32bits builds a float32 tensor from raw IEEE-754 bit patterns, so tests
// can hold NaN payloads exactly.
func f32bits(shape []int, bits ...uint32) *tensor.Tensor {
	v := make([]float32, len(bits))
	for i, b := range bits {
		v[i] = math.Float32frombits(b)
	}
	return tensor.FromFloat32(v, shape...)
}

// f64bits is f32bits for float64.
func f64bits(shape []int, bits ...uint64) *tensor.Tensor {
	v := make([]float64, len(bits))
	for i, b := range bits {
		v[i] = math.Float64frombits(b)
	}
	return tensor.FromFloat64(v, shape...)
}

// diffTensors describes the first difference between two tensor lists
// (names, order, dtypes, shapes or element bits), or returns "" when they
// are identical bit for bit.
func diffTensors(got, want []NamedTensor) string {
	if len(got) != len(want) {
		return fmt.Sprintf("got %d tensors, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		switch {
		case g.Name != w.Name:
			return fmt.Sprintf("tensor %d: got name %q, want %q", i, g.Name, w.Name)
		case g.T.DType() != w.T.DType():
			return fmt.Sprintf("tensor %q: got dtype %s, want %s", g.Name, g.T.DType(), w.T.DType())
		case !tensor.SameShape(g.T.Shape(), w.T.Shape()):
			return fmt.Sprintf("tensor %q: got shape %s, want %s", g.Name,
				tensor.ShapeString(g.T.Shape()), tensor.ShapeString(w.T.Shape()))
		}
		for j := 0; j < w.T.Len(); j++ {
			var gb, wb uint64
			if w.T.DType() == tensor.Float64 {
				gb, wb = math.Float64bits(g.T.Float64s()[j]), math.Float64bits(w.T.Float64s()[j])
			} else {
				gb, wb = uint64(math.Float32bits(g.T.Float32s()[j])), uint64(math.Float32bits(w.T.Float32s()[j]))
			}
			if gb != wb {
				return fmt.Sprintf("tensor %q element %d: got bits %#x, want %#x", g.Name, j, gb, wb)
			}
		}
	}
	return ""
}

// sampleTensors is a small model's worth of weights covering both dtypes
// and the special values a bit-exact round trip must keep.
func sampleTensors() []NamedTensor {
	return []NamedTensor{
		// Bit patterns: 1, -0, +Inf, -Inf, quiet NaN, signalling NaN with
		// payload 0x1, negative quiet NaN with payload 0x123, smallest subnormal.
		{"dense_1.kernel", f32bits([]int{2, 4}, 0x3f800000, 0x80000000, 0x7f800000, 0xff800000,
			0x7fc00000, 0x7f800001, 0xffc00123, 0x00000001)},
		{"dense_1.bias", f32bits([]int{4}, 0, 0x3dcccccd, 0xbdcccccd, 0x7f7fffff)}, // 0, 0.1, -0.1, max float32
		// Bit patterns: -0, quiet NaN with payload 0x42, smallest subnormal.
		{"bn.moving_var", f64bits([]int{3}, 0x8000000000000000, 0x7ff8000000000042, 1)},
		{"bn.count", f64bits([]int{}, 0x4059000000000000)}, // 100, rank 0
		{"empty", tensor.New(tensor.Float32, 0, 3)},
	}
}
