package layers_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/layers/layertest"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

func TestConformance(t *testing.T) {
	cases := []struct {
		name   string
		layer  func() layers.Layer
		sample []int
	}{
		{"flatten", func() layers.Layer { return layers.NewFlatten() }, []int{3, 4}},
		{"dense", func() layers.Layer { return layers.NewDense(3) }, []int{5}},
		{"dense relu", func() layers.Layer { return layers.NewDense(3, layers.WithActivation("relu")) }, []int{5}},
		{"dense softmax no bias", func() layers.Layer {
			return layers.NewDense(4, layers.WithActivation("softmax"), layers.WithoutBias())
		}, []int{5}},
		{"dense rank 3", func() layers.Layer { return layers.NewDense(2, layers.WithActivation("tanh")) }, []int{3, 4}},
		{"activation sigmoid", func() layers.Layer { return layers.NewActivation("sigmoid") }, []int{4}},
		{"activation elu", func() layers.Layer { return layers.NewActivation("elu") }, []int{4}},
		{"relu", func() layers.Layer { return layers.NewReLU() }, []int{2, 3}},
		{"leaky_relu", func() layers.Layer { return layers.NewLeakyReLU(0.3) }, []int{5}},
		{"softmax", func() layers.Layer { return layers.NewSoftmax() }, []int{5}},
		{"dropout", func() layers.Layer { return layers.NewDropout(0.5) }, []int{5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			layertest.Check(t, c.layer(), c.sample)
			layertest.CheckKernel(t, c.layer, c.sample)
		})
	}
}

type refCase struct {
	Layer      string    `json:"layer"`
	Activation string    `json:"activation"`
	UseBias    bool      `json:"use_bias"`
	X          []float64 `json:"x"`
	XShape     []int     `json:"x_shape"`
	Kernel     []float64 `json:"kernel"`
	Bias       []float64 `json:"bias"`
	Y          []float64 `json:"y"`
	YShape     []int     `json:"y_shape"`
	DX         []float64 `json:"dx"`
	DKernel    []float64 `json:"dkernel"`
	DBias      []float64 `json:"dbias"`
}

// close checks got against want to tol·(1 + |want|); the tests share it
// for every PyTorch comparison.
func close(t *testing.T, what string, got *tensor.Tensor, want []float64, tol float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: no value", what)
		return
	}
	g := got.Values()
	if len(g) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(g), len(want))
		return
	}
	for i := range g {
		if math.Abs(g[i]-want[i]) > tol*(1+math.Abs(want[i])) {
			t.Errorf("%s[%d] = %.12g, want %.12g (PyTorch)", what, i, g[i], want[i])
			return
		}
	}
}

