package layers_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/layers/layertest"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/models"
	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

func TestNormConformance(t *testing.T) {
	cases := []struct {
		name   string
		layer  func() layers.Layer
		sample []int
	}{
		{"batch rank 2", func() layers.Layer { return layers.NewBatchNormalization() }, []int{5}},
		{"batch rank 4", func() layers.Layer { return layers.NewBatchNormalization() }, []int{3, 2, 4}},
		{"batch axis 1", func() layers.Layer { return layers.NewBatchNormalization(layers.NormAxis(1)) }, []int{3, 2, 4}},
		{"batch no center no scale", func() layers.Layer {
			return layers.NewBatchNormalization(layers.NormWithoutCenter(), layers.NormWithoutScale(), layers.NormMomentum(0.9))
		}, []int{3, 2, 4}},
		{"layer rank 2", func() layers.Layer { return layers.NewLayerNormalization() }, []int{5}},
		{"layer rank 4", func() layers.Layer { return layers.NewLayerNormalization() }, []int{3, 2, 4}},
		{"layer axis 1", func() layers.Layer { return layers.NewLayerNormalization(layers.NormAxis(1)) }, []int{3, 2, 4}},
		{"layer center only", func() layers.Layer { return layers.NewLayerNormalization(layers.NormWithoutScale()) }, []int{6}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			layertest.Check(t, c.layer(), c.sample)
			layertest.CheckKernel(t, c.layer, c.sample)
		})
	}
}

// float64Layer builds l on sample with float64 weights, as the gradient
// checks need.
func float64Layer(t *testing.T, l layers.Layer, sample []int) layers.Layer {
	t.Helper()
	l.SetName("norm")
	if err := l.Build(sample, rand.New(rand.NewPCG(1, 2))); err != nil {
		t.Fatal(err)
	}
	for i, w := range l.Weights() {
		w.Value.Data = w.Value.Data.AsType(tensor.Float64)
		if !w.Trainable { // moving statistics away from their 0/1 start
			for j := 0; j < w.Value.Data.Len(); j++ {
				w.Value.Data.SetFlat(j, 0.5+0.1*float64(i+j))
			}
		}
	}
	return l
}

// TestNormTrainingGradCheck is layertest's gradient check in training mode
// (layertest.Check runs inference), where BatchNormalization's gradient
// flows through the batch statistics, and LayerNormalization on batches of
// one sample.
func TestNormTrainingGradCheck(t *testing.T) {
	cases := []struct {
		name  string
		layer layers.Layer
		shape []int
	}{
		{"batch (N, C)", layers.NewBatchNormalization(), []int{4, 3}},
		{"batch (N, H, W, C)", layers.NewBatchNormalization(), []int{2, 3, 2, 3}},
		{"batch axis 1", layers.NewBatchNormalization(layers.NormAxis(1)), []int{2, 3, 2, 2}},
		{"batch no scale", layers.NewBatchNormalization(layers.NormWithoutScale()), []int{3, 4}},
		{"layer (1, C)", layers.NewLayerNormalization(), []int{1, 7}},
		{"layer (1, H, W, C)", layers.NewLayerNormalization(), []int{1, 3, 2, 4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := float64Layer(t, c.layer, c.shape[1:])
			var train []*layers.Weight
			inputs := []*tensor.Tensor{layertest.Input(3, c.shape...)}
			for _, w := range l.Weights() {
				if w.Trainable {
					train = append(train, w)
					inputs = append(inputs, w.Value.Data)
				}
			}
			ctx := &layers.Context{Training: true}
			err := autograd.GradCheck(func(in []*autograd.Value) *autograd.Value {
				for i, w := range train {
					w.Value = in[i+1]
				}
				return l.Call(ctx, in[0])
			}, inputs, autograd.GradCheckOptions{})
			if err != nil {
				t.Error(err)
			}
		})
	}
}

