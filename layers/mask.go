package layers

import "github.com/deepgo-dev/deepgo/tensor"

// Masks, as Keras propagates them: a layer such as Embedding(mask_zero) or
// Masking marks which timesteps of each sample are padding, and the layers
// after it skip those steps (recurrent layers carry their state over them,
// pooling leaves them out of its mean or max) until a layer consumes the
// mask (an RNN returning only its last state, a global pooling).
//
// A mask is a (batch, timesteps) tensor of the data's dtype holding 1 for a
// real step and 0 for padding. The model hands the current mask to every
// layer in Context.Mask (nil when there is none) and computes the next one
// with NextMask. A mask a layer produced belongs to that layer and stays
// untouched until the layer's next Forward or Call, like its output.

// MaskComputer is implemented by layers that create, change or consume a
// mask (Keras's compute_mask): Embedding and Masking create one, an RNN
// without return_sequences or a global pooling returns nil. x is the
// layer's input, mask the mask it received (nil when none).
type MaskComputer interface {
	ComputeMask(ctx *Context, x, mask *tensor.Tensor) *tensor.Tensor
}

// MaskSupporter is implemented by layers that keep the timestep axis and
// let a mask pass through unchanged (Keras's supports_masking without its
// own compute_mask): Dense, Dropout, Activation and the like.
type MaskSupporter interface {
	SupportsMasking() bool
}

// NextMask returns the mask that follows layer l, given its input x and
// the mask it received: l's own ComputeMask when it has one, the same mask
// when l supports masking, and nil otherwise (Keras drops the mask at a
// layer that does not support it).
func NextMask(l Layer, ctx *Context, x, mask *tensor.Tensor) *tensor.Tensor {
	if mc, ok := l.(MaskComputer); ok {
		return mc.ComputeMask(ctx, x, mask)
	}
	if mask == nil {
		return nil
	}
	if ms, ok := l.(MaskSupporter); ok && ms.SupportsMasking() {
		return mask
	}
	return nil
}
