package models

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/callbacks"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/metrics"
	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// DefaultSeed seeds weight initialisation, shuffling and dropout when
// SetSeed is not called, so that two runs of the same program give the same
// numbers.
const DefaultSeed = 1

// Sequential is a stack of layers, each feeding the next.
type Sequential struct {
	Name   string
	input  []int
	layers []layers.Layer
	built  bool
	seed   uint64
	rng    *rand.Rand

	opt        optimizers.Optimizer
	loss       losses.Loss
	metricIDs  []spec.Named
	metrics    []metrics.Metric
	valMetrics []metrics.Metric
	compiled   bool

	stop    bool
	history *callbacks.History
	trainer *trainer // reused by TrainOnBatch

	// classNames name the output classes, when known (see text.go).
	classNames []string
}

// NewSequential returns a model whose samples have the given input shape
// (without the batch axis, as keras.Input(shape=...)).
func NewSequential(inputShape []int, ls ...layers.Layer) *Sequential {
	m := &Sequential{Name: "sequential", input: slices.Clone(inputShape), seed: DefaultSeed}
	m.layers = append(m.layers, ls...)
	return m
}

// Add appends a layer; the model must not have been built yet.
func (m *Sequential) Add(l layers.Layer) error {
	if m.built {
		return errors.New("cannot add a layer to a model that has been built")
	}
	m.layers = append(m.layers, l)
	return nil
}

// SetSeed fixes the seed of weight initialisation, shuffling and dropout.
// Call it before Build (or Compile).
func (m *Sequential) SetSeed(seed uint64) { m.seed = seed }

// Layers returns the model's layers.
func (m *Sequential) Layers() []layers.Layer { return m.layers }

// InputShape is one sample's input shape.
func (m *Sequential) InputShape() []int { return m.input }

// OutputShape is one sample's output shape (after Build).
func (m *Sequential) OutputShape() []int {
	if len(m.layers) == 0 {
		return m.input
	}
	return m.layers[len(m.layers)-1].OutputShape()
}

// Build names the layers (dense, dense_1, … as Keras does), builds each on
// the previous one's output shape and creates the weights. It is called by
// Compile, Summary and Fit when needed.
func (m *Sequential) Build() error {
	if m.built {
		return nil
	}
	if len(m.input) == 0 {
		return errors.New("model has no input shape")
	}
	for _, d := range m.input {
		if d <= 0 {
			return fmt.Errorf("input shape %s: dimensions must be positive", tensor.ShapeString(m.input))
		}
	}
	if len(m.layers) == 0 {
		return errors.New("model has no layers")
	}
	m.rng = rand.New(rand.NewPCG(m.seed, 0x9e3779b97f4a7c15))
	used := map[string]bool{}
	for _, l := range m.layers {
		if l.Name() != "" {
			if used[l.Name()] {
				return fmt.Errorf("two layers are named %q", l.Name())
			}
			used[l.Name()] = true
		}
	}
	counts := map[string]int{}
	for _, l := range m.layers {
		if l.Name() != "" {
			continue
		}
		base := spec.KerasSnakeCase(l.ClassName())
		for {
			name := base
			if n := counts[base]; n > 0 {
				name = fmt.Sprintf("%s_%d", base, n)
			}
			counts[base]++
			if !used[name] {
				l.SetName(name)
				used[name] = true
				break
			}
		}
	}
	shape := m.input
	for i, l := range m.layers {
		if err := l.Build(slices.Clone(shape), m.rng); err != nil {
			return fmt.Errorf("layer %d: %w", i+1, err)
		}
		shape = l.OutputShape()
	}
	m.built = true
	return nil
}

// Weights returns every weight of the model in order: layer by layer,
// each layer's in its own order. These are the model file's tensors.
func (m *Sequential) Weights() []*layers.Weight {
	var ws []*layers.Weight
	for _, l := range m.layers {
		ws = append(ws, l.Weights()...)
	}
	return ws
}

// GetWeights returns copies of every weight.
func (m *Sequential) GetWeights() []*tensor.Tensor {
	var out []*tensor.Tensor
	for _, w := range m.Weights() {
		out = append(out, w.Value.Data.Clone())
	}
	return out
}

// SetWeights copies ws into the model's weights; shapes must match.
func (m *Sequential) SetWeights(ws []*tensor.Tensor) error {
	mine := m.Weights()
	if len(ws) != len(mine) {
		return fmt.Errorf("model has %d weights, got %d", len(mine), len(ws))
	}
	for i, w := range mine {
		if !tensor.SameShape(w.Value.Data.Shape(), ws[i].Shape()) {
			return fmt.Errorf("weight %s has shape %s, got %s", w.Value.Name,
				tensor.ShapeString(w.Value.Data.Shape()), tensor.ShapeString(ws[i].Shape()))
		}
	}
	for i, w := range mine {
		w.Value.Data.CopyFrom(ws[i])
	}
	return nil
}

