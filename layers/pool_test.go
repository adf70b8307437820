package layers_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/layers/layertest"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// TestPoolConformance runs the pooling and shape layers through the
// shared checks: odd sizes, uneven and overlapping windows, both paddings
// (with "same" padding asymmetric where noted: pool 2 on 5 pads 0/1, pool
// 4 stride 1 pads 1/2), 1-D and 2-D.
func TestPoolConformance(t *testing.T) {
	cases := []struct {
		name   string
		layer  func() layers.Layer
		sample []int
	}{
		{"max2d default on 5x5", func() layers.Layer { return layers.NewMaxPooling2D() }, []int{5, 5, 3}},
		{"max2d 3/2 valid on 7x7", func() layers.Layer {
			return layers.NewMaxPooling2D(layers.PoolSize(3), layers.PoolStrides(2))
		}, []int{7, 7, 2}},
		{"max2d 3/2 same on 7x7", func() layers.Layer {
			return layers.NewMaxPooling2D(layers.PoolSize(3), layers.PoolStrides(2), layers.PoolPadding("same"))
		}, []int{7, 7, 2}},
		{"max2d (2,3)/(1,2) same", func() layers.Layer {
			return layers.NewMaxPooling2D(layers.PoolSize(2, 3), layers.PoolStrides(1, 2), layers.PoolPadding("same"))
		}, []int{5, 7, 2}},
		{"max2d 2 same on 5x5 (pads 0/1)", func() layers.Layer { return layers.NewMaxPooling2D(layers.PoolPadding("same")) }, []int{5, 5, 1}},
		{"avg2d default on 5x5", func() layers.Layer { return layers.NewAveragePooling2D() }, []int{5, 5, 3}},
		{"avg2d (2,3) valid", func() layers.Layer { return layers.NewAveragePooling2D(layers.PoolSize(2, 3)) }, []int{5, 7, 1}},
		{"avg2d 4/1 same (pads 1/2)", func() layers.Layer {
			return layers.NewAveragePooling2D(layers.PoolSize(4), layers.PoolStrides(1), layers.PoolPadding("same"))
		}, []int{5, 6, 2}},
		{"max1d 3/2 same on 7", func() layers.Layer {
			return layers.NewMaxPooling1D(layers.PoolSize(3), layers.PoolStrides(2), layers.PoolPadding("same"))
		}, []int{7, 3}},
		{"avg1d default on 5", func() layers.Layer { return layers.NewAveragePooling1D() }, []int{5, 2}},
		{"avg1d 3/2 same on 7", func() layers.Layer {
			return layers.NewAveragePooling1D(layers.PoolSize(3), layers.PoolStrides(2), layers.PoolPadding("same"))
		}, []int{7, 2}},
		{"global max 1d", func() layers.Layer { return layers.NewGlobalMaxPooling1D() }, []int{7, 3}},
		{"global max 2d keepdims", func() layers.Layer { return layers.NewGlobalMaxPooling2D(layers.KeepDims()) }, []int{5, 3, 2}},
		{"global avg 1d keepdims", func() layers.Layer { return layers.NewGlobalAveragePooling1D(layers.KeepDims()) }, []int{5, 2}},
		{"global avg 2d", func() layers.Layer { return layers.NewGlobalAveragePooling2D() }, []int{5, 7, 3}},
		{"zero padding default", func() layers.Layer { return layers.NewZeroPadding2D() }, []int{3, 4, 2}},
		{"zero padding (0,2),(1,3)", func() layers.Layer { return layers.NewZeroPadding2D(0, 2, 1, 3) }, []int{2, 3, 2}},
		{"reshape (3,4) to (2,-1,3)", func() layers.Layer { return layers.NewReshape(2, -1, 3) }, []int{3, 4}},
		{"reshape to (6,)", func() layers.Layer { return layers.NewReshape(6) }, []int{2, 3}},
		{"spatial dropout", func() layers.Layer { return layers.NewSpatialDropout2D(0.5) }, []int{3, 4, 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			layertest.Check(t, c.layer(), c.sample)
			layertest.CheckKernel(t, c.layer, c.sample)
		})
	}
}

