package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestOptimArgsLayout pins the field offsets that optim_amd64.s reads the
// argument structs at (CLIP512/ARGS512_n and their AVX2 twins): the Clip at
// 0, 4 and 8, then the step's constants 4 bytes apart from 12.
func TestOptimArgsLayout(t *testing.T) {
	var (
		adam AdamArgs
		sgd  SGDArgs
		rms  RMSpropArgs
		ada  AdagradArgs
	)
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"Clip.Scale", unsafe.Offsetof(adam.Scale), 0},
		{"Clip.Lo", unsafe.Offsetof(adam.Lo), 4},
		{"Clip.Hi", unsafe.Offsetof(adam.Hi), 8},
		{"AdamArgs.Alpha", unsafe.Offsetof(adam.Alpha), 12},
		{"AdamArgs.OneMinusBeta1", unsafe.Offsetof(adam.OneMinusBeta1), 16},
		{"AdamArgs.OneMinusBeta2", unsafe.Offsetof(adam.OneMinusBeta2), 20},
		{"AdamArgs.Epsilon", unsafe.Offsetof(adam.Epsilon), 24},
		{"SGDArgs.Clip", unsafe.Offsetof(sgd.Clip), 0},
		{"SGDArgs.LR", unsafe.Offsetof(sgd.LR), 12},
		{"SGDArgs.Momentum", unsafe.Offsetof(sgd.Momentum), 16},
		{"RMSpropArgs.Clip", unsafe.Offsetof(rms.Clip), 0},
		{"RMSpropArgs.LR", unsafe.Offsetof(rms.LR), 12},
		{"RMSpropArgs.Rho", unsafe.Offsetof(rms.Rho), 16},
		{"RMSpropArgs.OneMinusRho", unsafe.Offsetof(rms.OneMinusRho), 20},
		{"RMSpropArgs.Epsilon", unsafe.Offsetof(rms.Epsilon), 24},
		{"AdagradArgs.Clip", unsafe.Offsetof(ada.Clip), 0},
		{"AdagradArgs.LR", unsafe.Offsetof(ada.LR), 12},
		{"AdagradArgs.Epsilon", unsafe.Offsetof(ada.Epsilon), 16},
	} {
		if c.got != c.want {
			t.Errorf("offset of %s: got %d, want %d (optim_amd64.s reads it there)", c.name, c.got, c.want)
		}
	}
}

// optimClips are the clippings every kernel is tested with: none, by value
// (Keras clipvalue 0.5) and by norm (a scale below 1, as clipnorm gives).
var optimClips = []struct {
	name string
	c    Clip
}{
	{"noclip", NoClip},
	{"clipvalue", Clip{Scale: 1, Lo: -0.5, Hi: 0.5}},
	{"clipnorm", Clip{Scale: 0.37, Lo: float32(math.Inf(-1)), Hi: float32(math.Inf(1))}},
}

// optimCase is one update rule under test: how many slots it has and how
// to run it with a kernel set and a clipping. The constants are Keras's
// defaults (Adam at step 3, so that alpha is not lr), except a momentum of
// 0.9 and a learning rate large enough to move the weights visibly.
type optimCase struct {
	name  string
	slots int
	run   func(k *optimKernels, c Clip, w, g []float32, s [][]float32)
}

var optimCases = []optimCase{
	{"adam", 2, func(k *optimKernels, c Clip, w, g []float32, s [][]float32) {
		// alpha = 0.01*sqrt(1-0.999^3)/(1-0.9^3) at step 3.
		alpha := float32(0.01 * math.Sqrt(1-math.Pow(0.999, 3)) / (1 - math.Pow(0.9, 3)))
		k.adam(w, g, s[0], s[1], AdamArgs{Clip: c, Alpha: alpha, OneMinusBeta1: 1 - 0.9, OneMinusBeta2: 1 - 0.999, Epsilon: 1e-7})
	}},
	{"adam/eps0", 2, func(k *optimKernels, c Clip, w, g []float32, s [][]float32) {
		k.adam(w, g, s[0], s[1], AdamArgs{Clip: c, Alpha: 0.01, OneMinusBeta1: 0.1, OneMinusBeta2: 0.001})
	}},
	{"sgd", 0, func(k *optimKernels, c Clip, w, g []float32, s [][]float32) {
		k.sgd(w, g, SGDArgs{Clip: c, LR: 0.01})
	}},
	{"sgd/momentum", 1, func(k *optimKernels, c Clip, w, g []float32, s [][]float32) {
		k.sgdMomentum(w, g, s[0], SGDArgs{Clip: c, LR: 0.01, Momentum: 0.9})
	}},
	{"sgd/nesterov", 1, func(k *optimKernels, c Clip, w, g []float32, s [][]float32) {
		k.sgdMomentum(w, g, s[0], SGDArgs{Clip: c, LR: 0.01, Momentum: 0.9, Nesterov: true})
	}},
	{"rmsprop", 1, func(k *optimKernels, c Clip, w, g []float32, s [][]float32) {
		k.rmsprop(w, g, s[0], RMSpropArgs{Clip: c, LR: 0.01, Rho: 0.9, OneMinusRho: 1 - 0.9, Epsilon: 1e-7})
	}},
	{"adagrad", 1, func(k *optimKernels, c Clip, w, g []float32, s [][]float32) {
		k.adagrad(w, g, s[0], AdagradArgs{Clip: c, LR: 0.01, Epsilon: 1e-7})
	}},
	{"decay", 0, func(k *optimKernels, c Clip, w, g []float32, s [][]float32) {
		k.decay(w, 0.01*0.004) // AdamW's default lr*weight_decay
	}},
}