// Compile sets the optimizer, the loss and the metrics (Keras identifiers
// such as "accuracy", "mae", "auc") used by Fit and Evaluate.
func (m *Sequential) Compile(opt optimizers.Optimizer, loss losses.Loss, metricIDs ...string) error {
	named := make([]spec.Named, len(metricIDs))
	for i, id := range metricIDs {
		named[i] = spec.Named{Name: id}
	}
	return m.compile(opt, loss, named)
}

func (m *Sequential) compile(opt optimizers.Optimizer, loss losses.Loss, metricIDs []spec.Named) error {
	if opt == nil || loss == nil {
		return errors.New("compile needs an optimizer and a loss")
	}
	if err := m.Build(); err != nil {
		return err
	}
	mk := func() ([]metrics.Metric, error) {
		var out []metrics.Metric
		for _, id := range metricIDs {
			args := map[string]any{}
			for _, a := range id.Args {
				args[a.Name] = a.Value
			}
			mt, err := metrics.Get(id.Name, args, metrics.Context{Loss: loss.Name(), OutputShape: m.OutputShape()})
			if err != nil {
				return nil, err
			}
			out = append(out, mt)
		}
		return out, nil
	}
	ms, err := mk()
	if err != nil {
		return err
	}
	vms, _ := mk()
	m.opt, m.loss, m.metricIDs, m.metrics, m.valMetrics = opt, loss, metricIDs, ms, vms
	m.compiled = true
	m.trainer = nil
	return nil
}

// Optimizer returns the compiled optimizer (nil before Compile).
func (m *Sequential) Optimizer() optimizers.Optimizer { return m.opt }

// Loss returns the compiled loss (nil before Compile).
func (m *Sequential) Loss() losses.Loss { return m.loss }

// MetricNames returns the compiled metrics' names, in compile order.
func (m *Sequential) MetricNames() []string {
	var out []string
	for _, mt := range m.metrics {
		out = append(out, mt.Name())
	}
	return out
}

// forward runs the layers on a batch.
// Each layer gets the mask the layers before it left (see layers.NextMask).
func (m *Sequential) forward(ctx *layers.Context, x *autograd.Value) *autograd.Value {
	ctx.Mask = nil
	for _, l := range m.layers {
		y := l.Call(ctx, x)
		ctx.Mask = layers.NextMask(l, ctx, x.Data, ctx.Mask)
		x = y
	}
	ctx.Mask = nil
	return x
}

// Call runs the model on a batch x (batch axis first) and returns the
// output, recording the graph when the weights require gradients.
func (m *Sequential) Call(x *tensor.Tensor, training bool) (*autograd.Value, error) {
	if err := m.Build(); err != nil {
		return nil, err
	}
	x = m.withChannel(x)
	if err := m.checkInput(x.Shape()); err != nil {
		return nil, err
	}
	var out *autograd.Value
	err := catch(func() {
		out = m.forward(&layers.Context{Training: training, RNG: m.rng}, autograd.Const(x))
	})
	return out, err
}

// withChannel returns x viewed with a trailing channel axis of 1 when the
// model's input has one and x lacks it — MNIST images (n, 28, 28) for an
// input of (28, 28, 1) — the np.expand_dims(x, -1) every Keras convnet
// example starts with. Other inputs are returned unchanged.
func (m *Sequential) withChannel(x *tensor.Tensor) *tensor.Tensor {
	in := m.input
	if x == nil || len(in) < 2 || in[len(in)-1] != 1 || x.Rank() != len(in) {
		return x
	}
	if !tensor.SameShape(x.Shape()[1:], in[:len(in)-1]) {
		return x
	}
	return x.Reshape(append(slices.Clone(x.Shape()), 1)...)
}

func (m *Sequential) checkInput(shape []int) error {
	if in := m.numericInput(); len(shape) == 0 || !tensor.SameShape(shape[1:], in) {
		return fmt.Errorf("data of shape %s does not fit the model's input: want (samples, %s)",
			tensor.ShapeString(shape), trimParens(tensor.ShapeString(in)))
	}
	return nil
}

func trimParens(s string) string {
	s = s[1 : len(s)-1]
	if len(s) > 0 && s[len(s)-1] == ',' {
		s = s[:len(s)-1]
	}
	return s
}

// catch turns a panic from the numeric core into an error.
func catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			var bad *layers.InputError
			if e, ok := r.(error); ok && errors.As(e, &bad) {
				err = bad // bad data, reported as it is
			} else if e, ok := r.(error); ok {
				err = fmt.Errorf("internal error: %w", e)
			} else {
				err = fmt.Errorf("internal error: %v", r)
			}
		}
	}()
	f()
	return nil
}