// TestLayerNormKernelBatchOne compares LayerNormalization's Kernel with its
// Call on one sample (CheckKernel runs batches of 3 and 2).
func TestLayerNormKernelBatchOne(t *testing.T) {
	for _, sample := range [][]int{{7}, {3, 2, 4}} {
		fast, ref := layers.NewLayerNormalization(), layers.NewLayerNormalization()
		for _, l := range []layers.Layer{fast, ref} {
			l.SetName("ln")
			if err := l.Build(sample, rand.New(rand.NewPCG(1, 2))); err != nil {
				t.Fatal(err)
			}
		}
		x := layertest.Input(5, append([]int{1}, sample...)...).AsType(tensor.Float32)
		xv := autograd.Param(x, "x")
		y := ref.Call(&layers.Context{}, xv)
		autograd.Backward(autograd.Sum(autograd.Mul(y, autograd.Const(rweights(y.Shape()).AsType(tensor.Float32))), false))
		got := fast.Forward(&layers.Context{}, x)
		close(t, "output", got, y.Data.Values(), 1e-6)
		dx := fast.Backward(rweights(y.Shape()).AsType(tensor.Float32), true)
		close(t, "dx", dx, xv.Grad.Values(), 1e-6)
		for i, w := range fast.Weights() {
			close(t, w.Name+" gradient", w.Value.Grad, ref.Weights()[i].Value.Grad.Values(), 1e-6)
		}
	}
}

// rweights are the fixed weights R of the loss Σ y·R, as in the scripts.
func rweights(shape []int) *tensor.Tensor {
	r := tensor.New(tensor.Float64, shape...)
	for i := 0; i < r.Len(); i++ {
		r.SetFlat(i, 0.5+math.Mod(float64(i)*0.618033988749895, 1))
	}
	return r
}

// normRef is one case of testdata/norm_reference.json.
type normRef struct {
	Layer, Name         string
	Axis                int
	Momentum, Epsilon   float64
	Center, Scale       bool
	Gamma, Beta         []float64
	MovingMean          []float64 `json:"moving_mean"`
	MovingVariance      []float64 `json:"moving_variance"`
	Steps               []normStep
	MovingMeanAfter     []float64 `json:"moving_mean_after"`
	MovingVarianceAfter []float64 `json:"moving_variance_after"`
	TorchRunningVar     []float64 `json:"torch_running_var_after"`
	Inference           *normStep
}

type normStep struct {
	X             []float64
	XShape        []int `json:"x_shape"`
	Y, DX         []float64
	DGamma, DBeta []float64
}

func loadNormRef(t *testing.T) []normRef {
	t.Helper()
	var ref struct{ Cases []normRef }
	readReference(t, "norm_reference.json", &ref)
	if len(ref.Cases) < 12 { // gen_norm_reference.py writes 12
		t.Fatalf("only %d reference cases", len(ref.Cases))
	}
	return ref.Cases
}

