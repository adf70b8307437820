package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The assembly kernels are tested against their pure-Go twins (f32Go) on
// every length from 0 to 70 and a few large ones, at unaligned offsets, on
// inputs with NaN, ±Inf, ±0 and subnormals, inside buffers padded with
// guard values that must come back untouched. In a -tags noasm build only
// the twins run.

// ewGuardBits is the pattern around every buffer: a quiet NaN with a payload
// no kernel produces, so that a kernel reading it shows a NaN where it
// should not and one writing over it is caught by ewGuardedOK.
const ewGuardBits = 0x7fe5a5a5

const ewGuardLen = 24

// testLengths are the lengths every kernel is run on.
var testLengths = func() []int {
	var ns []int
	for n := 0; n <= 70; n++ {
		ns = append(ns, n)
	}
	return append(ns, 127, 128, 129, 1000, 4099)
}()

// ewGuarded returns a slice of n floats starting off floats into a buffer
// padded with guard values on both sides, and the buffer.
func ewGuarded(n, off int) (s, buf []float32) {
	buf = make([]float32, ewGuardLen+off+n+ewGuardLen)
	for i := range buf {
		buf[i] = math.Float32frombits(ewGuardBits)
	}
	return buf[ewGuardLen+off : ewGuardLen+off+n], buf
}

// ewGuardedOK reports whether the guard values around s in buf are intact.
func ewGuardedOK(s, buf []float32) bool {
	lo := cap(buf) - cap(s) // index of s[0] in buf
	for i, v := range buf {
		if (i < lo || i >= lo+len(s)) && math.Float32bits(v) != ewGuardBits {
			return false
		}
	}
	return true
}

// randInput fills a with values from a mix that covers the special cases:
// mostly normal numbers of varied sizes, and with special set also NaN,
// ±Inf, ±0, subnormals and huge values.
func randInput(r *rand.Rand, a []float32, special bool) {
	for i := range a {
		v := float32(r.NormFloat64() * 3)
		if special {
			switch r.IntN(16) {
			case 0:
				v = float32(math.NaN())
			case 1:
				v = float32(math.Inf(1 - 2*r.IntN(2)))
			case 2:
				v = float32(math.Copysign(0, float64(1-2*r.IntN(2))))
			case 3:
				v = math.Float32frombits(uint32(r.IntN(1<<23)) | uint32(r.IntN(2))<<31) // subnormal
			case 4:
				v *= 1e4
			}
		}
		a[i] = v
	}
}

// sameBits reports whether got and want are the same float, counting any
// two NaNs as the same (which NaN an operation returns depends on its
// operand order).
func sameBits(got, want float32) bool {
	return math.Float32bits(got) == math.Float32bits(want) || got != got && want != want
}

// compareF32 reports the first element where got and want differ by more
// than maxULP ulp (0: bit for bit).
func compareF32(t *testing.T, what string, got, want []float32, maxULP float64) {
	t.Helper()
	for i := range want {
		ok := sameBits(got[i], want[i])
		if !ok && maxULP > 0 && !math.IsNaN(float64(want[i])) {
			ok = ulpErr(got[i], float64(want[i])) <= maxULP
		}
		if !ok {
			t.Errorf("%s: element %d = %v, want %v", what, i, got[i], want[i])
			return
		}
	}
}

// mapKernel is a kernel of the form dst[i] = f(a[i], b[i]) (b unused by
// unary kernels), with how close it must come to its twin.
type mapKernel struct {
	name   string
	run    func(k *f32Kernels, dst, a, b []float32)
	maxULP float64 // 0: bit for bit
}

// Axpy is not among the map kernels: the assembly fuses the multiply-add
// and the twin need not, so under cancellation they differ by many ulp of
// the result; TestAxpy checks each against float64 instead.

