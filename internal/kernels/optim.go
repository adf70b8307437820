package kernels

import "math"

// This file holds the float32 optimizer updates: one sweep over a weight,
// its gradient and its slots that clips the gradient and applies the update
// rule element by element. Package optimizers owns the formulas (Keras's
// update_step); these functions are the same arithmetic on float32 slices,
// so that the whole update of a chunk of weights is one vectorised pass.
//
// Every operation of an update is rounded to float32 in the order its doc
// comment writes it, with no fused multiply-add and an exact square root, so
// the assembly kernels (optim_amd64.s) and their pure-Go twins
// (optim_twin.go) agree bit for bit. Each function takes its length from w;
// the gradient and the slots must be at least as long, and extra elements
// are not touched.

// Clip is the gradient clipping every update applies to each gradient
// element before using it: clamp(Scale*g, Lo, Hi), comparing rather than
// ordering signed zeros, so that a NaN gradient stays NaN. NoClip leaves the
// gradient unchanged.
type Clip struct {
	Scale, Lo, Hi float32
}

// NoClip is the Clip that changes no gradient: scale 1, bounds ±Inf.
var NoClip = Clip{Scale: 1, Lo: float32(math.Inf(-1)), Hi: float32(math.Inf(1))}

// AdamArgs are the constants of one Adam step. Alpha is the bias-corrected
// step size lr*sqrt(1-beta_2^t)/(1-beta_1^t), computed once per step by the
// caller.
type AdamArgs struct {
	Clip
	Alpha, OneMinusBeta1, OneMinusBeta2, Epsilon float32
}

// SGDArgs are the constants of one SGD step.
type SGDArgs struct {
	Clip
	LR, Momentum float32
	Nesterov     bool
}

// RMSpropArgs are the constants of one RMSprop step (not centered, no
// momentum).
type RMSpropArgs struct {
	Clip
	LR, Rho, OneMinusRho, Epsilon float32
}

// AdagradArgs are the constants of one Adagrad step.
type AdagradArgs struct {
	Clip
	LR, Epsilon float32
}

// optimKernels is one implementation of the optimizer sweeps: optimGo, the
// pure-Go twins, or an assembly set (optim_amd64.go). Each function takes
// its length from its first slice; the callers have checked that the others
// are as long. The arguments travel by value: a pointer passed through a
// function value would escape and cost an allocation per call.
type optimKernels struct {
	name        string
	adam        func(w, g, m, v []float32, a AdamArgs)
	sgd         func(w, g []float32, a SGDArgs)
	sgdMomentum func(w, g, m []float32, a SGDArgs)
	rmsprop     func(w, g, v []float32, a RMSpropArgs)
	adagrad     func(w, g, acc []float32, a AdagradArgs)
	decay       func(w []float32, f float32)
	sumSquares  func(x []float32) float64
}

// optimGo is the pure-Go twin of every assembly set.
var optimGo = &optimKernels{
	name:        "go",
	adam:        adamUpdateGo,
	sgd:         sgdUpdateGo,
	sgdMomentum: sgdMomentumUpdateGo,
	rmsprop:     rmspropUpdateGo,
	adagrad:     adagradUpdateGo,
	decay:       decayWeightsGo,
	sumSquares:  sumSquaresGo,
}

// optim is the implementation this CPU runs: the first assembly set it
// supports, else the twins.
var optim = fastest(optimAsmKernels(), optimGo)

// AdamUpdate performs one Adam step in Keras's form on each element of w,
// with gi the clipped gradient a.Clip(g[i]):
//
//	m[i] += (gi - m[i]) * a.OneMinusBeta1
//	v[i] += (gi*gi - v[i]) * a.OneMinusBeta2
//	w[i] -= m[i]*a.Alpha / (sqrt(v[i]) + a.Epsilon)
//
// g, m and v must be at least as long as w.
func AdamUpdate(w, g, m, v []float32, a AdamArgs) {
	n := len(w)
	if n == 0 {
		return
	}
	optim.adam(w, g[:n], m[:n], v[:n], a)
}

// SGDUpdate performs one SGD step on each element of w, with gi the clipped
// gradient a.Clip(g[i]). Without momentum (m nil) it is
//
//	w[i] -= gi * a.LR
//
// and with momentum
//
//	m[i] = m[i]*a.Momentum - gi*a.LR
//	w[i] += m[i]                         (a.Nesterov: w[i] += m[i]*a.Momentum - gi*a.LR)
//
// g, and m when not nil, must be at least as long as w.
func SGDUpdate(w, g, m []float32, a SGDArgs) {
	n := len(w)
	if n == 0 {
		return
	}
	if m == nil {
		optim.sgd(w, g[:n], a)
		return
	}
	optim.sgdMomentum(w, g[:n], m[:n], a)
}

// RMSpropUpdate performs one plain RMSprop step in Keras's form (epsilon
// inside the square root) on each element of w, with gi the clipped gradient
// a.Clip(g[i]):
//
//	v[i] = a.Rho*v[i] + a.OneMinusRho*(gi*gi)
//	w[i] -= a.LR*gi / sqrt(v[i] + a.Epsilon)
//
// g and v must be at least as long as w.
func RMSpropUpdate(w, g, v []float32, a RMSpropArgs) {
	n := len(w)
	if n == 0 {
		return
	}
	optim.rmsprop(w, g[:n], v[:n], a)
}

// AdagradUpdate performs one Adagrad step in Keras's form (epsilon inside the
// square root) on each element of w, with gi the clipped gradient
// a.Clip(g[i]):
//
//	acc[i] += gi*gi
//	w[i] -= a.LR*gi / sqrt(acc[i] + a.Epsilon)
//
// g and acc must be at least as long as w.
func AdagradUpdate(w, g, acc []float32, a AdagradArgs) {
	n := len(w)
	if n == 0 {
		return
	}
	optim.adagrad(w, g[:n], acc[:n], a)
}

// DecayWeights applies decoupled weight decay with factor f (Keras's
// lr*weight_decay): w[i] -= w[i]*f.
func DecayWeights(w []float32, f float32) {
	if len(w) == 0 {
		return
	}
	optim.decay(w, f)
}

// SumSquares returns Σ x[i]², the squared L2 norm that gradient clipping
// by norm needs. Each square is exact in float64 and the sum is accumulated
// in float64 over 32 interleaved partial sums (element i goes to sum i mod
// 32), added pairwise at the end; the order is fixed, so the result does
// not depend on the CPU.
func SumSquares(x []float32) float64 {
	if len(x) == 0 {
		return 0
	}
	return optim.sumSquares(x)
}
