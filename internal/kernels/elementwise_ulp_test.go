package kernels

import (
	"flag"
	"fmt"
	"math"
	"testing"
)

// ulpAll makes TestVecMathULP sweep every float32 in each range instead of a
// sample: go test -run ULP -args -ulp.all (about a minute per kernel set).
var ulpAll = flag.Bool("ulp.all", false, "TestVecMathULP: sweep every float32, not a sample")

// ulpErr is the distance from got to the exact value want, in units of the
// float32 spacing at want (subnormal spacing below 2^−126). An infinite got
// counts as ±2^128, the next value after MaxFloat32, so an overflow where
// the exact value is just below it costs 1 ulp rather than infinity. NaN
// must match NaN.
func ulpErr(got float32, want float64) float64 {
	if math.IsNaN(want) || got != got {
		if math.IsNaN(want) && got != got {
			return 0
		}
		return math.Inf(1)
	}
	// Beyond MaxFloat32 the float32 grid goes on with spacing 2^104 up to
	// 2^128, which stands for +Inf; anything larger rounds to +Inf too.
	clamp := func(v float64) float64 { return math.Copysign(min(math.Abs(v), 0x1p128), v) }
	g, w := clamp(float64(got)), clamp(want)
	_, e := math.Frexp(w) // |w| in [2^(e−1), 2^e)
	ulp := math.Ldexp(1, min(max(e-24, -149), 104))
	return math.Abs(g-w) / ulp
}

// vecMathCase is one function of the vector math, with its exact reference
// (computed in float64, whose error is far below a float32 ulp), the bound
// its tests assert, and the ranges swept. The bounds are the largest errors
// over every float32 in the ranges (-ulp.all: exp 0.988, tanh 1.330,
// sigmoid 0.986, log 0.827 ulp), rounded up.
type vecMathCase struct {
	name   string
	kernel func(k *f32Kernels) func(dst, a []float32)
	ref    func(float64) float64
	bound  float64 // ulp
	ranges [][2]float32
}

var vecMathCases = []vecMathCase{
	{"exp", func(k *f32Kernels) func(dst, a []float32) { return k.exp }, math.Exp, 0.99,
		[][2]float32{{-104, 89}}},
	{"tanh", func(k *f32Kernels) func(dst, a []float32) { return k.tanh }, math.Tanh, 1.34,
		[][2]float32{{-20, 20}, {-1e30, -20}, {20, 1e30}}},
	{"sigmoid", func(k *f32Kernels) func(dst, a []float32) { return k.sigmoid }, Sigmoid, 0.99,
		[][2]float32{{-20, 20}, {-110, -20}, {20, 1e30}}},
	// log: every positive finite float32, subnormals first; near 1, where
	// log x ≈ x − 1 must keep its relative accuracy, sampled apart too.
	{"log", func(k *f32Kernels) func(dst, a []float32) { return k.log }, math.Log, 0.83,
		[][2]float32{{0x1p-149, 0x1p-126}, {0x1p-126, math.MaxFloat32}, {0.99, 1.01}}},
}

// floatKey maps float32s onto an ordered integer line (negative floats count
// down from −0), so that stepping the key steps through adjacent floats.
func floatKey(f float32) int64 {
	b := int64(math.Float32bits(f))
	if b>>31 != 0 {
		return -(b &^ (1 << 31))
	}
	return b
}

func keyFloat(k int64) float32 {
	if k < 0 {
		return math.Float32frombits(uint32(-k) | 1<<31)
	}
	return math.Float32frombits(uint32(k))
}

// sweepChunk fills buf with every stride-th float32 from x up to hi (at most
// len(buf) of them) and returns the filled part and the next x; the filled
// part is empty when x is past hi.
func sweepChunk(buf []float32, x, hi float32, stride int) ([]float32, float32) {
	k, end := floatKey(x), floatKey(hi)
	n := 0
	for ; n < len(buf) && k <= end; k += int64(stride) {
		buf[n] = keyFloat(k)
		n++
	}
	if k > end {
		return buf[:n], keyFloat(end + 1)
	}
	return buf[:n], keyFloat(k)
}

// TestVecMathULP measures the largest error of exp, tanh, sigmoid and log,
// in ulp against the float64 functions, over a dense sample of the float32
// ranges that matter (every 1021st float32 in them, 2.2 million values for
// exp; every one with -ulp.all), for the Go twin and each assembly set.
func TestVecMathULP(t *testing.T) {
	// 1021 is prime, so the sample does not follow the mantissa pattern;
	// the race detector slows the Go twin 10×, hence the sparser sample.
	stride := 1021
	if testing.Short() || raceEnabled {
		stride = 16381
	}
	if *ulpAll {
		stride = 1
	}
	sets := f32Sets()
	for _, c := range vecMathCases {
		worst := make([]float64, len(sets))
		worstX := make([]float32, len(sets))
		in := make([]float32, 1<<16)
		want := make([]float64, len(in))
		out := make([]float32, len(in))
		n := 0
		for _, r := range c.ranges {
			// Walk the range in chunks, computing the reference once per
			// value for all kernel sets.
			for x := r[0]; ; {
				in = in[:cap(in)]
				in, x = sweepChunk(in, x, r[1], stride)
				if len(in) == 0 {
					break
				}
				for i, v := range in {
					want[i] = c.ref(float64(v))
				}
				for s, k := range sets {
					c.kernel(k)(out[:len(in)], in)
					for i, v := range in {
						if e := ulpErr(out[i], want[i]); !(e <= worst[s]) {
							worst[s], worstX[s] = e, v
						}
					}
				}
				n += len(in)
			}
		}
		for s, k := range sets {
			t.Logf("%-7s %-6s max error %.3f ulp at x = %v (%d values)", c.name, k.name, worst[s], worstX[s], n)
			if !(worst[s] <= c.bound) {
				x := worstX[s]
				got := make([]float32, 1)
				c.kernel(k)(got, []float32{x})
				t.Errorf("%s/%s(%v) = %v, want %v: %.3f ulp, bound %v", c.name, k.name, x, got[0], c.ref(float64(x)), worst[s], c.bound)
			}
		}
	}
}