// poolRefCase is one case of testdata/pool_reference.json, from
// gen_pool_reference.py: a layer given by its spec name and Keras
// arguments, an input, and PyTorch's output and input gradient of
// L = Σ y ⊙ R, all in Keras's channels-last layout.
type poolRefCase struct {
	Name   string  `json:"name"`
	Layer  string  `json:"layer"`
	Args   [][]any `json:"args"`
	X      []float64
	XShape []int `json:"x_shape"`
	Y      []float64
	YShape []int `json:"y_shape"`
	DX     []float64
}

// specValue turns a decoded JSON value into what spec.Parse produces:
// integral numbers become ints, lists []any.
func specValue(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) {
			return int(x)
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = specValue(e)
		}
		return out
	}
	return v
}

// rWeights are the script's R: 0.5 + frac(i·0.618…), never zero.
func rWeights(shape []int, dtype tensor.DType) *tensor.Tensor {
	r := tensor.New(dtype, shape...)
	for i := 0; i < r.Len(); i++ {
		r.SetFlat(i, 0.5+math.Mod(float64(i)*0.618033988749895, 1))
	}
	return r
}

// TestPoolMatchesPyTorch builds each layer from its spec entry, as a
// model file would, and compares Call (float64, to 1e-10) and the Kernel
// (float32, to 1e-5) with PyTorch's forward values and input gradients.
// The Kernel runs an inference Forward here, so max pooling's Backward
// has to find the maxima's positions itself (CheckKernel covers the
// training Forward that records them).
func TestPoolMatchesPyTorch(t *testing.T) {
	var ref struct{ Cases []poolRefCase }
	readReference(t, "pool_reference.json", &ref)
	if len(ref.Cases) < 40 { // the script writes 43
		t.Fatalf("only %d reference cases", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		t.Run(c.Layer+"/"+c.Name, func(t *testing.T) {
			sl := spec.Layer{Type: c.Layer, Index: 1, Source: "pool_reference.json"}
			for _, a := range c.Args {
				sl.Args = append(sl.Args, spec.Arg{Name: a[0].(string), Value: specValue(a[1])})
			}
			newLayer := func() layers.Layer {
				l, err := layers.FromSpec(sl)
				if err != nil {
					t.Fatal(err)
				}
				if err := l.Build(c.XShape[1:], rand.New(rand.NewPCG(1, 1))); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(l.OutputShape(), c.YShape[1:]) {
					t.Fatalf("OutputShape %v, PyTorch's output is %v per sample", l.OutputShape(), c.YShape[1:])
				}
				return l
			}
			l := newLayer()
			x := autograd.Param(tensor.FromFloat64(c.X, c.XShape...), "x")
			y := l.Call(&layers.Context{}, x)
			close(t, "y", y.Data, c.Y, 1e-10)
			autograd.Backward(autograd.Sum(autograd.Mul(y, autograd.Const(rWeights(y.Shape(), tensor.Float64))), false))
			close(t, "dx", x.Grad, c.DX, 1e-10)

			k, ok := newLayer().(layers.Kernel)
			if !ok || !k.Fast() {
				t.Fatalf("%s has no fast kernel", c.Layer)
			}
			x32 := tensor.FromFloat64(c.X, c.XShape...).AsType(tensor.Float32)
			y32 := k.Forward(&layers.Context{}, x32)
			close(t, "kernel y", y32, c.Y, 1e-5)
			close(t, "kernel dx", k.Backward(rWeights(y32.Shape(), tensor.Float32), true), c.DX, 1e-5)
		})
	}
}

// TestSpatialDropout2D checks that whole feature maps are dropped: every
// (sample, channel) map is all 0 or all 1/(1−rate), about rate of them are
// 0, the gradient carries the same mask, and outside training the layer
// is the identity.
func TestSpatialDropout2D(t *testing.T) {
	const rate, n, h, w, c = 0.3, 64, 3, 4, 50
	l := layers.NewSpatialDropout2D(rate)
	if err := l.Build([]int{h, w, c}, nil); err != nil {
		t.Fatal(err)
	}
	x := autograd.Param(tensor.Full(1, n, h, w, c), "x")
	if y := l.Call(&layers.Context{Training: false}, x); y != x {
		t.Error("SpatialDropout2D changed its input outside training")
	}
	y := l.Call(&layers.Context{Training: true, RNG: rand.New(rand.NewPCG(1, 2))}, x)
	autograd.Backward(autograd.Sum(y, false))
	scale := float32(1 / (1 - rate))
	yd, gd := y.Data.Float32s(), x.Grad.Float32s()
	dropped := 0
	for s := range n {
		for ch := range c {
			first := yd[s*h*w*c+ch]
			if first != 0 && first != scale {
				t.Fatalf("sample %d channel %d: value %v, want 0 or %v", s, ch, first, scale)
			}
			for cell := range h * w {
				i := s*h*w*c + cell*c + ch
				if yd[i] != first || gd[i] != first {
					t.Fatalf("sample %d channel %d: cell %d has output %v and gradient %v, want %v like the rest of its map", s, ch, cell, yd[i], gd[i], first)
				}
			}
			if first == 0 {
				dropped++
			}
		}
	}
	// 3,200 maps, each dropped with probability 0.3: the fraction's
	// standard deviation is √(0.3·0.7/3200) ≈ 0.008, so 0.03 is ~3.7σ.
	if frac := float64(dropped) / (n * c); math.Abs(frac-rate) > 0.03 {
		t.Errorf("dropped fraction %.3f, want about %v", frac, rate)
	}
}

func TestPoolBuildErrors(t *testing.T) {
	cases := []struct {
		layer  layers.Layer
		sample []int
		want   []string
	}{
		{layers.NewMaxPooling2D(layers.PoolSize(3)), []int{2, 5, 1},
			[]string{"(MaxPooling2D)", "pool_size (3, 3)", "spatial shape (2, 5)", "(None, 2, 5, 1)"}},
		{layers.NewAveragePooling1D(layers.PoolSize(4)), []int{3, 2},
			[]string{"(AveragePooling1D)", "pool_size (4,)", "(None, 3, 2)"}},
		{layers.NewMaxPooling2D(), []int{5, 5}, []string{"(MaxPooling2D)", "rank 4", "(None, 5, 5)"}},
		{layers.NewMaxPooling1D(), []int{5, 5, 1}, []string{"(MaxPooling1D)", "rank 3", "(None, 5, 5, 1)"}},
		{layers.NewGlobalAveragePooling2D(), []int{7, 3}, []string{"(GlobalAveragePooling2D)", "rank 4", "(None, 7, 3)"}},
		{layers.NewZeroPadding2D(), []int{4}, []string{"(ZeroPadding2D)", "rank 4", "(None, 4)"}},
		{layers.NewSpatialDropout2D(0.1), []int{8, 2}, []string{"(SpatialDropout2D)", "rank 4", "(None, 8, 2)"}},
		{layers.NewReshape(5, 2), []int{3, 4},
			[]string{"(Reshape)", "input shape (None, 3, 4) (12 values per sample)", "target_shape (5, 2) (10 values)"}},
		{layers.NewReshape(5, -1), []int{3, 4}, []string{"(None, 3, 4)", "target_shape (5, -1) (a multiple of 5 values)"}},
		// Config errors surface from Build too, naming the layer.
		{layers.NewMaxPooling2D(layers.PoolSize(0)), []int{4, 4, 1}, []string{"(MaxPooling2D)", "pool_size must be positive"}},
		{layers.NewMaxPooling2D(layers.PoolStrides(1, 2, 3)), []int{4, 4, 1}, []string{"strides must be one integer or 2"}},
		{layers.NewAveragePooling2D(layers.PoolPadding("full")), []int{4, 4, 1}, []string{`padding must be "valid" or "same", got "full"`}},
		{layers.NewReshape(-1, -1), []int{4}, []string{"(Reshape)", "only one -1"}},
		{layers.NewZeroPadding2D(1, 2, 3), []int{4, 4, 1}, []string{"(ZeroPadding2D)", "1, 2 or 4 integers"}},
		{layers.NewSpatialDropout2D(1), []int{4, 4, 1}, []string{"rate must be in [0, 1), got 1"}},
	}
	for _, c := range cases {
		c.layer.SetName("bad")
		err := c.layer.Build(c.sample, nil)
		for _, w := range append(c.want, "layer bad") {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s.Build(%v): got error %v, want one containing %q", c.layer.ClassName(), c.sample, err, w)
				break
			}
		}
	}
}

