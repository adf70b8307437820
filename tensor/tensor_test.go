package tensor

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func seq(shape ...int) *Tensor {
	t := Zeros(shape...)
	for i := range t.f32 {
		t.f32[i] = float32(i + 1)
	}
	return t
}

func TestBroadcastShapes(t *testing.T) {
	cases := []struct {
		a, b, want []int
		ok         bool
	}{
		{[]int{3, 4}, []int{4}, []int{3, 4}, true},
		{[]int{3, 1}, []int{1, 4}, []int{3, 4}, true},
		{[]int{2, 1, 4}, []int{3, 1}, []int{2, 3, 4}, true},
		{[]int{}, []int{2, 2}, []int{2, 2}, true},
		{[]int{3}, []int{4}, nil, false},
	}
	for _, c := range cases {
		got, err := BroadcastShapes(c.a, c.b)
		if (err == nil) != c.ok || (c.ok && !slices.Equal(got, c.want)) {
			t.Errorf("BroadcastShapes(%v, %v) = %v, %v; want %v (ok=%v)", c.a, c.b, got, err, c.want, c.ok)
		}
	}
}

func TestBinaryBroadcast(t *testing.T) {
	a := seq(2, 3)                          // [[1 2 3] [4 5 6]]
	b := FromFloat32([]float32{10, 20, 30}) // row vector
	c := FromFloat32([]float32{100, 200}, 2, 1)
	// Every want below is worked by hand from a, b and c with NumPy's
	// broadcasting rules; 12/5 is rounded to float32 as the op computes it.
	cases := []struct {
		name string
		got  *Tensor
		want []float64
	}{
		{"add row", Add(a, b), []float64{11, 22, 33, 14, 25, 36}},
		{"sub col", Sub(a, c), []float64{-99, -98, -97, -196, -195, -194}},
		{"mul scalar tensor", Mul(a, Scalar(2)), []float64{2, 4, 6, 8, 10, 12}},
		{"div scalar first", Div(Scalar(12), a), []float64{12, 6, 4, 3, float64(float32(2.4)), 2}},
		{"outer (2,1)+(3,)", Add(c, b), []float64{110, 120, 130, 210, 220, 230}},
		{"maximum", Maximum(a, FromFloat32([]float32{3}, 1)), []float64{3, 3, 3, 4, 5, 6}},
		{"minimum", Minimum(a, Full(2, 2, 3)), []float64{1, 2, 2, 2, 2, 2}},
		{"general (2,1,3)+(2,1)", Add(seq(2, 1, 3), FromFloat32([]float32{10, 20}, 2, 1)), []float64{11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26}},
	}
	for _, c := range cases {
		if got := c.got.Values(); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestBroadcastMismatchPanicsWithShapeError(t *testing.T) {
	defer func() {
		r := recover()
		var se *ShapeError
		if err, ok := r.(error); !ok || !errors.As(err, &se) || se.Op != "Add" {
			t.Fatalf("recovered %v, want *ShapeError from Add", r)
		}
	}()
	Add(Zeros(3), Zeros(4))
}

func TestReductions(t *testing.T) {
	a := seq(2, 3, 4) // values 1..24
	// The wants are sums and maxima of those values worked by hand (e.g.
	// sum over axis 0: a[0,i,j] + a[1,i,j] = 2·(4i+j+1) + 12).
	cases := []struct {
		name  string
		got   *Tensor
		shape []int
		want  []float64
	}{
		{"sum all", Sum(a, false), []int{}, []float64{300}}, // 24·25/2
		{"sum axis 0", Sum(a, false, 0), []int{3, 4}, []float64{14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36}},
		{"sum axis -1 keep", Sum(a, true, -1), []int{2, 3, 1}, []float64{10, 26, 42, 58, 74, 90}},
		{"sum axes 0,2", Sum(a, false, 0, 2), []int{3}, []float64{68, 100, 132}},
		{"mean axis 1", Mean(a, false, 1), []int{2, 4}, []float64{5, 6, 7, 8, 17, 18, 19, 20}},
		{"max axis 1", Max(a, false, 1), []int{2, 4}, []float64{9, 10, 11, 12, 21, 22, 23, 24}},
		{"sumto (1,4)", SumTo(a, []int{1, 4}), []int{1, 4}, []float64{66, 72, 78, 84}},
		{"sumto (3,1)", SumTo(a, []int{3, 1}), []int{3, 1}, []float64{68, 100, 132}},
	}
	for _, c := range cases {
		if !slices.Equal(c.got.Shape(), c.shape) || !slices.Equal(c.got.Values(), c.want) {
			t.Errorf("%s: got %v %v, want %v %v", c.name, c.got.Shape(), c.got.Values(), c.shape, c.want)
		}
	}
}

func TestMatMulTransposes(t *testing.T) {
	a := seq(2, 3) // [[1 2 3] [4 5 6]]
	b := seq(3, 2) // [[1 2] [3 4] [5 6]]
	// By hand: a·b = [[22 28] [49 64]].
	if got := MatMul(a, b, false, false).Values(); !slices.Equal(got, []float64{22, 28, 49, 64}) {
		t.Errorf("a·b = %v", got)
	}
	// aᵀ given as (3,2): Transpose(a)ᵀ·b... aᵀᵀ·b = a·b
	if got := MatMul(Transpose(a), b, true, false).Values(); !slices.Equal(got, []float64{22, 28, 49, 64}) {
		t.Errorf("(aᵀ)ᵀ·b = %v", got)
	}
	if got := MatMul(a, Transpose(b), false, true).Values(); !slices.Equal(got, []float64{22, 28, 49, 64}) {
		t.Errorf("a·(bᵀ)ᵀ = %v", got)
	}
	d := Full(1, 2, 2)
	MatMulInto(d, a, b, false, false, true)
	if got := d.Values(); !slices.Equal(got, []float64{23, 29, 50, 65}) {
		t.Errorf("accumulate: %v", got)
	}
}

func TestTranspose(t *testing.T) {
	a := seq(2, 3, 4)
	p := Transpose(a, 2, 0, 1)
	if !slices.Equal(p.Shape(), []int{4, 2, 3}) {
		t.Fatalf("shape %v", p.Shape())
	}
	for i := 0; i < 2; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 4; k++ {
				if p.At(k, i, j) != a.At(i, j, k) {
					t.Fatalf("p[%d,%d,%d] = %v, want %v", k, i, j, p.At(k, i, j), a.At(i, j, k))
				}
			}
		}
	}
}

