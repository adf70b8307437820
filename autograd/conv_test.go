package autograd

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// convCases sweep Conv2D's geometry: strides 1–2, dilation 1–2, no,
// symmetric and asymmetric ("same"-like, extra at the end) padding, odd
// sizes, one and several channels, batch 1 and 2, with and without bias.
var convCases = []struct {
	x, w []int // shapes
	bias bool
	cfg  ConvConfig
}{
	{[]int{1, 5, 5, 1}, []int{3, 3, 1, 2}, true, ConvConfig{}},
	{[]int{2, 5, 4, 2}, []int{2, 3, 2, 3}, true, ConvConfig{Strides: [2]int{2, 1}}},
	{[]int{2, 5, 5, 2}, []int{3, 3, 2, 2}, false, ConvConfig{Strides: [2]int{2, 2}, Padding: [4]int{1, 1, 1, 1}}},
	{[]int{1, 4, 6, 2}, []int{3, 2, 2, 2}, true, ConvConfig{Padding: [4]int{1, 1, 0, 1}}},
	{[]int{2, 6, 5, 1}, []int{2, 2, 1, 3}, true, ConvConfig{Dilation: [2]int{2, 2}, Padding: [4]int{1, 1, 0, 1}}},
	{[]int{1, 7, 5, 3}, []int{3, 2, 3, 2}, false, ConvConfig{Dilation: [2]int{2, 1}}},
	{[]int{2, 1, 7, 2}, []int{1, 3, 2, 2}, true, ConvConfig{Strides: [2]int{1, 2}, Padding: [4]int{0, 0, 1, 1}}}, // 1-D as height 1
	{[]int{2, 3, 3, 4}, []int{1, 1, 4, 2}, true, ConvConfig{}},                                                   // 1×1
}

func TestConv2DGradCheck(t *testing.T) {
	for i, c := range convCases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			inputs := []*tensor.Tensor{det(1, c.x...), det(2, c.w...)}
			if c.bias {
				inputs = append(inputs, det(3, c.w[3]))
			}
			err := GradCheck(func(in []*Value) *Value {
				var b *Value
				if c.bias {
					b = in[2]
				}
				return Conv2D(in[0], in[1], b, c.cfg)
			}, inputs, GradCheckOptions{})
			if err != nil {
				t.Error(err)
			}
		})
	}
}

// TestConv2DMatchesDirectSum compares the im2col forward with the
// definition, summed directly, in float32 and float64.
func TestConv2DMatchesDirectSum(t *testing.T) {
	for i, c := range convCases {
		for _, dt := range []tensor.DType{tensor.Float64, tensor.Float32} {
			x, w, b := det(1, c.x...).AsType(dt), det(2, c.w...).AsType(dt), det(3, c.w[3]).AsType(dt)
			var bv *Value
			if c.bias {
				bv = Const(b)
			}
			got := Conv2D(Const(x), Const(w), bv, c.cfg).Data
			if got.DType() != dt {
				t.Fatalf("case %d: output is %v, want %v", i, got.DType(), dt)
			}
			s, d, p := c.cfg.Strides, c.cfg.Dilation, c.cfg.Padding
			s[0], s[1], d[0], d[1] = max(s[0], 1), max(s[1], 1), max(d[0], 1), max(d[1], 1)
			oh, ow := got.Dim(1), got.Dim(2)
			tol := 1e-12
			if dt == tensor.Float32 {
				tol = 1e-5
			}
			for n := range c.x[0] {
				for oy := range oh {
					for ox := range ow {
						for f := range c.w[3] {
							want := 0.0
							if c.bias {
								want = b.At(f)
							}
							for u := range c.w[0] {
								for v := range c.w[1] {
									iy, ix := oy*s[0]-p[0]+u*d[0], ox*s[1]-p[2]+v*d[1]
									if iy < 0 || iy >= c.x[1] || ix < 0 || ix >= c.x[2] {
										continue
									}
									for ch := range c.x[3] {
										want += x.At(n, iy, ix, ch) * w.At(u, v, ch, f)
									}
								}
							}
							if g := got.At(n, oy, ox, f); math.Abs(g-want) > tol*(1+math.Abs(want)) {
								t.Fatalf("case %d %v: y[%d,%d,%d,%d] = %v, want %v", i, dt, n, oy, ox, f, g, want)
							}
						}
					}
				}
			}
		}
	}
}

func TestConv2DShapeErrors(t *testing.T) {
	cases := []struct {
		name string
		x, w []int
		b    int // bias length, 0 for none
		cfg  ConvConfig
		want string
	}{
		{"channels", []int{1, 5, 5, 3}, []int{3, 3, 1, 4}, 0, ConvConfig{}, "the images have 3 channels, the kernel expects 1"},
		{"rank", []int{5, 5, 3}, []int{3, 3, 3, 4}, 0, ConvConfig{}, "want images"},
		{"bias", []int{1, 5, 5, 1}, []int{3, 3, 1, 4}, 3, ConvConfig{}, "one value per filter (4)"},
		{"too small", []int{1, 2, 5, 1}, []int{3, 3, 1, 4}, 0, ConvConfig{}, "larger than the padded image"},
		{"dilated too small", []int{1, 4, 4, 1}, []int{3, 3, 1, 4}, 0, ConvConfig{Dilation: [2]int{2, 2}}, "larger than the padded image"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				var se *tensor.ShapeError
				err, _ := recover().(error)
				if !errors.As(err, &se) || se.Op != "Conv2D" {
					t.Fatalf("got panic %v, want a *tensor.ShapeError from Conv2D", err)
				}
				if !strings.Contains(err.Error(), c.want) {
					t.Errorf("got %q, want it to contain %q", err, c.want)
				}
			}()
			var b *Value
			if c.b > 0 {
				b = Const(tensor.Zeros(c.b))
			}
			Conv2D(Const(tensor.Zeros(c.x...)), Const(tensor.Zeros(c.w...)), b, c.cfg)
		})
	}
}