// optimGuard fills the padding around every buffer; a kernel that reads it
// would feed NaN into its result, and one that writes it changes it.
var optimGuard = math.Float32frombits(0x7fc0dead)

// optimPad is the number of guard elements on each side of a buffer, more
// than a vector of 16 lanes can reach.
const optimPad = 20

// optimSpecial are gradient values that exercise the clipping and the
// NaN handling: signed zeros, infinities, NaN, a value whose square
// overflows, a subnormal and values just inside and outside ±0.5.
var optimSpecial = []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
	float32(math.NaN()), 1e30, -1e30, 1e-40, 0.5, -0.5, 0.50001, -0.50001}

// optimBuffers holds padded inputs: w, g and the slots, each at offset off
// within its padding, so that the kernels see unaligned starts.
type optimBuffers struct {
	n, off int
	bufs   [][]float32 // w, g, slot 0, slot 1 with their padding
}

func newOptimBuffers(rng *rand.Rand, n, off, slots int) *optimBuffers {
	b := &optimBuffers{n: n, off: off}
	for k := range 2 + slots {
		buf := make([]float32, n+2*optimPad)
		for i := range buf {
			buf[i] = optimGuard
		}
		x := buf[optimPad+off : optimPad+off+n]
		for i := range x {
			switch {
			case k == 1 && rng.IntN(8) == 0:
				x[i] = optimSpecial[rng.IntN(len(optimSpecial))]
			case k == 1:
				x[i] = float32(rng.NormFloat64())
			case k == 3 || k == 2 && slots == 1:
				// Second moments, velocities and accumulators are >= 0.
				x[i] = float32(rng.Float64())
			default:
				x[i] = float32(2*rng.Float64() - 1)
			}
		}
		b.bufs = append(b.bufs, buf)
	}
	return b
}

func (b *optimBuffers) clone() *optimBuffers {
	c := &optimBuffers{n: b.n, off: b.off}
	for _, buf := range b.bufs {
		c.bufs = append(c.bufs, append([]float32(nil), buf...))
	}
	return c
}

// slices returns w, g and the slots without their padding.
func (b *optimBuffers) slices() (w, g []float32, s [][]float32) {
	var xs [][]float32
	for _, buf := range b.bufs {
		xs = append(xs, buf[optimPad+b.off:optimPad+b.off+b.n])
	}
	return xs[0], xs[1], xs[2:]
}

// compareOptim reports the first element where got and want differ, the
// padding included.
func compareOptim(t *testing.T, where string, got, want *optimBuffers) {
	t.Helper()
	names := []string{"w", "g", "slot0", "slot1"}
	for k := range got.bufs {
		for i := range got.bufs[k] {
			if !sameBits(got.bufs[k][i], want.bufs[k][i]) {
				j := i - optimPad - got.off
				what := fmt.Sprintf("%s[%d]", names[k], j)
				if j < 0 || j >= got.n {
					what = fmt.Sprintf("guard %d of %s", i, names[k])
				}
				t.Fatalf("%s: %s: got %v (%#x), want %v (%#x)", where, what,
					got.bufs[k][i], math.Float32bits(got.bufs[k][i]), want.bufs[k][i], math.Float32bits(want.bufs[k][i]))
			}
		}
	}
}

// optimLengths are every length up to 70 (all tails of 8 and 16 lanes, with
// and without whole vectors) and a few larger ones.
func optimLengths() []int {
	var ns []int
	for n := range 71 {
		ns = append(ns, n)
	}
	return append(ns, 255, 1000, 4099)
}

