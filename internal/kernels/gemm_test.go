package kernels

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// guardBits are the NaN payloads written around and between the rows of every
// matrix handed to Gemm; a test fails if one of them changes or shows up in C.
const (
	guardBits32 = 0x7fc0dead
	guardBits64 = 0x7ff8_0000_dead_beef
)

// guardPad is how many guard elements sit before and after each slice.
const guardPad = 5

func guard[T Float]() T {
	var z T
	if _, ok := any(z).(float32); ok {
		return T(math.Float32frombits(guardBits32))
	}
	return T(math.Float64frombits(guardBits64))
}

func isGuard[T Float](v T) bool {
	switch x := any(v).(type) {
	case float32:
		return math.Float32bits(x) == guardBits32
	case float64:
		return math.Float64bits(x) == guardBits64
	}
	return false
}

func epsilon[T Float]() float64 {
	var z T
	if _, ok := any(z).(float32); ok {
		return 0x1p-23 // float32 machine epsilon
	}
	return 0x1p-52 // float64 machine epsilon
}

// guarded is a rows×cols row-major matrix with row stride ld inside a buffer
// of guard values: guardPad before, guardPad after and ld-cols between rows.
type guarded[T Float] struct {
	buf            []T
	rows, cols, ld int
	data           []T // buf[guardPad : guardPad+(rows-1)*ld+cols], as passed to Gemm
}

func newGuarded[T Float](rows, cols, ld int, fill func() T) *guarded[T] {
	n := 0
	if rows > 0 && cols > 0 {
		n = (rows-1)*ld + cols
	}
	g := &guarded[T]{buf: make([]T, guardPad+n+guardPad), rows: rows, cols: cols, ld: ld}
	for i := range g.buf {
		g.buf[i] = guard[T]()
	}
	g.data = g.buf[guardPad : guardPad+n]
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			g.data[r*ld+c] = fill()
		}
	}
	return g
}

// at returns element (r, c).
func (g *guarded[T]) at(r, c int) T { return g.data[r*g.ld+c] }

// checkGuards reports every guard element that no longer holds the guard.
func (g *guarded[T]) checkGuards(t *testing.T, name string) {
	t.Helper()
	bad := 0
	for i, v := range g.buf {
		off := i - guardPad
		inside := off >= 0 && off < len(g.data) && off%g.ld < g.cols
		if !inside && !isGuard(v) {
			if bad < 3 {
				t.Errorf("%s: guard at buffer index %d (offset %d) overwritten: got %v, want the NaN guard", name, i, off, v)
			}
			bad++
		}
	}
	if bad > 3 {
		t.Errorf("%s: %d guards overwritten in all", name, bad)
	}
}

func (g *guarded[T]) snapshot() []T { return append([]T(nil), g.buf...) }

// guardedOperands returns guarded A and B for a product of op(A) (m×k) and
// op(B) (k×n), stored transposed where transA and transB say, with extra
// added to each leading dimension, filled by rnd.
func guardedOperands[T Float](transA, transB bool, m, n, k, extra int, rnd func() T) (a, b *guarded[T]) {
	aRows, aCols := m, k
	if transA {
		aRows, aCols = k, m
	}
	bRows, bCols := k, n
	if transB {
		bRows, bCols = n, k
	}
	return newGuarded(aRows, aCols, max(1, aCols)+extra, rnd), newGuarded(bRows, bCols, max(1, bCols)+extra, rnd)
}

type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float64
	extra          int // added to every leading dimension
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d,alpha=%g,beta=%g,extra=%d",
		tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.extra)
}