// TestMatchesPyTorch compares forward values and gradients with PyTorch on
// fixed weights (testdata/torch_reference.json, from gen_reference.py).
func TestMatchesPyTorch(t *testing.T) {
	var ref struct{ Cases []refCase }
	readReference(t, "torch_reference.json", &ref)
	if len(ref.Cases) < 20 { // gen_reference.py writes 24: 9 activations × (bias, none), a rank-3 Dense, 5 activation layers
		t.Fatalf("only %d reference cases", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		name := c.Layer + "/" + c.Activation
		t.Run(name, func(t *testing.T) {
			var l layers.Layer
			switch c.Layer {
			case "dense":
				opts := []layers.DenseOption{layers.WithActivation(c.Activation)}
				if !c.UseBias {
					opts = append(opts, layers.WithoutBias())
				}
				l = layers.NewDense(c.YShape[len(c.YShape)-1], opts...)
			case "relu":
				l = layers.NewReLU()
			case "leaky_relu":
				l = layers.NewLeakyReLU(0.3)
			case "softmax":
				l = layers.NewSoftmax()
			default:
				l = layers.NewActivation(c.Layer)
			}
			l.SetName("l")
			if err := l.Build(c.XShape[1:], rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			ws := l.Weights()
			if c.Layer == "dense" {
				ws[0].Value.Data = tensor.FromFloat64(c.Kernel, ws[0].Value.Data.Shape()...)
				if c.UseBias {
					ws[1].Value.Data = tensor.FromFloat64(c.Bias, ws[1].Value.Data.Shape()...)
				}
			}
			x := autograd.Param(tensor.FromFloat64(c.X, c.XShape...), "x")
			y := l.Call(&layers.Context{}, x)
			close(t, "y", y.Data, c.Y, 1e-10)
			r := tensor.New(tensor.Float64, y.Shape()...)
			for i := 0; i < r.Len(); i++ { // the script's R weights
				r.SetFlat(i, 0.5+math.Mod(float64(i)*0.618033988749895, 1))
			}
			autograd.Backward(autograd.Sum(autograd.Mul(y, autograd.Const(r)), false))
			close(t, "dx", x.Grad, c.DX, 1e-10)
			if c.Layer == "dense" {
				close(t, "dkernel", ws[0].Value.Grad, c.DKernel, 1e-10)
				if c.UseBias {
					close(t, "dbias", ws[1].Value.Grad, c.DBias, 1e-10)
				}
			}
		})
	}
}

func TestDropout(t *testing.T) {
	l := layers.NewDropout(0.25)
	if err := l.Build([]int{1000}, nil); err != nil {
		t.Fatal(err)
	}
	x := autograd.Const(tensor.Full(1, 4, 1000))
	if y := l.Call(&layers.Context{Training: false}, x); y != x {
		t.Error("dropout changed its input outside training")
	}
	y := l.Call(&layers.Context{Training: true, RNG: rand.New(rand.NewPCG(1, 2))}, x)
	zeros := 0
	for _, v := range y.Data.Float32s() {
		switch v {
		case 0:
			zeros++
		case 1 / 0.75: // kept values are scaled by 1/(1-rate)
		default:
			t.Fatalf("unexpected value %v", v)
		}
	}
	// 4,000 draws, each dropped with probability 0.25: the fraction's
	// standard deviation is √(0.25·0.75/4000) ≈ 0.0068, so 0.03 is ~4.4σ.
	if frac := float64(zeros) / 4000; math.Abs(frac-0.25) > 0.03 {
		t.Errorf("dropped fraction %.3f, want about 0.25", frac)
	}
}

func TestFromSpecErrors(t *testing.T) {
	cases := []struct {
		layer spec.Layer
		want  string
	}{
		{layertest.Spec("convolution"), `unknown layer "convolution"`},
		{layertest.Spec("dense"), `units`},
		{layertest.Spec("dense", spec.Arg{Name: "units", Value: 3}, spec.Arg{Name: "unit", Value: 3}), `unknown argument "unit"`},
		{layertest.Spec("dense", spec.Arg{Name: "units", Value: "many"}), `"many"`},
		{layertest.Spec("dense", spec.Arg{Name: "units", Value: 3}, spec.Arg{Name: "activation", Value: "relux"}), `unknown activation "relux"`},
		{layertest.Spec("dropout", spec.Arg{Name: "rate", Value: 1.5}), `rate must be in [0, 1), got 1.5`},
		{layertest.Spec("softmax", spec.Arg{Name: "axis", Value: 1}), `only -1`},
	}
	for _, c := range cases {
		_, err := layers.FromSpec(c.layer)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FromSpec(%s %v): got error %v, want one containing %q", c.layer.Type, c.layer.Args, err, c.want)
		} else if !strings.Contains(err.Error(), "layer 1") {
			t.Errorf("error %q does not name the layer's position", err)
		}
	}
}

func TestDenseBadInitializer(t *testing.T) {
	d := layers.NewDense(3, layers.WithKernelInitializer("glorot"))
	d.SetName("dense")
	err := d.Build([]int{4}, rand.New(rand.NewPCG(1, 1)))
	if err == nil || !strings.Contains(err.Error(), "dense (Dense)") || !strings.Contains(err.Error(), `"glorot"`) {
		t.Errorf("got %v, want an error naming the layer and the initializer", err)
	}
}
