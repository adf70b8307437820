package models

import (
	"math"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/internal/kernels"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/tensor"
)

// plan runs a model through its layers' Kernels instead of the autograd
// graph: buffers are sized on the first batch and reused, and softmax with
// cross-entropy is one fused pass, so a steady training step allocates
// nothing. It is used when every layer has a Kernel; the autograd path
// (trainer.step) remains the reference it is tested against.
type plan struct {
	m  *Sequential
	ks []layers.Kernel
	// fused is set when the loss is a cross-entropy over a softmax (or
	// over logits): the last layer then hands over logits and the loss
	// gradient is computed together with the softmax.
	fused      bool
	sparse     bool // sparse labels (else one-hot/soft targets)
	fromLogits bool // predictions are the logits themselves
	probs      tensor.Buffer
	dlogits    tensor.Buffer
	ctx        layers.Context
	// predictChunk is how many samples Predict hands the kernels at a time:
	// as many as keep the largest layer output within predictCache bytes.
	predictChunk int
}

// fuseConvPool lets newPlan fuse a first convolution with its pooling; a
// variable so that tests can compare with the layers' own Kernels.
var fuseConvPool = true

// predictCache bounds one layer output during Predict on the kernel path:
// a layer's output is then still in the last-level cache when the next
// layer reads it. A CNN's first convolution at batch 1000 writes 86 MB,
// which would otherwise travel to memory and back.
const predictCache = 8 << 20

// softmaxOutput is implemented by layers that end in a softmax and can
// return their logits instead (Dense with softmax, Softmax, Activation).
type softmaxOutput interface {
	SoftmaxOutput() bool
	ForwardLogits(ctx *layers.Context, x *tensor.Tensor) *tensor.Tensor
}

// newPlan returns the kernel plan for m, or nil when some layer has no
// kernel (the autograd path is used then).
func newPlan(m *Sequential) *plan {
	p := &plan{m: m, ctx: layers.Context{RNG: m.rng}}
	largest := tensor.NumElements(m.input)
	for _, l := range m.layers {
		largest = max(largest, tensor.NumElements(l.OutputShape()))
	}
	p.predictChunk = max(predictCache/(4*largest), 32)
	for _, l := range m.layers {
		k, ok := l.(layers.Kernel)
		if !ok || !k.Fast() {
			return nil
		}
		p.ks = append(p.ks, k)
	}
	for _, w := range m.Weights() {
		if w.Value.Data.DType() != tensor.Float32 {
			return nil
		}
	}
	// A convnet's first convolution and its max pooling run as one Kernel
	// (layers.ConvPool), which keeps the convolution's output in cache; the
	// pooling's slot is then empty. Only first: the input has no mask.
	if fuseConvPool && len(p.ks) >= 2 {
		if f := layers.FuseConvPool(m.layers[0], m.layers[1]); f != nil {
			p.ks[0], p.ks[1] = f, nil
		}
	}
	if m.loss != nil {
		last := m.layers[len(m.layers)-1]
		so, isSoftmax := last.(softmaxOutput)
		switch l := m.loss.(type) {
		case *losses.SparseCategoricalCrossentropy:
			p.sparse, p.fromLogits = true, l.FromLogits
			p.fused = l.FromLogits || (isSoftmax && so.SoftmaxOutput())
		case *losses.CategoricalCrossentropy:
			p.fromLogits = l.FromLogits
			p.fused = l.LabelSmoothing == 0 && (l.FromLogits || (isSoftmax && so.SoftmaxOutput()))
		}
	}
	return p
}

// runs reports whether the batch x takes the kernel path: the model has a
// plan (p may be nil) and x is float32, as the kernels are.
func (p *plan) runs(x *tensor.Tensor) bool {
	return p != nil && x.DType() == tensor.Float32
}

// forward runs every layer's kernel; with logits set and a softmax last
// layer, the last layer returns its logits.
func (p *plan) forward(x *tensor.Tensor, training, logits bool) *tensor.Tensor {
	p.ctx.Training = training
	p.ctx.Mask = nil
	n := len(p.ks)
	for i, k := range p.ks {
		if k == nil { // fused into the layer before
			continue
		}
		var y *tensor.Tensor
		if i == n-1 && logits && !p.fromLogits {
			y = p.m.layers[i].(softmaxOutput).ForwardLogits(&p.ctx, x)
		} else {
			y = k.Forward(&p.ctx, x)
		}
		p.ctx.Mask = layers.NextMask(p.m.layers[i], &p.ctx, x, p.ctx.Mask)
		x = y
	}
	p.ctx.Mask = nil
	return x
}

// backward sends dy back through the kernels, filling every weight's Grad.
func (p *plan) backward(dy *tensor.Tensor) {
	for i := len(p.ks) - 1; i >= 0; i-- {
		if p.ks[i] != nil {
			dy = p.ks[i].Backward(dy, i > 0)
		}
	}
}

