package kernels

import (
	"math"
	"testing"
)

// poolRef computes one output cell of a pooling the naive way: visit every
// cell of the padded window and skip those outside the image.
func poolRef(g Pool2D, x []float64, n, oh, ow, c int, isMax bool) (v float64, at int) {
	v, at, count := math.Inf(-1), -1, 0
	if !isMax {
		v = 0
	}
	for kh := range g.KH {
		for kw := range g.KW {
			h, w := oh*g.SH-g.PadTop+kh, ow*g.SW-g.PadLeft+kw
			if h < 0 || h >= g.H || w < 0 || w >= g.W {
				continue
			}
			i := (h*g.W+w)*g.C + c
			xv := x[n*g.InLen()+i]
			count++
			if !isMax {
				v += xv
			} else if xv > v {
				v, at = xv, i
			}
		}
	}
	if !isMax {
		v /= float64(count)
	}
	return v, at
}

const poolGuard = -7777 // written past the end of every output; must survive

func poolWithGuard(n int) []float64 {
	s := make([]float64, n+3)
	for i := n; i < len(s); i++ {
		s[i] = poolGuard
	}
	return s[:n:len(s)]
}

func poolCheckGuard(t *testing.T, what string, s []float64) {
	t.Helper()
	for _, v := range s[len(s):cap(s)] {
		if v != poolGuard {
			t.Fatalf("%s: written past its end", what)
		}
	}
}

func TestPoolKernelsAgainstNaive(t *testing.T) {
	cases := []struct {
		spatial, pool, strides []int
		same                   bool
	}{
		{[]int{5, 5}, []int{2, 2}, []int{2, 2}, false},
		{[]int{7, 7}, []int{3, 3}, []int{2, 2}, false},
		{[]int{7, 7}, []int{3, 3}, []int{2, 2}, true},
		{[]int{5, 7}, []int{2, 3}, []int{1, 2}, true},
		{[]int{5, 6}, []int{4, 4}, []int{1, 1}, true},
		{[]int{6, 5}, []int{1, 2}, []int{3, 1}, true}, // stride larger than the window
		{[]int{9}, []int{3}, []int{2}, true},
		{[]int{4}, []int{4}, []int{4}, false},
	}
	for _, c := range cases {
		g := NewPool2D(2, c.spatial, 3, c.pool, c.strides, c.same)
		x := make([]float64, g.N*g.InLen()+5) // the tail must not be read
		for i := range x {
			x[i] = math.Sin(float64(i)*1.7 + 0.2)
		}
		for i := g.N * g.InLen(); i < len(x); i++ {
			x[i] = math.NaN()
		}
		ymax, yavg := poolWithGuard(g.N*g.OutLen()), poolWithGuard(g.N*g.OutLen())
		arg := make([]int32, g.N*g.OutLen())
		MaxPool2D(g, ymax, arg, x)
		AvgPool2D(g, yavg, x)
		yonly := poolWithGuard(g.N * g.OutLen()) // the path without arg
		MaxPool2D(g, yonly, nil, x)
		poolCheckGuard(t, "max output without arg", yonly)
		for i := range yonly {
			if yonly[i] != ymax[i] {
				t.Fatalf("%+v: max[%d] = %v without arg, %v with", c, i, yonly[i], ymax[i])
			}
		}
		poolCheckGuard(t, "max output", ymax)
		poolCheckGuard(t, "avg output", yavg)
		for n := range g.N {
			for oh := range g.OH {
				for ow := range g.OW {
					for ch := range g.C {
						o := n*g.OutLen() + (oh*g.OW+ow)*g.C + ch
						v, at := poolRef(g, x, n, oh, ow, ch, true)
						if ymax[o] != v || int(arg[o]) != at {
							t.Fatalf("%+v: max[%d] = %v at %d, want %v at %d", c, o, ymax[o], arg[o], v, at)
						}
						if v, _ := poolRef(g, x, n, oh, ow, ch, false); math.Abs(yavg[o]-v) > 1e-15 {
							t.Fatalf("%+v: avg[%d] = %v, want %v", c, o, yavg[o], v)
						}
					}
				}
			}
		}
		// Backward: the adjoint of the forward, <dy, P x> = <Pᵀ dy, x>
		// for the linear average pooling and the max pooling's selection.
		dy := make([]float64, g.N*g.OutLen())
		for i := range dy {
			dy[i] = math.Cos(float64(i) + 0.5)
		}
		dxMax, dxAvg := poolWithGuard(g.N*g.InLen()), poolWithGuard(g.N*g.InLen())
		for i := range dxMax {
			dxMax[i], dxAvg[i] = 99, 99 // stale values must be overwritten
		}
		MaxPool2DBackward(g, dxMax, arg, dy)
		AvgPool2DBackward(g, dxAvg, dy)
		poolCheckGuard(t, "max dx", dxMax)
		poolCheckGuard(t, "avg dx", dxAvg)
		var lhsMax, lhsAvg, rhsMax, rhsAvg float64
		for i := range dy {
			lhsMax += dy[i] * ymax[i]
			lhsAvg += dy[i] * yavg[i]
		}
		for i := range dxMax {
			rhsMax += dxMax[i] * x[i]
			rhsAvg += dxAvg[i] * x[i]
		}
		if math.Abs(lhsMax-rhsMax) > 1e-12 || math.Abs(lhsAvg-rhsAvg) > 1e-12 {
			t.Errorf("%+v: adjoint test: max %v vs %v, avg %v vs %v", c, lhsMax, rhsMax, lhsAvg, rhsAvg)
		}
	}
}

