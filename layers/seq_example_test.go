package layers_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Token ids, right-padded with 0, go through an Embedding whose mask
// tells the Bidirectional LSTM which steps are padding.
func ExampleBidirectional() {
	rng := rand.New(rand.NewPCG(1, 2))
	emb := layers.NewEmbedding(100, 8, layers.MaskZero())
	emb.SetName("embedding")
	bi := layers.NewBidirectional(layers.NewLSTM(4))
	bi.SetName("bidirectional")
	_ = emb.Build([]int{5}, rng)
	_ = bi.Build(emb.OutputShape(), rng)
	for _, w := range bi.Weights()[:3] {
		fmt.Println(w.Value.Name, w.Value.Data.Shape())
	}
	ids := tensor.FromFloat32([]float32{12, 7, 42, 0, 0, 3, 0, 0, 0, 0}, 2, 5)
	ctx := &layers.Context{}
	x := emb.Call(ctx, autograd.Const(ids))
	ctx.Mask = layers.NextMask(emb, ctx, ids, nil)
	fmt.Println("mask", ctx.Mask.Values())
	fmt.Println("output", bi.Call(ctx, x).Shape())
	// Output:
	// bidirectional.forward_lstm.kernel [8 16]
	// bidirectional.forward_lstm.recurrent_kernel [4 16]
	// bidirectional.forward_lstm.bias [16]
	// mask [1 1 1 0 0 1 0 0 0 0]
	// output [2 8]
}