// newRefLayer builds the layer a reference case describes, with its
// weights in dtype.
func newRefLayer(t *testing.T, c normRef, dtype tensor.DType) layers.Layer {
	t.Helper()
	opts := []layers.NormOption{layers.NormAxis(c.Axis), layers.NormEpsilon(c.Epsilon)}
	if !c.Center {
		opts = append(opts, layers.NormWithoutCenter())
	}
	if !c.Scale {
		opts = append(opts, layers.NormWithoutScale())
	}
	var l layers.Layer
	if c.Layer == "batch_normalization" {
		l = layers.NewBatchNormalization(append(opts, layers.NormMomentum(c.Momentum))...)
	} else {
		l = layers.NewLayerNormalization(opts...)
	}
	l.SetName("norm")
	if err := l.Build(c.Steps[0].XShape[1:], rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	values := map[string][]float64{"gamma": c.Gamma, "beta": c.Beta, "moving_mean": c.MovingMean, "moving_variance": c.MovingVariance}
	for _, w := range l.Weights() {
		w.Value.Data = tensor.FromFloat64(values[w.Name], w.Value.Data.Shape()...).Clone().AsType(dtype) // Clone: training updates moving statistics in place
	}
	return l
}

// runner runs one forward and backward pass of a layer, through Call or
// through its Kernel, and returns y and dx.
type runner func(l layers.Layer, training bool, x, r *tensor.Tensor) (y, dx *tensor.Tensor)

func callRunner(l layers.Layer, training bool, x, r *tensor.Tensor) (y, dx *tensor.Tensor) {
	for _, w := range l.Weights() {
		w.Value.Grad = nil
	}
	xv := autograd.Param(x, "x")
	yv := l.Call(&layers.Context{Training: training}, xv)
	out := yv.Data
	autograd.Backward(autograd.Sum(autograd.Mul(yv, autograd.Const(r)), false))
	return out, xv.Grad
}

func kernelRunner(l layers.Layer, training bool, x, r *tensor.Tensor) (y, dx *tensor.Tensor) {
	k := l.(layers.Kernel)
	y = k.Forward(&layers.Context{Training: training}, x).Clone()
	return y, k.Backward(r.Clone(), true)
}

// TestNormMatchesPyTorch replays testdata/norm_reference.json (from
// gen_norm_reference.py): for BatchNormalization three training steps
// (output and gradients of each, then the moving statistics, which follow
// Keras's rule) and an inference step on the moving statistics; for
// LayerNormalization one step, in both modes. Call runs in float64 (to
// 1e-10), the Kernel in float32 (to 1e-5, float32 rounding).
func TestNormMatchesPyTorch(t *testing.T) {
	for _, c := range loadNormRef(t) {
		for _, mode := range []struct {
			name  string
			dtype tensor.DType
			run   runner
			tol   float64
		}{{"call", tensor.Float64, callRunner, 1e-10}, {"kernel", tensor.Float32, kernelRunner, 1e-5}} {
			t.Run(c.Layer+" "+c.Name+" "+mode.name, func(t *testing.T) {
				l := newRefLayer(t, c, mode.dtype)
				if mode.name == "kernel" && !l.(layers.Kernel).Fast() {
					if c.Axis == -1 {
						t.Fatal("no kernel for a channels-last layer")
					}
					return // another axis: the model takes the autograd path
				}
				step := func(what string, s normStep, training bool) {
					x := tensor.FromFloat64(s.X, s.XShape...).AsType(mode.dtype)
					r := rweights(s.XShape).AsType(mode.dtype)
					y, dx := mode.run(l, training, x, r)
					close(t, what+" y", y, s.Y, mode.tol)
					close(t, what+" dx", dx, s.DX, mode.tol)
					for _, w := range l.Weights() {
						switch w.Name {
						case "gamma":
							close(t, what+" dgamma", w.Value.Grad, s.DGamma, mode.tol)
						case "beta":
							close(t, what+" dbeta", w.Value.Grad, s.DBeta, mode.tol)
						}
					}
				}
				for i, s := range c.Steps {
					step(fmt.Sprintf("training step %d", i+1), s, true)
					if c.Layer == "layer_normalization" {
						step("inference", s, false) // the same math
					}
				}
				if c.Layer != "batch_normalization" {
					return
				}
				ws := l.Weights()
				mm, mv := ws[len(ws)-2].Value.Data, ws[len(ws)-1].Value.Data
				close(t, "moving_mean after 3 steps", mm, c.MovingMeanAfter, mode.tol)
				close(t, "moving_variance after 3 steps", mv, c.MovingVarianceAfter, mode.tol)
				if differs(mv.Values(), c.TorchRunningVar, 1e-4) == -1 {
					t.Errorf("moving_variance %v equals torch's running_var (unbiased rule), want Keras's biased one", mv.Values())
				}
				step("inference", *c.Inference, false)
				close(t, "moving_mean after inference", mm, c.MovingMeanAfter, mode.tol)
			})
		}
	}
}

// differs returns the first index where a and b differ by more than tol,
// or -1.
func differs(a, b []float64, tol float64) int {
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol {
			return i
		}
	}
	return -1
}

