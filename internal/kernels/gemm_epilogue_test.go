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

type biasActCase struct {
	transA, transB bool
	m, n, k        int
	bias           bool
	act            Epilogue
	extra          int // added to every leading dimension
}

func (tc biasActCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d,bias=%v,act=%v,extra=%d",
		tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.bias, tc.act, tc.extra)
}

// checkBiasActCase runs GemmBiasAct on guarded inputs over a C full of NaNs
// and compares it with the composed version: Gemm (alpha 1, beta 0), then
// the bias added and the activation applied in separate loops. The fused
// epilogue adds the bias to the same rounded sums and clamps the same
// values, so the two must agree bit for bit. Then it checks the composed
// result against GemmBiasActRef within Gemm's rounding bound, and that no
// guard moved.
func checkBiasActCase[T Float](t *testing.T, tc biasActCase, rng *rand.Rand) {
	t.Helper()
	rnd := func() T { return T(rng.Float64()*2 - 1) }
	a, b := guardedOperands(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.extra, rnd)
	ld := max(1, tc.n) + tc.extra
	nan := func() T { return T(math.NaN()) }
	got := newGuarded(tc.m, tc.n, ld, nan)
	composed := newGuarded(tc.m, tc.n, ld, nan)
	ref := newGuarded(tc.m, tc.n, ld, nan)
	var bias *guarded[T]
	var bv []T
	if tc.bias {
		bias = newGuarded(1, tc.n, tc.n, rnd)
		bv = bias.data
	}

	GemmBiasAct(tc.transA, tc.transB, tc.m, tc.n, tc.k, a.data, a.ld, b.data, b.ld, got.data, ld, bv, tc.act)
	GemmBiasActRef(tc.transA, tc.transB, tc.m, tc.n, tc.k, a.data, a.ld, b.data, b.ld, ref.data, ld, bv, tc.act)
	Gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, 1, a.data, a.ld, b.data, b.ld, 0, composed.data, ld)
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			v := composed.at(i, j)
			if bv != nil {
				v += bv[j]
			}
			if tc.act == EpilogueReLU {
				v = max(v, 0)
			}
			composed.data[i*ld+j] = v
		}
	}

	bad := 0
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			g, c, r := float64(got.at(i, j)), float64(composed.at(i, j)), float64(ref.at(i, j))
			var mag float64
			for p := 0; p < tc.k; p++ {
				var x, y T
				if tc.transA {
					x = a.at(p, i)
				} else {
					x = a.at(i, p)
				}
				if tc.transB {
					y = b.at(j, p)
				} else {
					y = b.at(p, j)
				}
				mag += math.Abs(float64(x) * float64(y))
			}
			if bv != nil {
				mag += math.Abs(float64(bv[j]))
			}
			tol := 2*float64(tc.k+3)*epsilon[T]()*mag + 1e-300 // Gemm's bound, one more rounding for the bias
			if g != c || math.IsNaN(g) || math.Abs(g-r) > tol {
				if bad < 3 {
					t.Errorf("%v: C[%d][%d]: got %v, want %v (composed), %v (GemmBiasActRef, tolerance %.3g)", tc, i, j, g, c, r, tol)
				}
				bad++
			}
		}
	}
	for _, g := range []*guarded[T]{a, b, got, ref} {
		g.checkGuards(t, tc.String())
	}
	if bias != nil {
		bias.checkGuards(t, tc.String()+": bias")
	}
}