var mapKernels = []mapKernel{
	{"relu", func(k *f32Kernels, d, a, _ []float32) { k.relu(d, a) }, 0},
	{"exp", func(k *f32Kernels, d, a, _ []float32) { k.exp(d, a) }, 1},
	{"tanh", func(k *f32Kernels, d, a, _ []float32) { k.tanh(d, a) }, 1},
	{"sigmoid", func(k *f32Kernels, d, a, _ []float32) { k.sigmoid(d, a) }, 1},
	{"log", func(k *f32Kernels, d, a, _ []float32) { k.log(d, a) }, 1},
	{"addScalar", func(k *f32Kernels, d, a, _ []float32) { k.addScalar(d, a, 0.75) }, 0},
	{"mulScalar", func(k *f32Kernels, d, a, _ []float32) { k.mulScalar(d, a, -1.5) }, 0},
	{"leakyReLU", func(k *f32Kernels, d, a, _ []float32) { k.leakyReLU(d, a, 0.01) }, 0},
	{"add", func(k *f32Kernels, d, a, b []float32) { k.add(d, a, b) }, 0},
	{"sub", func(k *f32Kernels, d, a, b []float32) { k.sub(d, a, b) }, 0},
	{"mul", func(k *f32Kernels, d, a, b []float32) { k.mul(d, a, b) }, 0},
	{"div", func(k *f32Kernels, d, a, b []float32) { k.div(d, a, b) }, 0},
	{"reluGrad", func(k *f32Kernels, d, a, b []float32) { k.reluGrad(d, a, b) }, 0},
}

// TestMapKernels runs every map kernel of every assembly set against its Go
// twin, on out-of-place and in-place calls.
func TestMapKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range f32AsmKernels() {
		for _, mk := range mapKernels {
			for _, n := range testLengths {
				off := n % 4
				a, abuf := ewGuarded(n, off)
				b, bbuf := ewGuarded(n, (off+1)%4)
				got, gbuf := ewGuarded(n, (off+2)%4)
				randInput(r, a, true)
				randInput(r, b, true)
				randInput(r, got, true) // axpy reads dst
				want := append([]float32(nil), got...)
				mk.run(f32Go, want, a, b)
				mk.run(k, got, a, b)
				what := fmt.Sprintf("%s/%s n=%d", mk.name, k.name, n)
				compareF32(t, what, got, want, mk.maxULP)
				if !ewGuardedOK(got, gbuf) || !ewGuardedOK(a, abuf) || !ewGuardedOK(b, bbuf) {
					t.Errorf("%s: wrote outside its slices", what)
				}
				// In place: dst is a.
				inPlace := append([]float32(nil), a...)
				mk.run(k, inPlace, inPlace, b)
				compareF32(t, what+" in place", inPlace, want, mk.maxULP)
			}
		}
	}
}

// TestAxpy checks y += alpha·x against the exact value, computed in
// float64: the assembly rounds once, so it is within half an ulp of it
// (plus the float64 rounding of the reference); the unfused twin is within
// half an ulp of the product plus half an ulp of the result.
func TestAxpy(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alpha = 0.3
	for _, k := range f32Sets() {
		for _, n := range testLengths {
			x, xbuf := ewGuarded(n, n%4)
			y, ybuf := ewGuarded(n, (n+1)%4)
			randInput(r, x, true)
			randInput(r, y, true)
			want := make([]float64, n)
			for i := range y {
				want[i] = float64(y[i]) + float64(float32(alpha))*float64(x[i])
			}
			k.axpy(alpha, x, y)
			for i := range y {
				w := float32(want[i])
				ok := sameBits(y[i], w) || math.IsInf(want[i], 0) && y[i] == w
				if !ok && !math.IsNaN(want[i]) && !math.IsInf(want[i], 0) {
					e := math.Abs(float64(y[i]) - want[i])
					bound := 0.5*ulpOf(want[i]) + 1e-6*ulpOf(want[i])
					if k == f32Go {
						bound += 0.5 * ulpOf(float64(float32(alpha))*float64(x[i]))
					}
					ok = e <= bound
				}
				if !ok {
					t.Errorf("axpy/%s n=%d: element %d = %v, want %v", k.name, n, i, y[i], want[i])
					break
				}
			}
			if !ewGuardedOK(x, xbuf) || !ewGuardedOK(y, ybuf) {
				t.Errorf("axpy/%s n=%d: wrote outside its slices", k.name, n)
			}
		}
	}
}

// ulpOf is the spacing of float32 values at v.
func ulpOf(v float64) float64 {
	_, e := math.Frexp(v)
	return math.Ldexp(1, min(max(e-24, -149), 104))
}

// reduction runs one reduction kernel and returns its result.
type reduction struct {
	name string
	run  func(k *f32Kernels, a []float32) float64
	// close reports whether got agrees with the twin's want on input a.
	close func(got, want float64, a []float32) bool
}

var reductions = []reduction{
	{"sum", func(k *f32Kernels, a []float32) float64 { return k.sum(a) }, sumClose},
	{"max", func(k *f32Kernels, a []float32) float64 { return float64(k.max(a)) },
		func(got, want float64, _ []float32) bool { return got == want || got != got && want != want }},
}