// checkGemmCase runs Gemm and GemmRef on the same guarded inputs and checks
// that the results agree within a rounding bound, that A and B are unchanged,
// and that no guard around or inside any matrix was touched.
func checkGemmCase[T Float](t *testing.T, tc gemmCase, rng *rand.Rand) {
	t.Helper()
	rnd := func() T { return T(rng.Float64()*2 - 1) }
	a, b := guardedOperands(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.extra, rnd)
	cFill := rnd
	if tc.beta == 0 {
		cFill = func() T { return T(math.NaN()) } // must not leak into the result
	}
	c := newGuarded(tc.m, tc.n, max(1, tc.n)+tc.extra, cFill)
	want := newGuarded(tc.m, tc.n, max(1, tc.n)+tc.extra, func() T { return 0 })
	copy(want.buf, c.buf)
	aBefore, bBefore, cBefore := a.snapshot(), b.snapshot(), c.snapshot()

	alpha, beta := T(tc.alpha), T(tc.beta)
	Gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, alpha, a.data, a.ld, b.data, b.ld, beta, c.data, c.ld)
	GemmRef(tc.transA, tc.transB, tc.m, tc.n, tc.k, alpha, a.data, a.ld, b.data, b.ld, beta, want.data, want.ld)

	absA, absB := absOp(a, tc.transA, tc.m, tc.k), absOp(b, tc.transB, tc.k, tc.n)
	bad := 0
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			// Both results carry at most about (k+2)·eps·Σ|terms| of rounding
			// error (Higham, Accuracy and Stability of Numerical Algorithms,
			// §3.1); allow twice that, for the two of them.
			var mag float64
			for p, x := range absA[i*tc.k : i*tc.k+tc.k] {
				mag += x * absB[p*tc.n+j]
			}
			mag *= math.Abs(tc.alpha)
			if tc.beta != 0 && tc.alpha != 0 {
				mag += math.Abs(tc.beta * float64(cBefore[guardPad+i*c.ld+j]))
			}
			tol := 2*float64(tc.k+2)*epsilon[T]()*mag + 1e-300
			got, exp := float64(c.at(i, j)), float64(want.at(i, j))
			if math.IsNaN(got) || math.IsNaN(exp) || math.Abs(got-exp) > tol {
				if bad < 3 {
					t.Errorf("%v: C[%d][%d]: got %v, want %v (tolerance %.3g)", tc, i, j, got, exp, tol)
				}
				bad++
			}
		}
	}
	if bad > 3 {
		t.Errorf("%v: %d elements of C wrong in all", tc, bad)
	}
	for i := range aBefore {
		if math.Float64bits(float64(a.buf[i])) != math.Float64bits(float64(aBefore[i])) {
			t.Errorf("%v: A changed at buffer index %d: got %v, want %v", tc, i, a.buf[i], aBefore[i])
			break
		}
	}
	for i := range bBefore {
		if math.Float64bits(float64(b.buf[i])) != math.Float64bits(float64(bBefore[i])) {
			t.Errorf("%v: B changed at buffer index %d: got %v, want %v", tc, i, b.buf[i], bBefore[i])
			break
		}
	}
	c.checkGuards(t, tc.String()+": C")
	want.checkGuards(t, tc.String()+": GemmRef C")
}

// absOp returns |op(X)| as a dense rows×cols float64 matrix, where op(X)
// is x, or x transposed when trans is set.
func absOp[T Float](x *guarded[T], trans bool, rows, cols int) []float64 {
	out := make([]float64, rows*cols)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			if trans {
				out[i*cols+j] = math.Abs(float64(x.at(j, i)))
			} else {
				out[i*cols+j] = math.Abs(float64(x.at(i, j)))
			}
		}
	}
	return out
}

// gemmCases returns every transpose combination for each size, with alpha,
// beta and the stride padding cycling through their interesting values.
func gemmCases(sizes [][3]int) []gemmCase {
	alphas := []float64{1, 0.75, -2, 0}
	betas := []float64{0, 1, -0.5}
	var cases []gemmCase
	i := 0
	for _, s := range sizes {
		for tr := 0; tr < 4; tr++ {
			cases = append(cases, gemmCase{
				transA: tr&1 != 0, transB: tr&2 != 0,
				m: s[0], n: s[1], k: s[2],
				alpha: alphas[i%len(alphas)], beta: betas[(i/len(alphas))%len(betas)],
				extra: []int{0, 1, 3}[i%3],
			})
			i++
		}
	}
	return cases
}