// TestPoolSpecNames checks the registered names (spec.SnakeCase of the
// Keras class names, and Keras's aliases) and the argument forms.
func TestPoolSpecNames(t *testing.T) {
	a := func(name string, v any) spec.Arg { return spec.Arg{Name: name, Value: v} }
	cases := []struct {
		layer     spec.Layer
		class     string
		config    any // the Config's first argument
		typeName  string
		buildWith []int
		out       []int
	}{
		{layertest.Spec("max_pooling2d"), "MaxPooling2D", []any{2, 2}, "max_pooling2d", []int{5, 5, 1}, []int{2, 2, 1}},
		{layertest.Spec("max_pool2d", a("pool_size", []any{2, 3}), a("padding", "SAME")), "MaxPooling2D", []any{2, 3}, "max_pooling2d", []int{5, 7, 1}, []int{3, 3, 1}},
		{layertest.Spec("avg_pool1d", a("pool_size", 3), a("strides", 2), a("data_format", "channels_last")), "AveragePooling1D", []any{3}, "average_pooling1d", []int{7, 2}, []int{3, 2}},
		{layertest.Spec("average_pooling2d", a("strides", nil)), "AveragePooling2D", []any{2, 2}, "average_pooling2d", []int{4, 4, 1}, []int{2, 2, 1}},
		{layertest.Spec("global_avg_pool2d"), "GlobalAveragePooling2D", "channels_last", "global_average_pooling2d", []int{4, 4, 3}, []int{3}},
		{layertest.Spec("global_max_pooling1d", a("keepdims", true)), "GlobalMaxPooling1D", "channels_last", "global_max_pooling1d", []int{4, 3}, []int{1, 3}},
		{layertest.Spec("zero_padding2d", a("padding", []any{[]any{0, 1}, 2})), "ZeroPadding2D", []any{[]any{0, 1}, []any{2, 2}}, "zero_padding2d", []int{2, 2, 1}, []int{3, 6, 1}},
		{layertest.Spec("reshape", a("target_shape", []any{-1, 2})), "Reshape", []any{-1, 2}, "reshape", []int{3, 4}, []int{6, 2}},
		{layertest.Spec("spatial_dropout2d", a("rate", 0.2), a("seed", 7)), "SpatialDropout2D", 0.2, "spatial_dropout2d", []int{2, 2, 4}, []int{2, 2, 4}},
	}
	for _, c := range cases {
		l, err := layers.FromSpec(c.layer)
		if err != nil {
			t.Errorf("FromSpec(%s %v): %v", c.layer.Type, c.layer.Args, err)
			continue
		}
		if l.ClassName() != c.class || layers.TypeName(l) != c.typeName {
			t.Errorf("FromSpec(%s): %s named %q, want %s named %q", c.layer.Type, l.ClassName(), layers.TypeName(l), c.class, c.typeName)
		}
		if got := l.Config()[0]; !reflect.DeepEqual(got.Value, c.config) {
			t.Errorf("FromSpec(%s): config %s = %v, want %v", c.layer.Type, got.Name, got.Value, c.config)
		}
		if err := l.Build(c.buildWith, nil); err != nil || !slices.Equal(l.OutputShape(), c.out) {
			t.Errorf("FromSpec(%s).Build(%v): output %v, %v; want %v", c.layer.Type, c.buildWith, l.OutputShape(), err, c.out)
		}
	}
	for _, name := range []string{"max_pooling1d", "max_pooling2d", "average_pooling1d", "average_pooling2d",
		"global_max_pooling1d", "global_max_pooling2d", "global_average_pooling1d", "global_average_pooling2d",
		"zero_padding2d", "reshape", "spatial_dropout2d"} {
		if !slices.Contains(layers.Types(), name) {
			t.Errorf("Types() lacks %q", name)
		}
	}
}