// TestBatchNormMovingStatistics checks, through Call and through the
// Kernel, that training moves the moving statistics by exactly one update
// per forward pass and that inference leaves them alone.
func TestBatchNormMovingStatistics(t *testing.T) {
	x := layertest.Input(2, 4, 3).AsType(tensor.Float32) // 4 samples, 3 channels
	// The batch statistics, by hand, and one update from the initial 0 and 1.
	const momentum = 0.9
	var wantMean, wantVar [3]float64
	for j := range 3 {
		var s, sq float64
		for i := range 4 {
			s += x.At(i, j)
		}
		for i := range 4 {
			sq += (x.At(i, j) - s/4) * (x.At(i, j) - s/4)
		}
		wantMean[j] = 0*momentum + s/4*(1-momentum)
		wantVar[j] = 1*momentum + sq/4*(1-momentum)
	}
	forward := map[string]func(l *layers.BatchNormalization, training bool){
		"call": func(l *layers.BatchNormalization, training bool) {
			l.Call(&layers.Context{Training: training}, autograd.Const(x))
		},
		"kernel": func(l *layers.BatchNormalization, training bool) {
			l.Forward(&layers.Context{Training: training}, x)
		},
	}
	for _, path := range []string{"call", "kernel"} {
		l := layers.NewBatchNormalization(layers.NormMomentum(momentum))
		l.SetName("bn")
		if err := l.Build([]int{3}, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		ws := l.Weights()
		mm, mv := ws[2].Value.Data, ws[3].Value.Data
		forward[path](l, false)
		if differs(mm.Values(), []float64{0, 0, 0}, 0) != -1 || differs(mv.Values(), []float64{1, 1, 1}, 0) != -1 {
			t.Errorf("%s: inference changed the moving statistics to %v %v", path, mm.Values(), mv.Values())
		}
		forward[path](l, true)
		if i := differs(mm.Values(), wantMean[:], 1e-6); i >= 0 {
			t.Errorf("%s: moving_mean after one training pass %v, want %v", path, mm.Values(), wantMean)
		}
		if i := differs(mv.Values(), wantVar[:], 1e-6); i >= 0 {
			t.Errorf("%s: moving_variance after one training pass %v, want %v", path, mv.Values(), wantVar)
		}
		before := mm.Clone()
		forward[path](l, false)
		if differs(mm.Values(), before.Values(), 0) != -1 {
			t.Errorf("%s: inference changed moving_mean from %v to %v", path, before.Values(), mm.Values())
		}
	}
}

// TestBatchNormSummary: a BatchNormalization on 32 channels has 64
// trainable (gamma, beta) and 64 non-trainable (moving mean and variance)
// parameters, as Keras's summary shows (Param # 128).
func TestBatchNormSummary(t *testing.T) {
	m := models.NewSequential([]int{10}, layers.NewDense(32), layers.NewBatchNormalization())
	var b bytes.Buffer
	if err := m.Summary(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"(None, 32)",
		"128 │",                                // the layer's row
		" Trainable params: 416 (1.62 KB)",     // 10·32 + 32 (Dense) + 64
		" Non-trainable params: 64 (256.00 B)", // moving mean and variance
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q; got:\n%s", want, out)
		}
	}
	tr, nt := layers.CountParams(m.Layers()[1])
	if tr != 64 || nt != 64 {
		t.Errorf("CountParams = %d trainable, %d non-trainable; want 64, 64", tr, nt)
	}
}

