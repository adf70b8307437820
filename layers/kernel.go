package layers

import (
	"github.com/deepgo-dev/deepgo/tensor"
)

// Kernel is the allocation-free way to run a layer, used by the model's
// training and inference loops when every layer provides it. Where Call
// records an autograd graph, a Kernel works on buffers it owns, sized on
// the first batch and reused, so a steady training step allocates nothing.
// Each layer's Forward and Backward sit beside its Call and are tested
// against it (see layertest.CheckKernel).
type Kernel interface {
	// Fast reports whether this configuration of the layer has a kernel
	// (a Dense layer with an activation whose derivative cannot be taken
	// from its output, for example, has not).
	Fast() bool
	// Forward computes the layer's output for the batch x (float32) into
	// a tensor.Buffer the layer owns. x and the result must stay untouched until
	// Backward has run.
	Forward(ctx *Context, x *tensor.Tensor) *tensor.Tensor
	// Backward takes dy = dL/dy for the last Forward, writes (not adds)
	// the gradients of the trainable weights into their Grad tensors and,
	// when needDX is set, returns dL/dx. It may overwrite dy.
	Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor
}

// weightData returns w's float32 values, or nil for an absent weight (a
// layer without a bias), which the kernels take for "none".
func weightData(w *Weight) []float32 {
	if w == nil {
		return nil
	}
	return w.Value.Data.Float32s()
}

// weightGrad returns w's float32 gradient storage, which Backward writes
// into, allocated on the first Backward.
func weightGrad(w *Weight) []float32 {
	if w.Value.Grad == nil {
		w.Value.Grad = tensor.ZerosLike(w.Value.Data)
	}
	return w.Value.Grad.Float32s()
}

// vec returns v resized to n elements, reusing its storage when it can.
func vec[T any](v []T, n int) []T {
	if cap(v) < n {
		return make([]T, n)
	}
	return v[:n]
}