// TestMaxPoolNaN: a NaN anywhere in a window makes its maximum NaN, with
// or without arg, as in PyTorch.
func TestMaxPoolNaN(t *testing.T) {
	g := NewPool2D(1, []int{4}, 1, []int{2}, []int{2}, false)
	for _, x := range [][]float64{{math.NaN(), 1, 2, math.NaN()}, {1, math.NaN(), math.NaN(), 2}} {
		y, arg := make([]float64, 2), make([]int32, 2)
		MaxPool2D(g, y, arg, x)
		y2 := make([]float64, 2)
		MaxPool2D(g, y2, nil, x)
		for i := range y {
			if !math.IsNaN(y[i]) || !math.IsNaN(y2[i]) {
				t.Errorf("max pool of %v = %v (with arg), %v (without), want NaN", x, y, y2)
			}
		}
	}
}

// TestPoolOutput checks output sizes and padding against Keras's formulas
// worked by hand: valid ⌊(n−k)/s⌋+1; same ⌈n/s⌉ with total padding
// max((out−1)s + k − n, 0), the smaller half first.
func TestPoolOutput(t *testing.T) {
	cases := []struct {
		n, k, s      int
		same         bool
		out, padLeft int
	}{
		{7, 3, 2, false, 3, 0},
		{7, 3, 2, true, 4, 1},  // total (4−1)·2 + 3 − 7 = 2
		{5, 2, 2, true, 3, 0},  // total 1: the odd cell goes after
		{6, 4, 1, true, 6, 1},  // total 3: 1 before, 2 after
		{6, 1, 3, true, 2, 0},  // total (2−1)·3 + 1 − 6 < 0: none
		{5, 2, 2, false, 2, 0}, // the last row is dropped
		{2, 3, 1, false, 0, 0}, // window larger than the axis
	}
	for _, c := range cases {
		out, pad := PoolOutput(c.n, c.k, c.s, c.same)
		if out != c.out || pad != c.padLeft {
			t.Errorf("PoolOutput(%d, %d, %d, same=%v) = %d, %d; want %d, %d", c.n, c.k, c.s, c.same, out, pad, c.out, c.padLeft)
		}
	}
}

func TestPadCopy(t *testing.T) {
	shape, before, after := []int{2, 3, 2}, []int{0, 1, 2}, []int{1, 0, 1}
	small := make([]float64, 12)
	for i := range small {
		small[i] = float64(i + 1)
	}
	big := poolWithGuard(3 * 4 * 5)
	PadCopy(big, small, shape, before, after)
	poolCheckGuard(t, "padded", big)
	for a := range 3 {
		for b := range 4 {
			for c := range 5 {
				want := 0.0
				if i, j, k := a-before[0], b-before[1], c-before[2]; i >= 0 && i < 2 && j >= 0 && j < 3 && k >= 0 && k < 2 {
					want = small[(i*3+j)*2+k]
				}
				if got := big[(a*4+b)*5+c]; got != want {
					t.Fatalf("padded[%d,%d,%d] = %v, want %v", a, b, c, got, want)
				}
			}
		}
	}
	back := poolWithGuard(12)
	CropCopy(back, big, shape, before, after)
	poolCheckGuard(t, "cropped", back)
	for i := range back {
		if back[i] != small[i] {
			t.Fatalf("cropped[%d] = %v, want %v", i, back[i], small[i])
		}
	}
}

func TestPoolKernelsAllocateNothing(t *testing.T) {
	g := NewPool2D(4, []int{8, 8}, 4, []int{2, 2}, []int{2, 2}, false)
	x, y, dx := make([]float32, g.N*g.InLen()), make([]float32, g.N*g.OutLen()), make([]float32, g.N*g.InLen())
	arg := make([]int32, len(y))
	shape, before, after := []int{4, 8, 8, 4}, []int{0, 1, 1, 0}, []int{0, 1, 1, 0}
	big := make([]float32, 4*10*10*4)
	if n := testing.AllocsPerRun(10, func() {
		MaxPool2D(g, y, arg, x)
		MaxPool2DBackward(g, dx, arg, y)
		AvgPool2D(g, y, x)
		AvgPool2DBackward(g, dx, y)
		PadCopy(big, x, shape, before, after)
		CropCopy(dx, big, shape, before, after)
	}); n != 0 {
		t.Errorf("%v allocations per run, want 0", n)
	}
}