// TestOptimKernels checks every assembly update against its Go twin: the
// same bits in w, g and the slots, for every length up to 70 and a few
// larger, unaligned starts, each clipping, and with the padding around
// every buffer untouched.
func TestOptimKernels(t *testing.T) {
	ks := optimAsmKernels()
	if len(ks) == 0 {
		t.Skip("no assembly kernels on this CPU or build")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range ks {
		for _, oc := range optimCases {
			for _, cl := range optimClips {
				t.Run(k.name+"/"+oc.name+"/"+cl.name, func(t *testing.T) {
					for _, n := range optimLengths() {
						for off := range 4 {
							if n > 70 && off > 1 {
								continue
							}
							in := newOptimBuffers(rng, n, off, oc.slots)
							got, want := in.clone(), in.clone()
							w, g, s := got.slices()
							oc.run(k, cl.c, w, g, s)
							w, g, s = want.slices()
							oc.run(optimGo, cl.c, w, g, s)
							compareOptim(t, fmt.Sprintf("n=%d off=%d", n, off), got, want)
						}
					}
				})
			}
		}
	}
}

// TestSumSquares checks each sumSquares against the Go twin (the same
// bits) and the twin against a plain float64 loop (within the rounding of
// 2n float64 operations).
func TestSumSquares(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range optimLengths() {
		for off := range 2 {
			in := newOptimBuffers(rng, n, off, 0)
			_, x, _ := in.slices()
			for i := range x {
				if x[i] != x[i] || math.IsInf(float64(x[i]), 0) || math.Abs(float64(x[i])) > 1e20 {
					x[i] = 3 // keep the sum finite so that it can be compared
				}
			}
			want := sumSquaresGo(x)
			var naive float64
			for _, v := range x {
				naive += float64(v) * float64(v)
			}
			if !(math.Abs(want-naive) <= 1e-14*float64(n+1)*naive) {
				t.Errorf("n=%d: sumSquaresGo = %v, plain loop %v", n, want, naive)
			}
			for _, k := range optimAsmKernels() {
				if got := k.sumSquares(x); math.Float64bits(got) != math.Float64bits(want) {
					t.Errorf("n=%d off=%d: %s sumSquares = %v, want %v (sumSquaresGo)", n, off, k.name, got, want)
				}
			}
		}
	}
}

// TestOptimEntryPoints checks that the exported functions take their length
// from w, leave longer gradients and slots alone past it, and accept empty
// slices.
func TestOptimEntryPoints(t *testing.T) {
	w := []float32{1, 2, 3}
	g := []float32{1, 1, 1, 7}
	m := []float32{0, 0, 0, 7}
	v := []float32{0, 0, 0, 7}
	AdamUpdate(w, g, m, v, AdamArgs{Clip: NoClip, Alpha: 0.1, OneMinusBeta1: 0.1, OneMinusBeta2: 0.001})
	// Step 1 from zero slots: m = 0.1, v = 0.001, w -= 0.1*0.1/sqrt(0.001).
	want := float32(1 - 0.1*0.1/math.Sqrt(0.001))
	if math.Abs(float64(w[0]-want)) > 1e-6 || m[3] != 7 || v[3] != 7 {
		t.Errorf("AdamUpdate: w = %v, m = %v, v = %v; want w[0] = %v and element 3 of m and v untouched", w, m, v, want)
	}
	AdamUpdate(nil, nil, nil, nil, AdamArgs{})
	SGDUpdate(nil, nil, nil, SGDArgs{})
	SGDUpdate(w, g, nil, SGDArgs{Clip: NoClip, LR: 1})
	if w[2] >= 2 {
		t.Errorf("SGDUpdate: w[2] = %v, want below 2 after a step of 1", w[2])
	}
	RMSpropUpdate(nil, nil, nil, RMSpropArgs{})
	AdagradUpdate(nil, nil, nil, AdagradArgs{})
	DecayWeights(nil, 1)
	if got := SumSquares(nil); got != 0 {
		t.Errorf("SumSquares(nil) = %v, want 0", got)
	}
	if got := SumSquares([]float32{3, 4}); got != 25 {
		t.Errorf("SumSquares({3, 4}) = %v, want 25", got)
	}
}

// ExampleAdamUpdate takes Adam's first step with Keras's defaults. The
// bias-corrected step size alpha is computed once per step by the caller;
// at step 1 Adam moves every weight by about lr against its gradient's sign.
func ExampleAdamUpdate() {
	const lr, beta1, beta2, t = 0.001, 0.9, 0.999, 1
	w := []float32{1, 1, 1}
	g := []float32{0.5, -2, 0}
	m := make([]float32, 3) // the "momentum" slot
	v := make([]float32, 3) // the "velocity" slot
	alpha := lr * math.Sqrt(1-math.Pow(beta2, t)) / (1 - math.Pow(beta1, t))
	AdamUpdate(w, g, m, v, AdamArgs{Clip: NoClip, Alpha: float32(alpha),
		OneMinusBeta1: 1 - beta1, OneMinusBeta2: 1 - beta2, Epsilon: 1e-7})
	fmt.Printf("%.6f\n", w)
	// Output: [0.999000 1.001000 1.000000]
}