// TestGemmBiasAct runs GemmBiasAct against the composed Gemm + bias +
// activation for each float32 kernel, with small cache blocks (so that the
// epilogue meets partial sums from earlier k blocks and a parallel split)
// and with the kernel's own blocking, and once in float64.
func TestGemmBiasAct(t *testing.T) {
	sizes := [][3]int{{1, 1, 1}, {3, 5, 2}, {8, 32, 9}, {9, 33, 17}, {17, 70, 23}, {37, 13, 40}, {128, 10, 12}}
	cases := func() []biasActCase {
		var cases []biasActCase
		i := 0
		for _, s := range sizes {
			for tr := 0; tr < 4; tr++ {
				for _, act := range []Epilogue{EpilogueNone, EpilogueReLU} {
					cases = append(cases, biasActCase{tr&1 != 0, tr&2 != 0, s[0], s[1], s[2], i%3 != 2, act, i % 3})
					i++
				}
			}
		}
		return cases
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	for _, small := range []bool{true, false} {
		t.Run(fmt.Sprintf("small=%v", small), func(t *testing.T) {
			forEachKernel32(t, small, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(41, 42))
				for _, tc := range cases() {
					checkBiasActCase[float32](t, tc, rng)
				}
			})
		})
	}
	rng := rand.New(rand.NewPCG(43, 44))
	for _, tc := range cases() {
		checkBiasActCase[float64](t, tc, rng)
	}
}

// TestGemmBiasActEmptyK checks that k == 0 makes every row act(bias), and
// zeros without a bias, overwriting NaNs.
func TestGemmBiasActEmptyK(t *testing.T) {
	bias := []float32{-1, 2, -3}
	tests := []struct {
		bias []float32
		act  Epilogue
		want []float32
	}{
		{bias, EpilogueNone, []float32{-1, 2, -3, -1, 2, -3}},
		{bias, EpilogueReLU, []float32{0, 2, 0, 0, 2, 0}},
		{nil, EpilogueReLU, []float32{0, 0, 0, 0, 0, 0}},
	}
	nan := float32(math.NaN())
	for _, tt := range tests {
		for _, f := range []func(bool, bool, int, int, int, []float32, int, []float32, int, []float32, int, []float32, Epilogue){GemmBiasAct[float32], GemmBiasActRef[float32]} {
			c := []float32{nan, nan, nan, nan, nan, nan}
			f(false, false, 2, 3, 0, nil, 1, nil, 3, c, 3, tt.bias, tt.act)
			for i := range c {
				if c[i] != tt.want[i] {
					t.Errorf("bias=%v act=%v: C: got %v, want %v", tt.bias, tt.act, c, tt.want)
					break
				}
			}
		}
	}
}

func TestGemmBiasActPanics(t *testing.T) {
	buf := make([]float32, 16)
	tests := []struct {
		name string
		bias []float32
		act  Epilogue
		want string
	}{
		{"short bias", buf[:2], EpilogueNone, "len(bias) 2 is less than the 3 columns of c"},
		{"unknown act", nil, Epilogue(7), "unknown activation Epilogue(7)"},
	}
	for _, tt := range tests {
		for _, op := range []string{"GemmBiasAct", "GemmBiasActRef"} {
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
				f := GemmBiasAct[float32]
				if op == "GemmBiasActRef" {
					f = GemmBiasActRef[float32]
				}
				f(false, false, 2, 3, 2, buf, 2, buf, 3, buf, 3, tt.bias, tt.act)
			})
		}
	}
}

// TestGemmBiasActAllocs checks that GemmBiasAct does not allocate in steady
// state, serial and parallel.
func TestGemmBiasActAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	for _, s := range [][3]int{{8, 8, 8}, {128, 256, 784}} {
		m, n, k := s[0], s[1], s[2]
		a, b, c, bias := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n), make([]float32, n)
		got := testing.AllocsPerRun(20, func() { GemmBiasAct(false, false, m, n, k, a, k, b, n, c, n, bias, EpilogueReLU) })
		if got != 0 {
			t.Errorf("%d×%d×%d: allocations per call: got %v, want 0", m, n, k, got)
		}
	}
}

// ExampleGemmBiasAct computes a Dense layer with ReLU: Y = relu(X·W + b).
func ExampleGemmBiasAct() {
	x := []float32{
		1, 2,
		-3, 1,
	}
	w := []float32{
		1, 0, 2,
		0, 1, -1,
	}
	b := []float32{0.5, -1, 0}
	y := make([]float32, 2*3)
	GemmBiasAct(false, false, 2, 3, 2, x, 2, w, 3, y, 3, b, EpilogueReLU)
	fmt.Println(y)
	// Output:
	// [1.5 1 0 0 0 0]
}