// TestBatchNormSaveLoad trains a model with a BatchNormalization (the
// kernel path), saves and loads it, and checks that the moving statistics
// came back and predictions are unchanged.
func TestBatchNormSaveLoad(t *testing.T) {
	m := models.NewSequential([]int{6},
		layers.NewDense(8), layers.NewBatchNormalization(), layers.NewReLU(),
		layers.NewDense(3, layers.WithActivation("softmax")))
	loss, _ := losses.Get("sparse_categorical_crossentropy", nil)
	if err := m.Compile(optimizers.NewSGD(0.05, 0, false), loss); err != nil {
		t.Fatal(err)
	}
	x := layertest.Input(4, 64, 6).AsType(tensor.Float32)
	y := tensor.Zeros(64)
	for i := range 64 {
		y.SetFlat(i, float64(i%3))
	}
	if _, err := m.Fit(x, y, models.FitOptions{Epochs: 2, BatchSize: 16, Verbose: models.VerboseSilent}); err != nil {
		t.Fatal(err)
	}
	bn := m.Layers()[1].Weights()
	if mm := bn[2].Value.Data.Values(); differs(mm, make([]float64, len(mm)), 1e-6) == -1 {
		t.Fatalf("moving_mean %v still at its initial zeros after training", mm)
	}
	path := filepath.Join(t.TempDir(), "bn.deepgo")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	m2, err := models.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	w1, w2 := m.Weights(), m2.Weights()
	for i := range w1 {
		if w1[i].Value.Name != w2[i].Value.Name || w1[i].Trainable != w2[i].Trainable {
			t.Errorf("weight %d: %s (trainable %v) loaded as %s (trainable %v)", i, w1[i].Value.Name, w1[i].Trainable, w2[i].Value.Name, w2[i].Trainable)
		}
		if j := differs(w1[i].Value.Data.Values(), w2[i].Value.Data.Values(), 0); j >= 0 {
			t.Errorf("%s[%d]: saved %v, loaded %v", w1[i].Value.Name, j, w1[i].Value.Data.AtFlat(j), w2[i].Value.Data.AtFlat(j))
		}
	}
	p1, err1 := m.Predict(x, 0)
	p2, err2 := m2.Predict(x, 0)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if j := differs(p1.Values(), p2.Values(), 0); j >= 0 {
		t.Errorf("prediction %d: %v before saving, %v after loading", j, p1.AtFlat(j), p2.AtFlat(j))
	}
}

func TestNormBuildErrors(t *testing.T) {
	cases := []struct {
		name   string
		layer  layers.Layer
		sample []int
		want   string
	}{
		{"batch axis", layers.NewBatchNormalization(layers.NormAxis(0)), []int{4}, "axis 0 is the batch axis of input shape (None, 4)"},
		{"batch axis range", layers.NewBatchNormalization(layers.NormAxis(3)), []int{2, 4}, "axis 3 is out of range for input shape (None, 2, 4)"},
		{"layer negative axis range", layers.NewLayerNormalization(layers.NormAxis(-4)), []int{2, 4}, "axis -4 is out of range for input shape (None, 2, 4)"},
		{"scalar samples", layers.NewLayerNormalization(), []int{}, "axis -1 is the batch axis of input shape (None,)"},
		{"initializer", layers.NewBatchNormalization(layers.NormMovingVarianceInitializer("one")), []int{4}, `moving_variance_initializer`},
		{"momentum", layers.NewBatchNormalization(layers.NormMomentum(1.5)), []int{4}, "momentum must be in [0, 1], got 1.5"},
		{"epsilon", layers.NewLayerNormalization(layers.NormEpsilon(0)), []int{4}, "epsilon must be positive, got 0"},
		{"batch-only option", layers.NewLayerNormalization(layers.NormMomentum(0.9)), []int{4}, "momentum is an argument of BatchNormalization"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.layer.SetName("norm")
			err := c.layer.Build(c.sample, rand.New(rand.NewPCG(1, 1)))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "layer norm (") {
				t.Errorf("got %v, want an error naming the layer and containing %q", err, c.want)
			}
		})
	}
}

