package models

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/callbacks"
	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/metrics"
	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Verbosity selects Fit's output, as Keras's verbose argument.
type Verbosity int

const (
	VerboseAuto   Verbosity = iota // progress bar on a terminal, one line per epoch otherwise
	VerboseSilent                  // Keras verbose=0
	VerboseBar                     // Keras verbose=1
	VerboseLine                    // Keras verbose=2
)

// FitOptions are Keras's fit arguments. Zero values select Keras's
// defaults: 1 epoch, batch_size 32, shuffle on, verbose "auto".
type FitOptions struct {
	Epochs          int
	BatchSize       int
	ValidationSplit float64       // hold out the last fraction of x, y
	ValidationData  *data.Dataset // takes precedence over ValidationSplit
	NoShuffle       bool          // Keras shuffle=False
	Callbacks       []callbacks.Callback
	Verbose         Verbosity
	InitialEpoch    int             // epochs are numbered from here (0-based)
	ClassWeight     map[int]float64 // weight of each class in the loss
	Output          io.Writer       // where the progress bar goes; os.Stdout when nil
}

// Fit trains the model on x, y and returns the History of per-epoch loss
// and metrics (with val_ entries when there is validation data).
func (m *Sequential) Fit(x, y *tensor.Tensor, opt FitOptions) (*callbacks.History, error) {
	if !m.compiled {
		return nil, errors.New("fit: compile the model first")
	}
	if x == nil || y == nil {
		return nil, errors.New("fit: needs inputs and targets")
	}
	if opt.Epochs == 0 {
		opt.Epochs = 1
	}
	if opt.BatchSize == 0 {
		opt.BatchSize = 32
	}
	if opt.Epochs < 0 || opt.BatchSize < 0 {
		return nil, fmt.Errorf("fit: epochs and batch_size must be positive, got %d and %d", opt.Epochs, opt.BatchSize)
	}
	if opt.InitialEpoch < 0 || opt.InitialEpoch > opt.Epochs {
		return nil, fmt.Errorf("fit: initial_epoch %d is outside [0, epochs=%d]", opt.InitialEpoch, opt.Epochs)
	}
	x = m.withChannel(x)
	train := &data.Dataset{X: x, Y: y, Source: "training data"}
	if err := m.checkData(train); err != nil {
		return nil, err
	}
	val := opt.ValidationData
	if val == nil && opt.ValidationSplit > 0 {
		var err error
		train, val, err = train.Split(opt.ValidationSplit)
		if err != nil {
			return nil, fmt.Errorf("fit: %w", err)
		}
	}
	if val != nil && val.X != nil {
		v := *val
		v.X = m.withChannel(v.X)
		val = &v
	}
	if val != nil {
		if err := m.checkData(val); err != nil {
			return nil, fmt.Errorf("validation data: %w", err)
		}
	}
	batcher, err := data.NewBatcher(train, opt.BatchSize, !opt.NoShuffle, m.rng)
	if err != nil {
		return nil, fmt.Errorf("fit: %w", err)
	}

	m.history = callbacks.NewHistory()
	// Keras's order: the user's callbacks, then History (so it records
	// what they add, such as learning_rate), then the progress bar.
	cbs := append(append([]callbacks.Callback(nil), opt.Callbacks...), m.history)
	if bar := m.progressBar(opt); bar != nil {
		cbs = append(cbs, bar)
	}
	params := callbacks.Params{Epochs: opt.Epochs, InitialEpoch: opt.InitialEpoch, Steps: batcher.Steps(),
		Samples: train.Len(), Verbose: int(verbosity(opt)), Metrics: m.logKeys(val != nil)}
	for _, cb := range cbs {
		cb.SetModel(m, params)
	}
	m.stop = false
	for _, cb := range cbs {
		if err := cb.OnTrainBegin(); err != nil {
			return m.history, err
		}
	}
	lossMean := metrics.NewMean("loss")
	var logs callbacks.Logs
	tr := m.trainer
	if tr == nil {
		tr = newTrainer(m)
		m.trainer = tr
	}
	for epoch := opt.InitialEpoch; epoch < opt.Epochs && !m.stop; epoch++ {
		for _, cb := range cbs {
			if err := cb.OnEpochBegin(epoch); err != nil {
				return m.history, err
			}
		}
		batcher.Reset()
		lossMean.Reset()
		for _, mt := range m.metrics {
			mt.Reset()
		}
		for step := 0; step < batcher.Steps() && !m.stop; step++ {
			xb, yb := batcher.Batch(step)
			loss, err := tr.step(xb, yb, m.sampleWeights(yb, opt.ClassWeight))
			if err != nil {
				return m.history, fmt.Errorf("epoch %d, step %d: %w", epoch+1, step+1, err)
			}
			lossMean.Add(loss, float64(xb.Dim(0)))
			logs.Reset()
			logs.Set("loss", lossMean.Result())
			for _, mt := range m.metrics {
				logs.Set(mt.Name(), mt.Result())
			}
			for _, cb := range cbs {
				if err := cb.OnBatchEnd(step, &logs); err != nil {
					return m.history, err
				}
			}
		}
		if val != nil {
			vl, err := m.evaluate(val, opt.BatchSize, m.valMetrics)
			if err != nil {
				return m.history, fmt.Errorf("epoch %d, validation: %w", epoch+1, err)
			}
			logs.Set("val_loss", vl)
			for _, mt := range m.valMetrics {
				logs.Set("val_"+mt.Name(), mt.Result())
			}
		}
		for _, cb := range cbs {
			if err := cb.OnEpochEnd(epoch, &logs); err != nil {
				return m.history, err
			}
		}
	}
	for _, cb := range cbs {
		if err := cb.OnTrainEnd(&logs); err != nil {
			return m.history, err
		}
	}
	return m.history, nil
}

