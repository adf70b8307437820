package layers_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/layers/layertest"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// TestConvConformance runs the shared layer checks (shapes, config round
// trip, float64 gradient check) and the Kernel-versus-Call check over
// strides 1–2, both paddings, dilation 1–2, odd sizes, 1-D and 2-D, with
// and without bias, and the fast activations.
func TestConvConformance(t *testing.T) {
	o := func(opts ...layers.ConvOption) []layers.ConvOption { return opts }
	cases := []struct {
		name   string
		rank   int
		k      []int
		opts   []layers.ConvOption
		sample []int
	}{
		{"2d valid", 2, []int{3}, nil, []int{5, 5, 1}},
		{"2d same relu", 2, []int{3}, o(layers.ConvPadding("same"), layers.ConvActivation("relu")), []int{5, 4, 2}},
		{"2d same stride 2", 2, []int{3, 2}, o(layers.ConvPadding("SAME"), layers.ConvStrides(2)), []int{6, 5, 2}},
		{"2d valid strides 2,1 no bias", 2, []int{2, 3}, o(layers.ConvStrides(2, 1), layers.ConvWithoutBias()), []int{7, 5, 2}},
		{"2d same dilation 2 tanh", 2, []int{3}, o(layers.ConvPadding("same"), layers.ConvDilationRate(2), layers.ConvActivation("tanh")), []int{5, 5, 2}},
		{"2d valid dilation 2,1 sigmoid", 2, []int{2}, o(layers.ConvDilationRate(2, 1), layers.ConvActivation("sigmoid")), []int{5, 4, 3}},
		{"2d softmax", 2, []int{2}, o(layers.ConvActivation("softmax")), []int{3, 3, 2}},
		{"2d 1x1", 2, []int{1}, o(layers.ConvActivation("relu")), []int{3, 3, 4}},
		{"2d 1x1 same stride 2", 2, []int{1}, o(layers.ConvStrides(2), layers.ConvPadding("same")), []int{5, 3, 2}},
		{"2d non-fast activation", 2, []int{2}, o(layers.ConvActivation("elu")), []int{3, 3, 1}},
		{"1d valid", 1, []int{3}, nil, []int{7, 2}},
		{"1d same stride 2 relu", 1, []int{3}, o(layers.ConvPadding("same"), layers.ConvStrides(2), layers.ConvActivation("relu")), []int{8, 2}},
		{"1d same dilation 2 no bias", 1, []int{2}, o(layers.ConvPadding("same"), layers.ConvDilationRate(2), layers.ConvWithoutBias()), []int{5, 3}},
		{"1d causal dilation 2", 1, []int{3}, o(layers.ConvPadding("causal"), layers.ConvDilationRate(2)), []int{6, 2}},
		{"1d 1x1", 1, []int{1}, nil, []int{4, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			newLayer := func() layers.Layer {
				if c.rank == 1 {
					return layers.NewConv1D(3, c.k[0], c.opts...)
				}
				return layers.NewConv2D(3, c.k, c.opts...)
			}
			layertest.Check(t, newLayer(), c.sample)
			layertest.CheckKernel(t, newLayer, c.sample)
		})
	}
}

