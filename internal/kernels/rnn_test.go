package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// rnnPad is the guard around every buffer of the LSTM kernel tests, more
// than a vector of 16 lanes can reach; rnnGuard is its value (a NaN that
// would show in any result that read it).
const rnnPad = 20

var rnnGuard = math.Float32frombits(0x7fc0beef)

// rnnBufs are the padded buffers of one LSTM kernel call for u units:
// dz, dh, dc, a, cprev, tc, with 4u elements for dz and a.
type rnnBufs [6][]float32

var rnnBufNames = [6]string{"dz", "dh", "dc", "a", "cprev", "tc"}

func newRNNBufs(rng *rand.Rand, u int) *rnnBufs {
	var b rnnBufs
	for k := range b {
		n := u
		if k == 0 || k == 3 {
			n = 4 * u
		}
		buf := make([]float32, n+2*rnnPad)
		for i := range buf {
			buf[i] = rnnGuard
		}
		x := buf[rnnPad : rnnPad+n]
		for i := range x {
			switch k {
			case 0: // dz is written only: garbage
				x[i] = float32(rng.NormFloat64()) * 100
			case 3: // gate activations: sigmoids in (0, 1), the tanh block in (−1, 1)
				x[i] = float32(rng.Float64())
				if i/u == 2 {
					x[i] = 2*x[i] - 1
				}
			case 5: // tanh(c)
				x[i] = float32(2*rng.Float64() - 1)
			default:
				x[i] = float32(rng.NormFloat64())
			}
		}
		b[k] = buf
	}
	return &b
}

func (b *rnnBufs) clone() *rnnBufs {
	var c rnnBufs
	for k := range b {
		c[k] = append([]float32(nil), b[k]...)
	}
	return &c
}

// slices returns the buffers without their padding.
func (b *rnnBufs) slices() (dz, dh, dc, a, cprev, tc []float32) {
	s := func(k int) []float32 { return b[k][rnnPad : len(b[k])-rnnPad] }
	return s(0), s(1), s(2), s(3), s(4), s(5)
}

// compare reports the first element, guards included, where got and want
// differ in their bits.
func (b *rnnBufs) compare(t *testing.T, where string, want *rnnBufs) {
	t.Helper()
	for k := range b {
		for i, g := range b[k] {
			if w := want[k][i]; math.Float32bits(g) != math.Float32bits(w) {
				what := fmt.Sprintf("%s[%d]", rnnBufNames[k], i-rnnPad)
				if i < rnnPad || i >= len(b[k])-rnnPad {
					what = fmt.Sprintf("guard %d of %s", i, rnnBufNames[k])
				}
				t.Fatalf("%s: %s = %v (%#x), want %v (%#x)", where, what, g, math.Float32bits(g), w, math.Float32bits(w))
			}
		}
	}
}

// rnnUnits are every width up to 40 (every tail of 8 and 16 lanes, with and
// without whole vectors) and a few layer sizes.
func rnnUnits() []int {
	var us []int
	for u := 1; u <= 40; u++ {
		us = append(us, u)
	}
	return append(us, 64, 100, 128, 257)
}

