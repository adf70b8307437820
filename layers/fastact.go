package layers

import (
	"github.com/deepgo-dev/deepgo/internal/kernels"
)

// The activations a Kernel can run: those whose derivative can be computed
// from the output y alone, so the pre-activation need not be kept.
func fastActivation(name string) bool {
	switch name {
	case "", "linear", "relu", "sigmoid", "tanh", "softmax":
		return true
	}
	return false
}

// actForward applies the activation to the m×n matrix y in place.
func actForward(name string, y []float32, m, n int) { actInto(name, y, y, m, n) }

// actInto computes y = act(x) for the m×n matrix x in one pass; y may be x.
func actInto(name string, y, x []float32, m, n int) {
	switch name {
	case "relu":
		kernels.Unary(kernels.OpReLU, y, x)
	case "sigmoid":
		kernels.Unary(kernels.OpSigmoid, y, x)
	case "tanh":
		kernels.Unary(kernels.OpTanh, y, x)
	case "softmax":
		kernels.SoftmaxRows(y, x, m, n)
	default: // linear
		if len(y) > 0 && &y[0] != &x[0] {
			copy(y, x)
		}
	}
}

// actBackward turns dy = dL/dy into dL/dz in place, from the output y:
// relu' = [y > 0], sigmoid' = y(1−y), tanh' = 1−y², and for softmax the
// Jacobian-vector product y ⊙ (dy − Σ dy⊙y) along each row.
func actBackward(name string, dy, y []float32, m, n int) {
	y = y[:len(dy)]
	switch name {
	case "relu":
		kernels.ReLUBackwardInPlace(dy, y)
	case "sigmoid":
		for i, v := range y {
			dy[i] *= v * (1 - v)
		}
	case "tanh":
		for i, v := range y {
			dy[i] *= 1 - v*v
		}
	case "softmax":
		for r := 0; r < m; r++ {
			g, s := dy[r*n:r*n+n], y[r*n:r*n+n]
			var dot float32
			for j := range g {
				dot += g[j] * s[j]
			}
			for j := range g {
				g[j] = s[j] * (g[j] - dot)
			}
		}
	}
}