// step is one training step on the kernel path; it matches trainer.step.
func (p *plan) step(t *trainer, x, y, sw *tensor.Tensor) (float64, error) {
	m := p.m
	var (
		loss float64
		pred *tensor.Tensor
		dy   *tensor.Tensor
	)
	if p.fused && sw == nil {
		loss, pred, dy = p.fusedLoss(x, y, true)
	} else {
		out := p.forward(x, true, false)
		// The loss and its gradient through autograd, on the output only.
		v := autograd.Param(out, "output")
		l := losses.Compute(m.loss, y, v, sw)
		autograd.Backward(l)
		loss, pred, dy = l.Data.Item(), out, v.Grad
	}
	p.backward(dy)
	for i, w := range t.ws {
		t.vars[i].Name, t.vars[i].Value, t.vars[i].Grad = w.Value.Name, w.Value.Data, w.Value.Grad
	}
	if err := m.opt.Apply(t.vars); err != nil {
		return loss, err
	}
	for _, mt := range m.metrics {
		if err := mt.Update(y, pred); err != nil {
			return loss, err
		}
	}
	return loss, nil
}

// fusedLoss runs the model on x up to the logits and computes softmax and
// cross-entropy against y in one pass (softmaxCrossEntropy). It returns the
// mean loss, the predictions the metrics see (the probabilities, or the
// logits with from_logits) and dL/dlogits, in the plan's buffers.
func (p *plan) fusedLoss(x, y *tensor.Tensor, training bool) (loss float64, pred, dlogits *tensor.Tensor) {
	logits := p.forward(x, training, true)
	n := logits.Dim(-1)
	probs := p.probs.Like(logits)
	dlogits = p.dlogits.Like(logits)
	loss = softmaxCrossEntropy(probs.Float32s(), dlogits.Float32s(), logits.Float32s(), y, p.sparse, logits.Len()/n, n)
	if p.fromLogits {
		return loss, logits, dlogits
	}
	return loss, probs, dlogits
}

// softmaxCrossEntropy computes, for each row of the m×n logits, the
// softmax into probs, the cross-entropy against the targets (sparse labels
// or probability rows) and the gradient of the mean loss with respect to
// the logits, (p − y)/m, into dlogits: softmax and cross-entropy in one
// pass. It returns the mean loss. Log-probabilities are computed as
// x − max − log Σ e^(x−max), so the loss stays finite for any logits.
func softmaxCrossEntropy(probs, dlogits, logits []float32, y *tensor.Tensor, sparse bool, m, n int) float64 {
	if sparse && y.DType() == tensor.Float32 {
		// The SIMD kernel: softmax, loss and gradient row by row in cache.
		return kernels.SoftmaxCrossEntropyRows(probs, dlogits, logits, y.Float32s(), m, n, 1/float32(m)) / float64(m)
	}
	var total float64
	inv := 1 / float32(m)
	var yd []float32
	if !sparse {
		yd = y.Float32s()
	}
	for r := 0; r < m; r++ {
		x, p, g := logits[r*n:r*n+n], probs[r*n:r*n+n], dlogits[r*n:r*n+n]
		mx := x[0]
		for _, v := range x[1:] {
			if v > mx {
				mx = v
			}
		}
		var s float64
		for j, v := range x {
			e := math.Exp(float64(v - mx))
			p[j] = float32(e)
			s += e
		}
		lse := float64(mx) + math.Log(s)
		is := float32(1 / s)
		for j := range p {
			p[j] *= is
			g[j] = p[j] * inv
		}
		if sparse {
			c := int(y.AtFlat(r))
			total += lse - float64(x[c])
			g[c] -= inv
		} else {
			t := yd[r*n : r*n+n]
			var sumT float64
			for j, tv := range t {
				total -= float64(tv) * (float64(x[j]) - lse)
				sumT += float64(tv)
			}
			// d/dx of −Σ t log softmax(x) is p·Σt − t.
			for j, tv := range t {
				g[j] = (p[j]*float32(sumT) - tv) * inv
			}
		}
	}
	return total / float64(m)
}

// evalBatch returns the loss of one batch in inference mode and the
// predictions the metrics see. With a fused cross-entropy it is computed
// from the logits, exactly as in training.
func (p *plan) evalBatch(x, y *tensor.Tensor) (float64, *tensor.Tensor) {
	if !p.fused {
		out := p.forward(x, false, false)
		return losses.Compute(p.m.loss, y, autograd.Const(out), nil).Data.Item(), out
	}
	loss, pred, _ := p.fusedLoss(x, y, false)
	return loss, pred
}

// predict runs the model in inference mode on the kernel path.
func (p *plan) predict(x *tensor.Tensor) *tensor.Tensor {
	return p.forward(x, false, false)
}