func verbosity(opt FitOptions) Verbosity {
	if opt.Verbose != VerboseAuto {
		return opt.Verbose - 1 // Keras's 0, 1, 2
	}
	out, ok := opt.Output.(*os.File)
	if opt.Output == nil {
		out, ok = os.Stdout, true
	}
	if ok && callbacks.IsTerminal(out) {
		return 1
	}
	return 2
}

func (m *Sequential) progressBar(opt FitOptions) callbacks.Callback {
	v := verbosity(opt)
	if v == 0 {
		return nil
	}
	w := opt.Output
	if w == nil {
		w = os.Stdout
	}
	return callbacks.NewProgBar(w, int(v))
}

// logKeys are the names Fit reports, in order.
func (m *Sequential) logKeys(withVal bool) []string {
	keys := append([]string{"loss"}, m.MetricNames()...)
	if withVal {
		for _, k := range append([]string{"loss"}, m.MetricNames()...) {
			keys = append(keys, "val_"+k)
		}
	}
	return keys
}

// checkData reports inputs or targets that do not fit the model, before
// any training happens.
func (m *Sequential) checkData(ds *data.Dataset) error {
	if ds.X == nil {
		return fmt.Errorf("%s: no inputs", ds.Source)
	}
	if err := m.checkInput(ds.X.Shape()); err != nil {
		return fmt.Errorf("%s: %w", ds.Source, err)
	}
	if err := m.checkValues(ds.X); err != nil {
		return fmt.Errorf("%s: %w", ds.Source, err)
	}
	if ds.Y == nil {
		return fmt.Errorf("%s: no targets", ds.Source)
	}
	if ds.Y.Dim(0) != ds.X.Dim(0) {
		return fmt.Errorf("%s: %d inputs but %d targets", ds.Source, ds.X.Dim(0), ds.Y.Dim(0))
	}
	if ds.X.Dim(0) == 0 {
		return fmt.Errorf("%s: no samples", ds.Source)
	}
	pred := append([]int{ds.X.Dim(0)}, m.OutputShape()...)
	if err := m.loss.CheckTargets(ds.Y.Shape(), pred); err != nil {
		return fmt.Errorf("%s: %w", ds.Source, err)
	}
	if _, ok := m.loss.(*losses.SparseCategoricalCrossentropy); ok {
		if err := losses.CheckLabels(ds.Y, m.OutputShape()[len(m.OutputShape())-1]); err != nil {
			return fmt.Errorf("%s: %w", ds.Source, err)
		}
	}
	return nil
}

// checkValues lets the layer that first sees the data (after a text
// vectorizer, which makes valid ids itself) reject bad values over the
// whole set, so an error names the sample's place in the data.
func (m *Sequential) checkValues(x *tensor.Tensor) error {
	first := 0
	if m.TextVectorizer() != nil {
		first = 1
	}
	if first < len(m.layers) {
		if c, ok := m.layers[first].(layers.InputChecker); ok {
			return c.CheckInput(x)
		}
	}
	return nil
}