func testGemmSmall[T Float](t *testing.T) {
	// Every size 0..9 plus sizes that straddle the tiles (4×2, 6×16, 8×32,
	// 16×16), the unrolled k loops (8× in Go, 4× in assembly) and, with the
	// small blocks of forEachKernel32, the cache blocks, up to 37.
	dims := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 23, 31, 32, 33, 37}
	var sizes [][3]int
	for _, m := range dims {
		for _, n := range dims {
			for _, k := range dims {
				// Keep the run short: all sizes up to 9, a sample above;
				// a third of those under the race detector, 10× slower.
				if m > 9 || n > 9 || k > 9 {
					if (m+2*n+3*k)%5 != 0 {
						continue
					}
				}
				if raceEnabled && (m+n+k)%3 != 0 {
					continue
				}
				sizes = append(sizes, [3]int{m, n, k})
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range gemmCases(sizes) {
		checkGemmCase[T](t, tc, rng)
	}
}

// forEachKernel32 runs f as a subtest once for each float32 micro-kernel
// this CPU runs (the assembly ones and the pure-Go one), with sgemmKernel
// set to it. With small set, the kernel's cache blocks shrink to a few tiles
// (kc = 5, mc = 2·mr, nc = 2·nr), its parallel threshold to 500 and the
// rows up to which it reads B in place (if it can) to 16, and GOMAXPROCS is
// 3, so that products of a few dozen rows cross every block edge, split over
// goroutines (some parts empty) and take both ways of reading B.
func forEachKernel32(t *testing.T, small bool, f func(t *testing.T)) {
	t.Helper()
	if small {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	}
	for _, k := range sgemmKernels {
		kern := *k
		kern.narrow = nil // test this kernel on narrow products too
		if small {
			kern.kc, kern.mc, kern.nc = 5, 2*kern.mr, 2*kern.nr
			kern.workPerThread, kern.hotWorkPerThread = 500, 500
			kern.inPlaceBRows = min(kern.inPlaceBRows, 16)
		}
		t.Run(kern.name, func(t *testing.T) {
			defer func(old *gemmKernel[float32]) { sgemmKernel = old }(sgemmKernel)
			sgemmKernel = &kern
			f(t)
		})
	}
}

func TestGemmSmallFloat32(t *testing.T) {
	forEachKernel32(t, true, testGemmSmall[float32])
}

func TestGemmSmallFloat64(t *testing.T) { testGemmSmall[float64](t) }

// TestGemmTileEdges runs each float32 kernel with its own cache blocking on
// sizes one below, at and one above a whole number of tiles, and at depths
// on both sides of the 4× unrolled k loop of the assembly kernels.
func TestGemmTileEdges(t *testing.T) {
	forEachKernel32(t, false, func(t *testing.T) {
		mr, nr := sgemmKernel.mr, sgemmKernel.nr
		var sizes [][3]int
		for _, m := range []int{mr - 1, mr, mr + 1, 2*mr + 1} {
			for _, n := range []int{nr - 1, nr, nr + 1, 2*nr + 3} {
				for _, k := range []int{1, 4, 7} {
					sizes = append(sizes, [3]int{max(m, 1), max(n, 1), k})
				}
			}
		}
		rng := rand.New(rand.NewPCG(11, 12))
		for _, tc := range gemmCases(sizes) {
			checkGemmCase[float32](t, tc, rng)
		}
	})
}

// TestGemmAlphaBeta runs every combination of alpha and beta in {0, 1, other}
// for each transpose combination at a size with partial tiles.
func TestGemmAlphaBeta(t *testing.T) {
	cases := func() []gemmCase {
		var cases []gemmCase
		for _, alpha := range []float64{0, 1, 1.5} {
			for _, beta := range []float64{0, 1, -0.25} {
				for tr := 0; tr < 4; tr++ {
					cases = append(cases, gemmCase{transA: tr&1 != 0, transB: tr&2 != 0, m: 11, n: 37, k: 19, alpha: alpha, beta: beta, extra: 2})
				}
			}
		}
		return cases
	}
	forEachKernel32(t, true, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, tc := range cases() {
			checkGemmCase[float32](t, tc, rng)
		}
	})
	rng := rand.New(rand.NewPCG(3, 5))
	for _, tc := range cases() {
		checkGemmCase[float64](t, tc, rng)
	}
}

// TestGemmLarge covers each kernel's own cache blocking: k past kc so that C
// accumulates over k blocks, m past mc, n past nc, and sizes large enough for
// the parallel split by rows and by columns, with 1, 2 and 3 goroutines for
// the kernel Gemm uses and 2 for the others (2 only, and fewer sizes, with
// -short or the race detector).
func TestGemmLarge(t *testing.T) {
	forEachKernel32(t, false, func(t *testing.T) {
		kern := sgemmKernel
		sizes := [][3]int{
			{kern.mc + 1, kern.nr + 1, kern.kc + 1}, // two blocks of m and of k
			{261, 35, 40},                           // parallel by rows
			{35, 259, 40},                           // parallel by columns
			{3, kern.nc + kern.nr + 1, 5},           // two blocks of n
			{128, 10, 128},                          // the MLP's last layer
		}
		first := kern.name == sgemmKernels[0].name
		if raceEnabled && !first {
			sizes = sizes[1:] // 10× slower: the deep product for Gemm's own kernel only
		}
		procs := []int{2}
		if first && !testing.Short() && !raceEnabled {
			procs = []int{1, 2, 3}
		}
		for _, p := range procs {
			t.Run(fmt.Sprintf("procs=%d", p), func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(p))
				rng := rand.New(rand.NewPCG(5, uint64(p)))
				for _, tc := range gemmCases(sizes) {
					checkGemmCase[float32](t, tc, rng)
				}
			})
		}
	})
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	rng := rand.New(rand.NewPCG(6, 7))
	for _, tc := range gemmCases([][3]int{{gemmMC + 1, 67, gemmKC + 1}, {100, 101, 40}}) {
		checkGemmCase[float64](t, tc, rng)
	}
}

