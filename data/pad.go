package data

import (
	"fmt"

	"github.com/deepgo-dev/deepgo/tensor"
)

// PadOptions are the optional arguments of [PadSequences], named after
// Keras's. The zero value asks for Keras's defaults: pad and truncate at the
// start ("pre"), pad with 0, to the longest sequence's length.
type PadOptions struct {
	// MaxLen is the length of every output sequence; 0 means the length of
	// the longest input sequence.
	MaxLen int
	// Padding is where short sequences are padded: "pre" (the default when
	// empty) puts the padding before the values, "post" after.
	Padding string
	// Truncating is where long sequences lose values: "pre" (the default
	// when empty) drops the first ones, "post" the last ones.
	Truncating string
	// Value fills the padding.
	Value float64
}

// PadSequences makes sequences of unequal length into one float32 tensor of
// shape (len(seqs), maxlen), as Keras's keras.utils.pad_sequences does:
// shorter sequences are padded with opt.Value and longer ones truncated,
// at the start or the end as opt says. Keras's default keeps the last
// values of each sequence next to the end, where a recurrent layer reading
// left to right sees them last. Unlike Keras, which returns int32 by
// default, the result is float32, the dtype every dataset here holds (token
// ids are exact in float32 up to 2^24).
//
// A model that should skip the padding needs a mask: an Embedding with
// mask_zero or a Masking layer with the padding value.
func PadSequences[T float32 | float64 | int | int32 | int64](seqs [][]T, opt PadOptions) (*tensor.Tensor, error) {
	pre := func(what, v string) (bool, error) {
		switch v {
		case "", "pre":
			return true, nil
		case "post":
			return false, nil
		}
		return false, fmt.Errorf("data: pad_sequences: %s %q not understood (want \"pre\" or \"post\")", what, v)
	}
	padPre, err := pre("padding", opt.Padding)
	if err != nil {
		return nil, err
	}
	truncPre, err := pre("truncating", opt.Truncating)
	if err != nil {
		return nil, err
	}
	maxLen := opt.MaxLen
	if maxLen < 0 {
		return nil, fmt.Errorf("data: pad_sequences: maxlen %d must not be negative", maxLen)
	}
	if maxLen == 0 {
		for _, s := range seqs {
			maxLen = max(maxLen, len(s))
		}
	}
	out := make([]float32, len(seqs)*maxLen)
	for i := range out {
		out[i] = float32(opt.Value)
	}
	for i, s := range seqs {
		if len(s) > maxLen {
			if truncPre {
				s = s[len(s)-maxLen:]
			} else {
				s = s[:maxLen]
			}
		}
		row := out[i*maxLen : (i+1)*maxLen]
		if padPre {
			row = row[maxLen-len(s):]
		}
		for j, v := range s {
			row[j] = float32(v)
		}
	}
	return tensor.FromFloat32(out, len(seqs), maxLen), nil
}