// sampleWeights turns class_weight into per-sample weights for a batch.
func (m *Sequential) sampleWeights(y *tensor.Tensor, cw map[int]float64) *tensor.Tensor {
	if len(cw) == 0 {
		return nil
	}
	n := y.Dim(0)
	w := tensor.Zeros(n)
	per := y.Len() / n
	for i := 0; i < n; i++ {
		class := int(y.AtFlat(i))
		if per > 1 { // one-hot targets: the class is the argmax
			class = tensor.ArgMax(y.Rows(i, i+1))[0]
		}
		wt, ok := cw[class]
		if !ok {
			wt = 1
		}
		w.SetFlat(i, wt)
	}
	return w
}

// trainer runs training steps, reusing its variable list between steps.
type trainer struct {
	m    *Sequential
	vars []optimizers.Variable
	ws   []*layers.Weight
	ctx  layers.Context
	plan *plan // the kernel path, when every layer has one
}

func newTrainer(m *Sequential) *trainer {
	t := &trainer{m: m, ctx: layers.Context{Training: true, RNG: m.rng}, plan: newPlan(m)}
	for _, w := range m.Weights() {
		if w.Trainable {
			t.ws = append(t.ws, w)
		}
	}
	t.vars = make([]optimizers.Variable, len(t.ws))
	return t
}

// step is one mini-batch of gradient descent: forward, loss, backward,
// update. It returns the batch loss.
func (t *trainer) step(x, y, sw *tensor.Tensor) (loss float64, err error) {
	m := t.m
	if t.plan.runs(x) {
		var inner error
		if err := catch(func() { loss, inner = t.plan.step(t, x, y, sw) }); err != nil {
			return loss, err
		}
		return loss, inner
	}
	var inner error
	err = catch(func() {
		out := m.forward(&t.ctx, autograd.Const(x))
		l := losses.Compute(m.loss, y, out, sw)
		loss = l.Data.Item()
		autograd.Backward(l)
		for i, w := range t.ws {
			g := w.Value.Grad
			if g == nil { // a weight the loss does not depend on
				g = tensor.ZerosLike(w.Value.Data)
				w.Value.Grad = g
			}
			t.vars[i] = optimizers.Variable{Name: w.Value.Name, Value: w.Value.Data, Grad: g}
		}
		if inner = m.opt.Apply(t.vars); inner != nil {
			return
		}
		for _, w := range t.ws {
			w.Value.ZeroGrad()
		}
		for _, mt := range m.metrics {
			if inner = mt.Update(y, out.Data); inner != nil {
				return
			}
		}
	})
	if err != nil {
		return loss, err
	}
	return loss, inner
}

// Evaluate returns the loss and every compiled metric on x, y, computed
// over the whole set, as Keras's evaluate(return_dict=True). Keys are
// "loss" then the metric names.
func (m *Sequential) Evaluate(x, y *tensor.Tensor, batchSize int) (*callbacks.Logs, error) {
	if !m.compiled {
		return nil, errors.New("evaluate: compile the model first")
	}
	ds := &data.Dataset{X: m.withChannel(x), Y: y, Source: "evaluation data"}
	if err := m.checkData(ds); err != nil {
		return nil, err
	}
	loss, err := m.evaluate(ds, batchSize, m.metrics)
	if err != nil {
		return nil, err
	}
	logs := &callbacks.Logs{}
	logs.Set("loss", loss)
	for _, mt := range m.metrics {
		logs.Set(mt.Name(), mt.Result())
	}
	return logs, nil
}

func (m *Sequential) evaluate(ds *data.Dataset, batchSize int, ms []metrics.Metric) (float64, error) {
	if batchSize <= 0 {
		batchSize = 32
	}
	b, err := data.NewBatcher(ds, batchSize, false, nil)
	if err != nil {
		return 0, err
	}
	mean := metrics.NewMean("loss")
	for _, mt := range ms {
		mt.Reset()
	}
	ctx := &layers.Context{RNG: m.rng}
	p := m.kernelPlan()
	var inner error
	err = catch(func() {
		for i := 0; i < b.Steps(); i++ {
			xb, yb := b.Batch(i)
			var (
				loss float64
				pred *tensor.Tensor
			)
			if p.runs(xb) {
				loss, pred = p.evalBatch(xb, yb)
			} else {
				out := m.inference(ctx, xb)
				loss, pred = losses.Compute(m.loss, yb, out, nil).Data.Item(), out.Data
			}
			mean.Add(loss, float64(xb.Dim(0)))
			for _, mt := range ms {
				if inner = mt.Update(yb, pred); inner != nil {
					return
				}
			}
		}
	})
	if err != nil {
		return 0, err
	}
	return mean.Result(), inner
}