// TestGemmAlphaZeroIgnoresAB checks the BLAS convention that alpha == 0 does
// not read A or B, so NaNs in them do not reach C.
func TestGemmAlphaZeroIgnoresAB(t *testing.T) {
	nan := float32(math.NaN())
	a := []float32{nan, nan, nan, nan}
	b := []float32{nan, nan, nan, nan}
	c := []float32{1, 2, 3, 4}
	Gemm(false, false, 2, 2, 2, 0, a, 2, b, 2, 2, c, 2)
	want := []float32{2, 4, 6, 8} // beta*C = 2*C
	for i := range c {
		if c[i] != want[i] {
			t.Errorf("C[%d]: got %v, want %v", i, c[i], want[i])
		}
	}
}

// TestKernel4x2 compares the micro-kernel with the plain sum it stands for,
// for depths on both sides of the 8× unrolling.
func TestKernel4x2(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, kc := range []int{0, 1, 7, 8, 9, 16, 23, 256} {
		a := make([]float64, kc*goMR)
		b := make([]float64, kc*goNR)
		for i := range a {
			a[i] = float64(rng.IntN(17) - 8) // small integers: every sum is exact
		}
		for i := range b {
			b[i] = float64(rng.IntN(17) - 8)
		}
		var acc [goMR * goNR]float64
		kernel4x2(kc, a, b, &acc)
		for i := 0; i < goMR; i++ {
			for j := 0; j < goNR; j++ {
				var want float64
				for p := 0; p < kc; p++ {
					want += a[p*goMR+i] * b[p*goNR+j]
				}
				if got := acc[i*goNR+j]; got != want {
					t.Errorf("kc=%d: acc[%d][%d]: got %v, want %v", kc, i, j, got, want)
				}
			}
		}
	}
}