// TestConvOutputShape checks Build's output shape and weight shapes
// against Keras's compute_conv_output_shape: valid gives
// ⌊(in − (k−1)·d − 1)/s⌋ + 1, same and causal ⌊(in − 1)/s⌋ + 1; and the
// parameter counts of the Keras "simple MNIST convnet" summary (320 and
// 18,496 of its 34,826).
func TestConvOutputShape(t *testing.T) {
	cases := []struct {
		layer      layers.Layer
		in         []int
		out        []int
		params     int
		kernel     []int
		weightsLen int
	}{
		{layers.NewConv2D(32, []int{3, 3}, layers.ConvActivation("relu")), []int{28, 28, 1}, []int{26, 26, 32}, 320, []int{3, 3, 1, 32}, 2},
		{layers.NewConv2D(64, []int{3, 3}, layers.ConvActivation("relu")), []int{13, 13, 32}, []int{11, 11, 64}, 18496, []int{3, 3, 32, 64}, 2},
		{layers.NewConv2D(4, []int{3}, layers.ConvPadding("same"), layers.ConvStrides(2)), []int{7, 8, 3}, []int{4, 4, 4}, 112, []int{3, 3, 3, 4}, 2},
		{layers.NewConv2D(4, []int{3, 1}, layers.ConvDilationRate(2), layers.ConvWithoutBias()), []int{9, 9, 2}, []int{5, 9, 4}, 24, []int{3, 1, 2, 4}, 1},
		{layers.NewConv1D(8, 5, layers.ConvStrides(3)), []int{20, 4}, []int{6, 8}, 168, []int{5, 4, 8}, 2},
		{layers.NewConv1D(2, 3, layers.ConvPadding("causal"), layers.ConvDilationRate(4)), []int{10, 1}, []int{10, 2}, 8, []int{3, 1, 2}, 2},
	}
	for _, c := range cases {
		c.layer.SetName("conv")
		if err := c.layer.Build(c.in, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		if got := c.layer.OutputShape(); fmt.Sprint(got) != fmt.Sprint(c.out) {
			t.Errorf("%v on %v: output shape %v, want %v", c.layer.Config(), c.in, got, c.out)
		}
		if tr, _ := layers.CountParams(c.layer); tr != c.params {
			t.Errorf("%v on %v: %d parameters, want %d", c.layer.Config(), c.in, tr, c.params)
		}
		ws := c.layer.Weights()
		if len(ws) != c.weightsLen || fmt.Sprint(ws[0].Value.Shape()) != fmt.Sprint(c.kernel) {
			t.Errorf("%v: %d weights, kernel %v; want %d, kernel %v", c.layer.Config(), len(ws), ws[0].Value.Shape(), c.weightsLen, c.kernel)
		}
	}
}

// TestConvGlorotFans checks that glorot_uniform's limit includes the
// receptive field: sqrt(6 / (fan_in + fan_out)) with fan_in = 3·3·32 and
// fan_out = 3·3·64 (Keras's compute_fans) is 0.0833.
func TestConvGlorotFans(t *testing.T) {
	l := layers.NewConv2D(64, []int{3})
	l.SetName("conv")
	if err := l.Build([]int{13, 13, 32}, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	limit := math.Sqrt(6.0 / (9*32 + 9*64))
	var maxAbs float64
	for _, v := range l.Weights()[0].Value.Data.Values() {
		maxAbs = math.Max(maxAbs, math.Abs(v))
	}
	// 18,432 uniform draws: the largest is within 0.1 % of the limit.
	if maxAbs > limit || maxAbs < 0.999*limit {
		t.Errorf("largest |kernel| = %.5f, want just under the glorot limit %.5f", maxAbs, limit)
	}
}

func TestConvBuildErrors(t *testing.T) {
	cases := []struct {
		name  string
		layer layers.Layer
		in    []int
		want  []string
	}{
		{"kernel larger than input", layers.NewConv2D(4, []int{5, 3}), []int{4, 6, 1},
			[]string{"conv (Conv2D)", "kernel_size (5, 3)", "input (4, 6, 1)", `padding "valid"`}},
		{"dilated kernel larger than input", layers.NewConv1D(4, 3, layers.ConvDilationRate(3)), []int{6, 2},
			[]string{"conv (Conv1D)", "kernel_size (3,)", "dilation_rate (3,)", "input (6, 2)"}},
		{"2-D layer on sequences", layers.NewConv2D(4, []int{3}), []int{10, 3},
			[]string{"conv (Conv2D)", "(height, width, channels)", "got (10, 3)"}},
		{"1-D layer on images", layers.NewConv1D(4, 3), []int{10, 10, 3},
			[]string{"conv (Conv1D)", "(steps, channels)", "got (10, 10, 3)"}},
		{"strides with dilation", layers.NewConv2D(4, []int{3}, layers.ConvStrides(2), layers.ConvDilationRate(2)), []int{9, 9, 1},
			[]string{"conv (Conv2D)", "strides=(2, 2) and dilation_rate=(2, 2)"}},
		{"bad initializer", layers.NewConv2D(4, []int{3}, layers.ConvKernelInitializer("glorot")), []int{9, 9, 1},
			[]string{"conv (Conv2D)", `"glorot"`}},
		{"kernel_size 0", layers.NewConv2D(4, []int{0, 3}), []int{9, 9, 1}, []string{"kernel_size must be positive, got (0, 3)"}},
		{"kernel_size of 3 axes", layers.NewConv2D(4, []int{3, 3, 3}), []int{9, 9, 1}, []string{"kernel_size must be an integer or a tuple of 2"}},
		{"no kernel_size", layers.NewConv2D(4, nil), []int{9, 9, 1}, []string{"kernel_size is required"}},
		{"causal 2-D", layers.NewConv2D(4, []int{3}, layers.ConvPadding("causal")), []int{9, 9, 1}, []string{`padding must be "valid" or "same", got "causal"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.layer.SetName("conv")
			err := c.layer.Build(c.in, rand.New(rand.NewPCG(1, 1)))
			if err == nil {
				t.Fatalf("Build(%v) succeeded, want an error", c.in)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestConvRebuildKeepsKernel: a built layer keeps its (trained or loaded)
// kernel when built again, and a channel count that does not match it is
// an error naming the layer and both shapes.
func TestConvRebuildKeepsKernel(t *testing.T) {
	l := layers.NewConv2D(8, []int{3})
	l.SetName("conv2d_1")
	rng := rand.New(rand.NewPCG(1, 1))
	if err := l.Build([]int{10, 10, 3}, rng); err != nil {
		t.Fatal(err)
	}
	kernel := l.Weights()[0].Value
	if err := l.Build([]int{12, 9, 3}, rng); err != nil {
		t.Fatalf("rebuilding on the same channels: %v", err)
	}
	if l.Weights()[0].Value != kernel {
		t.Error("rebuilding replaced the kernel")
	}
	if got := fmt.Sprint(l.OutputShape()); got != "[10 7 8]" {
		t.Errorf("output shape after rebuilding on (12, 9, 3): %s, want [10 7 8]", got)
	}
	err := l.Build([]int{10, 10, 1}, rng)
	want := "layer conv2d_1 (Conv2D): input (10, 10, 1) has 1 channels, but the kernel (3, 3, 3, 8) expects 3"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

func TestConvFromSpec(t *testing.T) {
	a := func(name string, v any) spec.Arg { return spec.Arg{Name: name, Value: v} }
	l, err := layers.FromSpec(layertest.Spec("conv2d", a("filters", 32), a("kernel_size", []any{3, 3}), a("activation", "relu"), a("padding", "Same")))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := l.(*layers.Conv2D)
	if !ok || c.Filters != 32 || fmt.Sprint(c.KernelSize) != "[3 3]" || c.Padding != "same" || c.Activation != "relu" || fmt.Sprint(c.Strides) != "[1 1]" {
		t.Errorf("got %#v, want Conv2D 32 (3, 3) same relu strides (1, 1)", l)
	}
	l, err = layers.FromSpec(layertest.Spec("conv1d", a("filters", 4), a("kernel_size", 5), a("strides", 2), a("use_bias", false)))
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := l.(*layers.Conv1D); !ok || fmt.Sprint(c.KernelSize) != "[5]" || fmt.Sprint(c.Strides) != "[2]" || c.UseBias {
		t.Errorf("got %#v, want Conv1D 4 (5,) strides (2,) without bias", l)
	}

	errs := []struct {
		layer spec.Layer
		want  string
	}{
		{layertest.Spec("conv2d", a("filters", 8), a("kernel_size", 3), a("padding", "full")), `padding must be "valid" or "same", got "full"`},
		{layertest.Spec("conv1d", a("filters", 8), a("kernel_size", 3), a("padding", "reflect")), `padding must be "valid", "same" or "causal", got "reflect"`},
		{layertest.Spec("conv2d", a("filters", 8), a("kernel_size", 0)), `argument "kernel_size": want a positive integer or a list of 2, got 0`},
		{layertest.Spec("conv2d", a("filters", 8), a("kernel_size", []any{3, 3, 3})), `"kernel_size": want a positive integer or a list of 2`},
		{layertest.Spec("conv2d", a("filters", 8)), `kernel_size is required`},
		{layertest.Spec("conv2d", a("kernel_size", 3)), `filters must be a positive integer, got 0`},
		{layertest.Spec("conv2d", a("filters", 8), a("kernel_size", 3), a("strides", 2), a("dilation_rate", 2)), `strides > 1 not supported in conjunction with dilation_rate > 1`},
		{layertest.Spec("conv2d", a("filters", 8), a("kernel_size", 3), a("data_format", "channels_first")), `only "channels_last" is supported, got "channels_first"`},
		{layertest.Spec("conv2d", a("filters", 8), a("kernel_size", 3), a("groups", 2)), `groups: only 1 is supported, got 2`},
		{layertest.Spec("conv2d", a("filters", 8), a("kernel_size", 3), a("activation", "relux")), `unknown activation "relux"`},
		{layertest.Spec("conv2d", a("filters", 8), a("kernel_size", 3), a("kernel_regularizer", "l2")), `unknown argument "kernel_regularizer"`},
	}
	for _, c := range errs {
		_, err := layers.FromSpec(c.layer)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FromSpec(%s %v): got error %v, want one containing %q", c.layer.Type, c.layer.Args, err, c.want)
		} else if !strings.Contains(err.Error(), "layer 1") {
			t.Errorf("error %q does not name the layer's position", err)
		}
	}
}

type convRefCase struct {
	refCase
	Filters      int    `json:"filters"`
	KernelSize   []int  `json:"kernel_size"`
	Strides      []int  `json:"strides"`
	Padding      string `json:"padding"`
	DilationRate []int  `json:"dilation_rate"`
}

// TestConvMatchesPyTorch compares forward values and gradients with
// PyTorch's conv1d/conv2d on fixed weights (testdata/conv_reference.json,
// from gen_conv_reference.py), through Call in float64 and through the
// Kernel in float32.
func TestConvMatchesPyTorch(t *testing.T) {
	var ref struct{ Cases []convRefCase }
	readReference(t, "conv_reference.json", &ref)
	if len(ref.Cases) < 16 { // the script writes 16
		t.Fatalf("only %d reference cases", len(ref.Cases))
	}
	for i, c := range ref.Cases {
		name := fmt.Sprintf("%d %s k%v s%v %s d%v %s", i, c.Layer, c.KernelSize, c.Strides, c.Padding, c.DilationRate, c.Activation)
		t.Run(name, func(t *testing.T) {
			newLayer := func(dt tensor.DType) layers.Layer {
				opts := []layers.ConvOption{layers.ConvStrides(c.Strides...), layers.ConvPadding(c.Padding),
					layers.ConvDilationRate(c.DilationRate...), layers.ConvActivation(c.Activation)}
				if !c.UseBias {
					opts = append(opts, layers.ConvWithoutBias())
				}
				var l layers.Layer = layers.NewConv2D(c.Filters, c.KernelSize, opts...)
				if c.Layer == "conv1d" {
					l = layers.NewConv1D(c.Filters, c.KernelSize[0], opts...)
				}
				l.SetName("l")
				if err := l.Build(c.XShape[1:], rand.New(rand.NewPCG(1, 1))); err != nil {
					t.Fatal(err)
				}
				ws := l.Weights()
				ws[0].Value.Data = tensor.FromFloat64(c.Kernel, ws[0].Value.Shape()...).AsType(dt)
				if c.UseBias {
					ws[1].Value.Data = tensor.FromFloat64(c.Bias, ws[1].Value.Shape()...).AsType(dt)
				}
				return l
			}
			r := tensor.New(tensor.Float64, c.YShape...)
			for i := 0; i < r.Len(); i++ { // the script's R weights
				r.SetFlat(i, 0.5+math.Mod(float64(i)*0.618033988749895, 1))
			}
			// Call, float64: to rounding.
			l := newLayer(tensor.Float64)
			x := autograd.Param(tensor.FromFloat64(c.X, c.XShape...), "x")
			y := l.Call(&layers.Context{}, x)
			close(t, "y", y.Data, c.Y, 1e-10)
			autograd.Backward(autograd.Sum(autograd.Mul(y, autograd.Const(r)), false))
			close(t, "dx", x.Grad, c.DX, 1e-10)
			ws := l.Weights()
			close(t, "dkernel", ws[0].Value.Grad, c.DKernel, 1e-10)
			if c.UseBias {
				close(t, "dbias", ws[1].Value.Grad, c.DBias, 1e-10)
			}
			// Kernel, float32: to float32 rounding of sums of a few dozen terms.
			l = newLayer(tensor.Float32)
			k := l.(layers.Kernel)
			if !k.Fast() {
				t.Fatal("no fast kernel")
			}
			yk := k.Forward(&layers.Context{}, tensor.FromFloat64(c.X, c.XShape...).AsType(tensor.Float32))
			close(t, "kernel y", yk, c.Y, 1e-5)
			dx := k.Backward(r.AsType(tensor.Float32), true)
			close(t, "kernel dx", dx, c.DX, 1e-5)
			close(t, "kernel dkernel", l.Weights()[0].Value.Grad, c.DKernel, 1e-5)
			if c.UseBias {
				close(t, "kernel dbias", l.Weights()[1].Value.Grad, c.DBias, 1e-5)
			}
		})
	}
}

// TestConvKernelAllocs: a steady training step of the Kernel allocates
// nothing, including a smaller last batch once it has been seen.
func TestConvKernelAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	for _, l := range []layers.Layer{
		layers.NewConv2D(8, []int{3}, layers.ConvActivation("relu"), layers.ConvPadding("same")),
		layers.NewConv2D(8, []int{1}, layers.ConvActivation("tanh")),
		layers.NewConv1D(8, 3, layers.ConvStrides(2)),
	} {
		sample := []int{9, 9, 4}
		if _, ok := l.(*layers.Conv1D); ok {
			sample = []int{9, 4}
		}
		l.SetName("conv")
		if err := l.Build(sample, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		k := l.(layers.Kernel)
		x8, x3 := tensor.Zeros(append([]int{8}, sample...)...), tensor.Zeros(append([]int{3}, sample...)...)
		dy8, dy3 := tensor.Zeros(append([]int{8}, l.OutputShape()...)...), tensor.Zeros(append([]int{3}, l.OutputShape()...)...)
		ctx := &layers.Context{Training: true}
		step := func() {
			for _, b := range [][2]*tensor.Tensor{{x8, dy8}, {x3, dy3}} {
				k.Forward(ctx, b[0])
				k.Backward(b[1], true)
			}
		}
		step()
		if n := testing.AllocsPerRun(10, step); n != 0 {
			t.Errorf("%s %v: %v allocations per step, want 0", l.ClassName(), l.Config(), n)
		}
	}
}

// BenchmarkConv2DTrainStep times forward and backward of the mnist-cnn
// convolutions (the Keras "simple MNIST convnet" at batch 128): Conv2D 32
// 3×3 relu on (128, 28, 28, 1), whose input gradient a model does not
// need, and Conv2D 64 3×3 relu on (128, 13, 13, 32). Each also runs as
// gemm_only: the step's three products alone, on buffers of the same
// shapes, the floor of any im2col method; the difference is what building
// the patch matrices, col2im, the ReLU gradient and the bias sum cost.
func BenchmarkConv2DTrainStep(b *testing.B) {
	for _, c := range []struct {
		name    string
		filters int
		in      []int
		needDX  bool
	}{
		{"conv1_28x28x1_32", 32, []int{28, 28, 1}, false},
		{"conv2_13x13x32_64", 64, []int{13, 13, 32}, true},
	} {
		l := layers.NewConv2D(c.filters, []int{3}, layers.ConvActivation("relu"))
		l.SetName("conv")
		if err := l.Build(c.in, rand.New(rand.NewPCG(1, 1))); err != nil {
			b.Fatal(err)
		}
		x := layertest.Input(1, append([]int{128}, c.in...)...).AsType(tensor.Float32)
		dy := layertest.Input(2, append([]int{128}, l.OutputShape()...)...).AsType(tensor.Float32)
		b.Run(c.name+"/layer", func(b *testing.B) {
			ctx := &layers.Context{Training: true}
			var fwd, bwd time.Duration
			for b.Loop() {
				t0 := time.Now()
				l.Forward(ctx, x)
				t1 := time.Now()
				l.Backward(dy, c.needDX)
				fwd, bwd = fwd+t1.Sub(t0), bwd+time.Since(t1)
			}
			b.ReportMetric(float64(fwd.Microseconds())/float64(b.N)/1000, "fwd-ms/op")
			b.ReportMetric(float64(bwd.Microseconds())/float64(b.N)/1000, "bwd-ms/op")
			b.ReportMetric(128*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
		})
		b.Run(c.name+"/gemm_only", func(b *testing.B) {
			k, f := 9*c.in[2], c.filters
			rows := 128 * l.OutputShape()[0] * l.OutputShape()[1]
			p, w, y := make([]float32, rows*k), make([]float32, k*f), make([]float32, rows*f)
			for b.Loop() {
				kernels.Gemm(false, false, rows, f, k, 1, p, k, w, f, 0, y, f) // y = P·W
				kernels.Gemm(true, false, k, f, rows, 1, p, k, y, f, 0, w, f)  // dW = Pᵀ·dY
				if c.needDX {
					kernels.Gemm(false, true, rows, k, f, 1, y, f, w, f, 0, p, k) // dP = dY·Wᵀ
				}
			}
		})
	}
}

// A Conv2D layer as the Keras MNIST convnet's first: 32 filters of 3×3
// over 28×28 grey images.
func ExampleNewConv2D() {
	l := layers.NewConv2D(32, []int{3, 3}, layers.ConvActivation("relu"))
	l.SetName("conv2d")
	if err := l.Build([]int{28, 28, 1}, rand.New(rand.NewPCG(1, 2))); err != nil {
		fmt.Println(err)
		return
	}
	params, _ := layers.CountParams(l)
	fmt.Println("output", tensor.ShapeString(l.OutputShape()), "kernel", tensor.ShapeString(l.Weights()[0].Value.Shape()), "params", params)
	// Output: output (26, 26, 32) kernel (3, 3, 1, 32) params 320
}