// kernelPlan returns the model's kernel plan (nil when some layer has no
// kernel), creating it on first use.
func (m *Sequential) kernelPlan() *plan {
	if m.trainer == nil {
		m.trainer = newTrainer(m)
	}
	return m.trainer.plan
}

// inference runs the model without recording a graph.
func (m *Sequential) inference(ctx *layers.Context, x *tensor.Tensor) *autograd.Value {
	ws := m.Weights()
	saved := make([]bool, len(ws))
	for i, w := range ws {
		saved[i] = w.Value.RequiresGrad
		w.Value.RequiresGrad = false
	}
	defer func() {
		for i, w := range ws {
			w.Value.RequiresGrad = saved[i]
		}
	}()
	return m.forward(ctx, autograd.Const(x))
}

// Predict returns the model's outputs for x, computed in batches
// (batch_size 32 when batchSize is 0), in inference mode.
func (m *Sequential) Predict(x *tensor.Tensor, batchSize int) (*tensor.Tensor, error) {
	if err := m.Build(); err != nil {
		return nil, err
	}
	x = m.withChannel(x)
	if err := m.checkInput(x.Shape()); err != nil {
		return nil, err
	}
	if err := m.checkValues(x); err != nil {
		return nil, err
	}
	if batchSize <= 0 {
		batchSize = 32
	}
	n := x.Dim(0)
	out := tensor.New(x.DType(), append([]int{n}, m.OutputShape()...)...)
	per := tensor.NumElements(m.OutputShape())
	ctx := &layers.Context{RNG: m.rng}
	p := m.kernelPlan()
	flat := out.Reshape(n * per)
	err := catch(func() {
		for s := 0; s < n; s += batchSize {
			e := min(s+batchSize, n)
			if p.runs(x) {
				// In inference samples are independent, so the kernel path
				// may run a batch in slices small enough for each layer's
				// output to stay in cache on its way to the next layer;
				// the outputs are the same.
				for cs := s; cs < e; cs += p.predictChunk {
					ce := min(cs+p.predictChunk, e)
					flat.Rows(cs*per, ce*per).CopyFrom(p.predict(x.Rows(cs, ce)))
				}
				continue
			}
			y := m.inference(ctx, x.Rows(s, e))
			flat.Rows(s*per, e*per).CopyFrom(y.Data)
		}
	})
	return out, err
}

// StopTraining ends Fit after the current step (callbacks use it).
func (m *Sequential) StopTraining() { m.stop = true }

// LearningRate is the optimizer's current learning rate.
func (m *Sequential) LearningRate() float64 {
	if m.opt == nil {
		return math.NaN()
	}
	return m.opt.LearningRate()
}

// SetLearningRate changes the optimizer's learning rate.
func (m *Sequential) SetLearningRate(lr float64) error {
	if m.opt == nil {
		return errors.New("model is not compiled")
	}
	return m.opt.SetLearningRate(lr)
}

// History is the History of the last Fit.
func (m *Sequential) History() *callbacks.History { return m.history }

// TrainOnBatch runs one step of gradient descent on one batch, as Keras's
// train_on_batch, and returns the batch loss. Metrics accumulate until
// ResetMetrics.
func (m *Sequential) TrainOnBatch(x, y *tensor.Tensor) (float64, error) {
	if !m.compiled {
		return 0, errors.New("train_on_batch: compile the model first")
	}
	x = m.withChannel(x)
	if m.trainer == nil {
		if err := m.checkData(&data.Dataset{X: x, Y: y, Source: "batch"}); err != nil {
			return 0, err
		}
		m.trainer = newTrainer(m)
	}
	return m.trainer.step(x, y, nil)
}

// ResetMetrics clears the compiled metrics' accumulated state.
func (m *Sequential) ResetMetrics() {
	for _, mt := range m.metrics {
		mt.Reset()
	}
}