func TestPoolFromSpecErrors(t *testing.T) {
	a := func(name string, v any) spec.Arg { return spec.Arg{Name: name, Value: v} }
	cases := []struct {
		layer spec.Layer
		want  string
	}{
		{layertest.Spec("max_pooling2d", a("pool_size", []any{2, 2, 2})), `argument "pool_size"`},
		{layertest.Spec("max_pooling2d", a("padding", "full")), `padding must be "valid" or "same", got "full"`},
		{layertest.Spec("average_pooling1d", a("data_format", "channels_first")), `only "channels_last" is supported, got "channels_first"`},
		{layertest.Spec("global_average_pooling2d", a("keepdims", "yes")), `argument "keepdims"`},
		{layertest.Spec("zero_padding2d", a("padding", []any{1, 2, 3})), `argument "padding"`},
		{layertest.Spec("zero_padding2d", a("padding", -1)), `argument "padding"`},
		{layertest.Spec("reshape"), "target_shape is required"},
		{layertest.Spec("reshape", a("target_shape", []any{2, 0})), "target_shape entries must be positive or -1"},
		{layertest.Spec("spatial_dropout2d"), "rate must be in [0, 1)"},
		{layertest.Spec("spatial_dropout2d", a("rate", 0.5), a("noise_shape", 1)), `unknown argument "noise_shape"`},
	}
	for _, c := range cases {
		_, err := layers.FromSpec(c.layer)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "layer 1") {
			t.Errorf("FromSpec(%s %v): got error %v, want one containing %q and the layer's position", c.layer.Type, c.layer.Args, err, c.want)
		}
	}
}