// TestLSTMKernelsMatchTwins checks every assembly LSTM kernel against its
// Go twin, bit for bit, guards included.
func TestLSTMKernelsMatchTwins(t *testing.T) {
	ks := rnnAsmKernels()
	if len(ks) == 0 {
		t.Skip("no assembly kernels on this CPU or build")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range ks {
		for _, u := range rnnUnits() {
			in := newRNNBufs(rng, u)
			got, want := in.clone(), in.clone()
			k.lstmBack(got.slices())
			rnnGo.lstmBack(want.slices())
			got.compare(t, fmt.Sprintf("%s lstmBack u=%d", k.name, u), want)

			got, want = in.clone(), in.clone()
			_, _, gc, ga, gp, _ := got.slices()
			_, _, wc, wa, wp, _ := want.slices()
			k.lstmState(gc, gp, ga)
			rnnGo.lstmState(wc, wp, wa)
			got.compare(t, fmt.Sprintf("%s lstmState u=%d", k.name, u), want)
			// In place, c = c_prev, as inference runs it.
			_, _, gc, ga, _, _ = got.slices()
			_, _, wc, wa, _, _ = want.slices()
			k.lstmState(gc, gc, ga)
			rnnGo.lstmState(wc, wc, wa)
			got.compare(t, fmt.Sprintf("%s lstmState in place u=%d", k.name, u), want)
		}
	}
}

// TestLSTMCellBackward checks the public entry point (whichever kernel
// this build runs) against the cell's derivatives written out in float64:
// with c' = dc + dh·o·(1 − tc²), dz = (c'·g·i(1−i), c'·c_prev·f(1−f),
// c'·i·(1−g²), dh·tc·o(1−o)), then dc = c'·f and dh = 0.
func TestLSTMCellBackward(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, u := range []int{1, 5, 16, 33, 128} {
		b := newRNNBufs(rng, u)
		dz, dh, dc, a, cp, tc := b.slices()
		h0, dc0 := append([]float32(nil), dh...), append([]float32(nil), dc...)
		LSTMCellBackward(dz, dh, dc, a, cp, tc)
		for j := range u {
			i, f, g, o := float64(a[j]), float64(a[u+j]), float64(a[2*u+j]), float64(a[3*u+j])
			h, tcj := float64(h0[j]), float64(tc[j])
			c := float64(dc0[j]) + h*o*(1-tcj*tcj)
			want := []float64{c * g * i * (1 - i), c * float64(cp[j]) * f * (1 - f), c * i * (1 - g*g), h * tcj * o * (1 - o)}
			for q, w := range want {
				if got := float64(dz[q*u+j]); math.Abs(got-w) > 1e-6*(1+math.Abs(w)) {
					t.Fatalf("u=%d: dz[%d] = %v, want %v", u, q*u+j, got, w)
				}
			}
			if got, w := float64(dc[j]), c*f; math.Abs(got-w) > 1e-6*(1+math.Abs(w)) {
				t.Fatalf("u=%d: dc[%d] = %v, want %v", u, j, got, w)
			}
			if dh[j] != 0 {
				t.Fatalf("u=%d: dh[%d] = %v, want 0", u, j, dh[j])
			}
		}
	}
}

// TestLSTMCellState checks c = f·c_prev + i·g against float64.
func TestLSTMCellState(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, u := range []int{1, 9, 128} {
		b := newRNNBufs(rng, u)
		_, _, c, a, cp, _ := b.slices()
		LSTMCellState(c, cp, a)
		for j := range u {
			w := float64(a[u+j])*float64(cp[j]) + float64(a[j])*float64(a[2*u+j])
			if math.Abs(float64(c[j])-w) > 1e-6*(1+math.Abs(w)) {
				t.Fatalf("u=%d: c[%d] = %v, want %v", u, j, c[j], w)
			}
		}
	}
}

// TestLSTMCellPanics: slices too short for the units panic with a message
// naming the kernel.
func TestLSTMCellPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"state a":    func() { LSTMCellState(make([]float32, 4), make([]float32, 4), make([]float32, 15)) },
		"state prev": func() { LSTMCellState(make([]float32, 4), make([]float32, 3), make([]float32, 16)) },
		"backward dz": func() {
			LSTMCellBackward(make([]float32, 15), make([]float32, 4), make([]float32, 4), make([]float32, 16), make([]float32, 4), make([]float32, 4))
		},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// BenchmarkLSTMCellBackward times one row of 128 units (mnist-lstm's).
func BenchmarkLSTMCellBackward(b *testing.B) {
	in := newRNNBufs(rand.New(rand.NewPCG(1, 1)), 128)
	for _, k := range append([]*rnnKernels{rnnGo}, rnnAsmKernels()...) {
		b.Run(k.name, func(b *testing.B) {
			c := in.clone()
			dz, dh, dc, a, cp, tc := c.slices()
			for range b.N {
				k.lstmBack(dz, dh, dc, a, cp, tc)
			}
		})
	}
}

// TestGemmSerial compares GemmSerial with GemmRef plus the bias, with and
// without bias, with beta 0 and 1, strided operands and k = 0.
func TestGemmSerial(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, s := range []struct{ m, n, k int }{{1, 1, 1}, {5, 7, 3}, {64, 512, 128}, {64, 128, 512}, {37, 13, 0}, {300, 40, 28}} {
		for _, beta := range []float32{0, 1} {
			for _, withBias := range []bool{false, true} {
				lda, ldb, ldc := s.k+3, s.n+5, s.n+2
				a, b := make([]float32, s.m*lda), make([]float32, max(s.k, 1)*ldb)
				c := make([]float32, s.m*ldc)
				for _, x := range [][]float32{a, b, c} {
					for i := range x {
						x[i] = float32(rng.NormFloat64())
					}
				}
				var bias []float32
				if withBias {
					bias = make([]float32, s.n)
					for i := range bias {
						bias[i] = float32(rng.NormFloat64())
					}
				}
				want := append([]float32(nil), c...)
				GemmRef(false, false, s.m, s.n, s.k, 1, a, lda, b, ldb, beta, want, ldc)
				for i := range s.m {
					for j := range bias {
						want[i*ldc+j] += bias[j]
					}
				}
				GemmSerial(s.m, s.n, s.k, a, lda, b, ldb, beta, c, ldc, bias)
				for i, w := range want {
					if math.Abs(float64(c[i]-w)) > 1e-4*(1+math.Abs(float64(w))) {
						t.Fatalf("%dx%dx%d beta %v bias %v: c[%d] = %v, want %v", s.m, s.n, s.k, beta, withBias, i, c[i], w)
					}
				}
			}
		}
	}
}