// TestVecMathSpecial checks the special values of exp, tanh, sigmoid and
// log, and a few values whose correctly rounded result is known.
func TestVecMathSpecial(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	tests := []struct {
		fn   string
		x    float32
		want float32
	}{
		{"exp", float32(math.Inf(-1)), 0},
		{"exp", inf, inf},
		{"exp", nan, nan},
		{"exp", 0, 1},
		{"exp", negZero, 1},
		{"exp", 88.7229, inf}, // above ln(MaxFloat32)
		{"exp", 1000, inf},
		{"exp", -103.9, 1e-45}, // exp(−103.9) ≈ 7.5e−46 rounds up to the least subnormal
		{"exp", -104, 0},       // exp(−104) ≈ 6.8e−46 < 2^−150 rounds to 0
		{"exp", -1000, 0},
		{"tanh", inf, 1},
		{"tanh", -inf, -1},
		{"tanh", 9.1, 1}, // 1 − tanh(9.1) ≈ 2.5e−8 < 2^−25, so it rounds to 1
		{"tanh", -20, -1},
		{"tanh", 0, 0},
		{"tanh", negZero, negZero},
		{"tanh", nan, nan},
		{"tanh", 1e-30, 1e-30},
		{"sigmoid", inf, 1},
		{"sigmoid", -inf, 0},
		{"sigmoid", 0, 0.5},
		{"sigmoid", 17, 0.99999994},      // 1 − σ(17) ≈ 4.1e−8 > 2^−25: the float below 1
		{"sigmoid", 18, 1},               // 1 − σ(18) ≈ 1.5e−8 < 2^−25: rounds to 1
		{"sigmoid", -100, 27 * 0x1p-149}, // σ(−100) ≈ 3.72e−44 = 26.55·2^−149, in the subnormals
		{"sigmoid", nan, nan},
		{"sigmoid", -1000, 0},
		{"log", 1, 0},
		{"log", 0, float32(math.Inf(-1))},
		{"log", negZero, float32(math.Inf(-1))},
		{"log", -1, nan},
		{"log", -1e-45, nan},
		{"log", float32(math.Inf(-1)), nan},
		{"log", inf, inf},
		{"log", nan, nan},
		// The values below are math.log in Python's float64, rounded to float32
		// by NumPy.
		{"log", 2, 0.6931472},                // ln 2 = 0.693147180…
		{"log", 1e-45, -103.27893},           // the least subnormal, 2^−149: −103.278929…
		{"log", math.MaxFloat32, 88.72284},   // 88.722839…
		{"log", 1 + 0x1p-23, 0x1.fffffep-24}, // 2^−23 − 2^−47 + 2^−70/3 − …: the float below 2^−23
		{"log", 1 - 0x1p-24, -0x1p-24},       // −2^−24 − 2^−49 − …: rounds to −2^−24
		// The largest m the reduction keeps (e = 0): 0.346573488…, which lies
		// 0.57 ulp above this float and 0.43 below the next, 0x1.62e42ap-2;
		// log32 is within its bound but not correctly rounded here.
		{"log", 0x1.6a09e4p0, 0x1.62e428p-2},
		{"log", 0x1.6a09e6p0, 0x1.62e42ep-2}, // the next float, 2·√½ rounded down, halved to m = √½, e = 1: 0.346573573…
	}
	for _, k := range f32Sets() {
		fns := map[string]func(dst, a []float32){"exp": k.exp, "tanh": k.tanh, "sigmoid": k.sigmoid, "log": k.log}
		for _, tt := range tests {
			// Fill a whole vector and more with x so the main loop and the
			// tail both see it.
			in := make([]float32, 37)
			for i := range in {
				in[i] = tt.x
			}
			out := make([]float32, len(in))
			fns[tt.fn](out, in)
			for i, got := range out {
				if !sameBits(got, tt.want) {
					t.Errorf("%s/%s(%v)[%d] = %v, want %v", tt.fn, k.name, tt.x, i, got, tt.want)
					break
				}
			}
		}
	}
}

// f32Sets is the Go twin followed by the assembly sets this CPU runs.
func f32Sets() []*f32Kernels { return append([]*f32Kernels{f32Go}, f32AsmKernels()...) }

func ExampleUnary_exp() {
	x := []float32{0, 1, -1}
	Unary(OpExp, x, x)
	fmt.Println(x)
	// Output: [1 2.7182817 0.36787945]
}

func ExampleUnary_log() {
	x := []float32{1, 2, 0.5, 0, -1}
	Unary(OpLog, x, x)
	fmt.Println(x)
	// Output: [0 0.6931472 -0.6931472 -Inf NaN]
}