// TestPoolKernelsAllocateNothing: after a first batch sizes the buffers,
// Forward and Backward of every layer here allocate nothing, for a batch
// big enough to be split over goroutines (the max pooling below visits
// 64·16·16·8·4 = 524,288 window cells, above the 65,536 threshold) and for
// a smaller last batch.
func TestPoolKernelsAllocateNothing(t *testing.T) {
	cases := []struct {
		layer  layers.Layer
		sample []int
	}{
		{layers.NewMaxPooling2D(), []int{32, 32, 8}},
		{layers.NewAveragePooling2D(layers.PoolSize(3), layers.PoolStrides(2), layers.PoolPadding("same")), []int{32, 32, 8}},
		{layers.NewMaxPooling1D(), []int{32, 8}},
		{layers.NewGlobalMaxPooling2D(), []int{8, 8, 8}},
		{layers.NewGlobalAveragePooling1D(), []int{8, 8}},
		{layers.NewZeroPadding2D(1, 2, 3, 4), []int{8, 8, 8}},
		{layers.NewReshape(-1, 8), []int{8, 8, 8}},
		{layers.NewSpatialDropout2D(0.5), []int{8, 8, 8}},
	}
	for _, c := range cases {
		c.layer.SetName("k")
		if err := c.layer.Build(c.sample, nil); err != nil {
			t.Fatal(err)
		}
		k := c.layer.(layers.Kernel)
		ctx := &layers.Context{Training: true, RNG: rand.New(rand.NewPCG(1, 1))}
		infer := &layers.Context{}
		big := tensor.Zeros(append([]int{64}, c.sample...)...)
		small := tensor.Zeros(append([]int{5}, c.sample...)...)
		step := func(x *tensor.Tensor) {
			k.Forward(infer, x)
			y := k.Forward(ctx, x)
			k.Backward(y, true)
		}
		step(big)
		step(small)
		for _, x := range []*tensor.Tensor{big, small} {
			if n := testing.AllocsPerRun(5, func() { step(x) }); n != 0 {
				t.Errorf("%s on a batch of %d: %v allocations per step, want 0", c.layer.ClassName(), x.Dim(0), n)
			}
		}
	}
}