func TestNormFromSpec(t *testing.T) {
	l, err := layers.FromSpec(layertest.Spec("batch_normalization", spec.Arg{Name: "momentum", Value: 0.9}, spec.Arg{Name: "axis", Value: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if bn := l.(*layers.BatchNormalization); bn.Momentum != 0.9 || bn.Axis != 1 || bn.Epsilon != 1e-3 || !bn.Center || !bn.Scale {
		t.Errorf("got %+v, want momentum 0.9, axis 1 and Keras's other defaults", bn.Config())
	}
	for _, c := range []struct {
		l    spec.Layer
		want string
	}{
		{layertest.Spec("layer_normalization", spec.Arg{Name: "rms_scaling", Value: true}), "rms_scaling=true is not supported"},
		{layertest.Spec("layer_normalization", spec.Arg{Name: "momentum", Value: 0.9}), `unknown argument "momentum"`},
		{layertest.Spec("batch_normalization", spec.Arg{Name: "momentum", Value: -1}), "momentum must be in [0, 1], got -1"},
		{layertest.Spec("batch_normalization", spec.Arg{Name: "center", Value: "yes"}), `"yes"`},
	} {
		if _, err := layers.FromSpec(c.l); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FromSpec(%s %v): got error %v, want one containing %q", c.l.Type, c.l.Args, err, c.want)
		}
	}
}

// TestNormKernelAllocs: a steady Forward and Backward allocate nothing.
func TestNormKernelAllocs(t *testing.T) {
	x := layertest.Input(1, 16, 5, 5, 8).AsType(tensor.Float32)
	dy := layertest.Input(2, 16, 5, 5, 8).AsType(tensor.Float32)
	for _, c := range []struct {
		name     string
		l        layers.Layer
		training bool
	}{
		{"batch training", layers.NewBatchNormalization(), true},
		{"batch inference", layers.NewBatchNormalization(), false},
		{"layer", layers.NewLayerNormalization(), true},
	} {
		c.l.SetName("n")
		if err := c.l.Build([]int{5, 5, 8}, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		k := c.l.(layers.Kernel)
		ctx := &layers.Context{Training: c.training}
		step := func() {
			k.Forward(ctx, x)
			k.Backward(dy, true)
		}
		step()
		if n := testing.AllocsPerRun(20, step); n != 0 {
			t.Errorf("%s: %v allocations per Forward+Backward, want 0", c.name, n)
		}
	}
}

// BenchmarkNormKernel times Forward+Backward in training on the output of
// the course CNN's first convolution at batch 128: (128, 26, 26, 32).
func BenchmarkNormKernel(b *testing.B) {
	x := layertest.Input(1, 128, 26, 26, 32).AsType(tensor.Float32)
	dy := layertest.Input(2, 128, 26, 26, 32).AsType(tensor.Float32)
	for _, c := range []struct {
		name string
		l    layers.Layer
	}{{"BatchNormalization", layers.NewBatchNormalization()}, {"LayerNormalization", layers.NewLayerNormalization()}} {
		b.Run(c.name, func(b *testing.B) {
			c.l.SetName("n")
			if err := c.l.Build([]int{26, 26, 32}, rand.New(rand.NewPCG(1, 1))); err != nil {
				b.Fatal(err)
			}
			k := c.l.(layers.Kernel)
			ctx := &layers.Context{Training: true}
			b.SetBytes(int64(4 * x.Len()))
			for b.Loop() {
				k.Forward(ctx, x)
				k.Backward(dy, true)
			}
		})
	}
}

// TestNormKernelParallel compares Kernel and Call on a batch big enough to
// be cut into row blocks run concurrently (64·8·8·16 = 65,536 elements,
// two blocks of minPartWork = 32,768 where two threads are available).
func TestNormKernelParallel(t *testing.T) {
	for _, newLayer := range []func() layers.Layer{
		func() layers.Layer { return layers.NewBatchNormalization() },
		func() layers.Layer { return layers.NewLayerNormalization() },
	} {
		fast, ref := newLayer(), newLayer()
		for _, l := range []layers.Layer{fast, ref} {
			l.SetName("n")
			if err := l.Build([]int{8, 8, 16}, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
		}
		x := layertest.Input(6, 64, 8, 8, 16).AsType(tensor.Float32)
		r := rweights(x.Shape()).AsType(tensor.Float32)
		y, dx := callRunner(ref, true, x, r)
		gy, gdx := kernelRunner(fast, true, x, r)
		name := fast.ClassName()
		close(t, name+" output", gy, y.Values(), 1e-5)
		close(t, name+" dx", gdx, dx.Values(), 1e-5)
		for i, w := range fast.Weights() {
			close(t, name+" "+w.Name, w.Value.Data, ref.Weights()[i].Value.Data.Values(), 1e-5)
			if w.Trainable {
				close(t, name+" "+w.Name+" gradient", w.Value.Grad, ref.Weights()[i].Value.Grad.Values(), 1e-5)
			}
		}
	}
}