// sumClose accepts a float64 sum of float32 values that differs from want
// only by the order of the additions: by at most n·2^−52·Σ|a|.
func sumClose(got, want float64, a []float32) bool {
	if got != got || want != want || math.IsInf(want, 0) {
		return got == want || got != got && want != want
	}
	var abs float64
	for _, v := range a {
		abs += math.Abs(float64(v))
	}
	return math.Abs(got-want) <= float64(len(a))*0x1p-52*abs
}

// TestReductions runs sum and max of every assembly set against their Go
// twins, with and without special values. The guard values are NaNs, so a
// kernel that reads past its slice returns NaN.
func TestReductions(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, k := range f32AsmKernels() {
		for _, red := range reductions {
			for _, n := range testLengths {
				for _, special := range []bool{false, true} {
					a, buf := ewGuarded(n, n%4)
					randInput(r, a, special)
					if !special && n > 0 {
						a[r.IntN(n)] = 1e6 // a distinct maximum, anywhere
					}
					got, want := red.run(k, a), red.run(f32Go, a)
					if !red.close(got, want, a) {
						t.Errorf("%s/%s n=%d special=%v = %v, want %v", red.name, k.name, n, special, got, want)
					}
					if !ewGuardedOK(a, buf) {
						t.Errorf("%s/%s n=%d: wrote outside its slice", red.name, k.name, n)
					}
				}
			}
		}
	}
}

// TestMaxSpecial checks Max's NaN and empty cases on every set: a NaN
// anywhere, in the main loop or the tail, makes the result NaN.
func TestMaxSpecial(t *testing.T) {
	for _, k := range f32Sets() {
		if got := k.max(nil); !math.IsInf(float64(got), -1) {
			t.Errorf("max/%s(empty) = %v, want -Inf", k.name, got)
		}
		for _, n := range []int{1, 7, 16, 33, 100} {
			for pos := 0; pos < n; pos++ {
				a := make([]float32, n)
				for i := range a {
					a[i] = float32(i)
				}
				a[pos] = float32(math.NaN())
				if got := k.max(a); got == got {
					t.Errorf("max/%s n=%d NaN at %d = %v, want NaN", k.name, n, pos, got)
				}
				a[pos] = float32(math.Inf(-1))
				if got, want := k.max(a), float32(n-1); pos != n-1 && got != want {
					t.Errorf("max/%s n=%d -Inf at %d = %v, want %v", k.name, n, pos, got, want)
				}
			}
		}
	}
}

// TestSumRows runs sumRows of every assembly set against its Go twin, which
// it must match bit for bit (the rows are added in the same order).
func TestSumRows(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, k := range f32AsmKernels() {
		for _, m := range []int{0, 1, 2, 5, 33} {
			for _, n := range testLengths {
				if m*n > 40000 {
					continue
				}
				a, abuf := ewGuarded(m*n, n%4)
				randInput(r, a, m != 5)
				got, gbuf := ewGuarded(n, (n+1)%4)
				want := make([]float32, n)
				randInput(r, got, false) // overwritten
				k.sumRows(got, a, m, n)
				f32Go.sumRows(want, a, m, n)
				what := fmt.Sprintf("sumRows/%s m=%d n=%d", k.name, m, n)
				compareF32(t, what, got, want, 0)
				if !ewGuardedOK(got, gbuf) || !ewGuardedOK(a, abuf) {
					t.Errorf("%s: wrote outside its slices", what)
				}
			}
		}
	}
}

// TestExpShiftSum runs expShiftSum of every set: dst must match the twin's
// within 1 ulp, and the returned sum must be the sum of dst up to float32
// rounding in some order (n·2^−24 relative).
func TestExpShiftSum(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, k := range f32Sets() {
		for _, n := range testLengths {
			a, abuf := ewGuarded(n, n%4)
			randInput(r, a, false)
			got, gbuf := ewGuarded(n, (n+3)%4)
			want := make([]float32, n)
			const shift = 2.5
			s := k.expShiftSum(got, a, shift)
			f32Go.expShiftSum(want, a, shift)
			what := fmt.Sprintf("expShiftSum/%s n=%d", k.name, n)
			compareF32(t, what, got, want, 1)
			var exact float64
			for _, v := range got {
				exact += float64(v)
			}
			if math.Abs(float64(s)-exact) > float64(n)*0x1p-24*exact {
				t.Errorf("%s: sum = %v, want %v", what, s, exact)
			}
			if !ewGuardedOK(got, gbuf) || !ewGuardedOK(a, abuf) {
				t.Errorf("%s: wrote outside its slices", what)
			}
		}
	}
}