func TestGemmPanics(t *testing.T) {
	buf := make([]float32, 100)
	tests := []struct {
		name           string
		transA, transB bool
		m, n, k        int
		lenA, lda      int
		lenB, ldb      int
		lenC, ldc      int
		want           string
	}{
		{"negative m", false, false, -1, 2, 2, 4, 2, 4, 2, 4, 2, "negative size"},
		{"lda < k", false, false, 2, 2, 3, 6, 2, 6, 2, 4, 2, "lda 2 is less than the 3 columns of a"},
		{"lda < m when transA", true, false, 3, 2, 2, 6, 2, 4, 2, 6, 2, "lda 2 is less than the 3 columns of a"},
		{"ldb < n", false, false, 2, 3, 2, 4, 2, 6, 2, 6, 3, "ldb 2 is less than the 3 columns of b"},
		{"ldc < n", false, false, 2, 3, 2, 4, 2, 6, 3, 6, 2, "ldc 2 is less than the 3 columns of c"},
		{"short a", false, false, 2, 2, 2, 3, 2, 4, 2, 4, 2, "len(a) 3 is less than the 4 elements"},
		{"short b when transB", false, true, 2, 3, 2, 4, 2, 5, 2, 6, 3, "len(b) 5 is less than the 6 elements"},
		{"short c with stride", false, false, 2, 2, 2, 4, 2, 4, 2, 4, 3, "len(c) 4 is less than the 5 elements"},
	}
	for _, tt := range tests {
		for _, op := range []string{"Gemm", "GemmRef"} {
			t.Run(op+"/"+tt.name, func(t *testing.T) {
				defer func() {
					r := recover()
					err, ok := r.(error)
					var ge *GemmError
					if !ok || !errors.As(err, &ge) {
						t.Fatalf("got panic %v, want a *GemmError", r)
					}
					if ge.Op != op || !strings.Contains(err.Error(), tt.want) {
						t.Errorf("got %q, want op %s and %q", err, op, tt.want)
					}
				}()
				f := Gemm[float32]
				if op == "GemmRef" {
					f = GemmRef[float32]
				}
				f(tt.transA, tt.transB, tt.m, tt.n, tt.k, 1, buf[:tt.lenA], tt.lda, buf[:tt.lenB], tt.ldb, 0, buf[:tt.lenC], tt.ldc)
			})
		}
	}
}

// TestGemmAllocs checks that Gemm does not allocate in steady state, for a
// serial product, one that is split only while a worker spins (and
// otherwise wakes one) and one always split, in float32 and float64.
func TestGemmAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	for _, s := range [][3]int{{8, 8, 8}, {32, 32, 32}, {128, 128, 128}} {
		m, n, k := s[0], s[1], s[2]
		a32, b32, c32 := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
		a64, b64, c64 := make([]float64, m*k), make([]float64, k*n), make([]float64, m*n)
		got32 := testing.AllocsPerRun(20, func() { Gemm(false, true, m, n, k, 1, a32, k, b32, k, 0, c32, n) })
		got64 := testing.AllocsPerRun(20, func() { Gemm(true, false, m, n, k, 1, a64, m, b64, n, 1, c64, n) })
		if got32 != 0 || got64 != 0 {
			t.Errorf("%d×%d×%d: allocations per call: got %v (float32) and %v (float64), want 0", m, n, k, got32, got64)
		}
	}
}

// FuzzGemm compares Gemm with GemmRef on sizes and transpositions chosen by
// the fuzzer.
func FuzzGemm(f *testing.F) {
	f.Add(uint8(5), uint8(7), uint16(9), uint8(0), uint8(1), uint64(1))
	f.Add(uint8(64), uint8(3), uint16(300), uint8(3), uint8(0), uint64(2))
	f.Fuzz(func(t *testing.T, m, n uint8, k uint16, trans, extra uint8, seed uint64) {
		tc := gemmCase{
			transA: trans&1 != 0, transB: trans&2 != 0,
			m: int(m % 70), n: int(n % 70), k: int(k % 300),
			alpha: []float64{1, 0, -1.5}[seed%3], beta: []float64{0, 1, 0.5}[(seed/3)%3],
			extra: int(extra % 4),
		}
		// Each float32 kernel in turn, with small cache blocks on odd seeds.
		kern := *sgemmKernels[int(seed/9)%len(sgemmKernels)]
		kern.narrow = nil
		if seed%2 == 1 {
			kern.kc, kern.mc, kern.nc = 7, 2*kern.mr, 2*kern.nr
			kern.workPerThread, kern.hotWorkPerThread = 500, 500
			kern.inPlaceBRows = min(kern.inPlaceBRows, 16)
		}
		defer func(old *gemmKernel[float32]) { sgemmKernel = old }(sgemmKernel)
		sgemmKernel = &kern
		checkGemmCase[float32](t, tc, rand.New(rand.NewPCG(seed, 9)))
	})
}
