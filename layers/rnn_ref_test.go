package layers_test

import (
	"slices"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Shared by the recurrent layers' PyTorch comparisons (rnn_test.go,
// seq_test.go): the fields of a reference case and its replay.

// refIO is a reference case's input, output and input gradient.
type refIO struct {
	X      []float64 `json:"x"`
	XShape []int     `json:"x_shape"`
	Y      []float64 `json:"y"`
	YShape []int     `json:"y_shape"`
	DX     []float64 `json:"dx"`
}

// refRNNWeights are one recurrent layer's weights in Keras's layouts and
// their gradients; Bias and DBias are empty without a bias.
type refRNNWeights struct {
	Kernel          []float64 `json:"kernel"`
	RecurrentKernel []float64 `json:"recurrent_kernel"`
	Bias            []float64 `json:"bias"`
	DKernel         []float64 `json:"dkernel"`
	DRecurrent      []float64 `json:"drecurrent_kernel"`
	DBias           []float64 `json:"dbias"`
}

// checkRNNReference sets l's weights to those of refs (one per recurrent
// layer, in l's order), runs l on the case's input with ctx and checks the
// output and the gradients of sum(y ⊙ R) with respect to the input and
// every weight, to tol.
func checkRNNReference(t *testing.T, l layers.Layer, ctx *layers.Context, c refIO, refs []refRNNWeights, tol float64) {
	t.Helper()
	var vals, grads [][]float64
	for _, r := range refs {
		vals = append(vals, r.Kernel, r.RecurrentKernel)
		grads = append(grads, r.DKernel, r.DRecurrent)
		if len(r.Bias) > 0 {
			vals, grads = append(vals, r.Bias), append(grads, r.DBias)
		}
	}
	ws := l.Weights()
	if len(ws) != len(vals) {
		t.Fatalf("%d weights, want %d", len(ws), len(vals))
	}
	for i, w := range ws {
		w.Value.Data = tensor.FromFloat64(vals[i], w.Value.Data.Shape()...)
	}
	x := autograd.Param(tensor.FromFloat64(c.X, c.XShape...), "x")
	y := l.Call(ctx, x)
	if !slices.Equal(y.Shape(), c.YShape) {
		t.Fatalf("output shape %v, want %v", y.Shape(), c.YShape)
	}
	close(t, "y", y.Data, c.Y, tol)
	autograd.Backward(autograd.Sum(autograd.Mul(y, autograd.Const(rWeights(y.Shape(), tensor.Float64))), false))
	close(t, "dx", x.Grad, c.DX, tol)
	for i, w := range ws {
		close(t, "d"+w.Name, w.Value.Grad, grads[i], tol)
	}
}