func TestViewsShareStorage(t *testing.T) {
	a := seq(4, 3)
	r := a.Rows(1, 3)
	r.Set(-1, 0, 0)
	if a.At(1, 0) != -1 {
		t.Error("Rows view does not share storage")
	}
	v := a.Reshape(-1)
	if !slices.Equal(v.Shape(), []int{12}) {
		t.Errorf("Reshape(-1) shape %v", v.Shape())
	}
	v.SetFlat(11, 99)
	if a.At(3, 2) != 99 {
		t.Error("Reshape view does not share storage")
	}
}

func TestSoftmaxStable(t *testing.T) {
	x := FromFloat32([]float32{1e4, -1e4, 0, 0, 0, 0}, 2, 3)
	s := Softmax(x).Values()
	ls := LogSoftmax(x).Values()
	for i := range s {
		if math.IsNaN(s[i]) || math.IsNaN(ls[i]) || math.IsInf(ls[i], 0) {
			t.Fatalf("softmax/log_softmax of ±1e4 gave %v / %v", s, ls)
		}
	}
	// Row 2 is uniform: softmax 1/3 each, log 1/3 = -1.0986.
	if math.Abs(s[3]-1.0/3) > 1e-7 || math.Abs(ls[3]-math.Log(1.0/3)) > 1e-6 {
		t.Errorf("uniform row: %v %v", s[3], ls[3])
	}
}

func TestFloat64AndConversion(t *testing.T) {
	a := FromFloat64([]float64{1, 2, 3, 4}, 2, 2)
	b := Add(a, a)
	if b.DType() != Float64 || !slices.Equal(b.Values(), []float64{2, 4, 6, 8}) {
		t.Errorf("float64 add: %v", b)
	}
	c := b.AsType(Float32)
	if c.DType() != Float32 || c.Float32s()[3] != 8 {
		t.Errorf("AsType: %v", c)
	}
	if ArgMax(FromFloat32([]float32{1, 5, 5, 2, 9, 0}, 2, 3))[0] != 1 {
		t.Error("ArgMax must pick the first of tied maxima")
	}
}
