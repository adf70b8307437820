//go:build !noasm

package kernels

// This file declares the float32 optimizer kernels of optim_amd64.s and
// gathers them into kernel sets. Each kernel computes what the optimGo field
// of the same name computes, bit for bit. A kernel's length is that of its
// first slice; the callers have checked that the others are as long.

// optimAVX512 is the AVX-512 set: 16 lanes, masked tails.
var optimAVX512 = &optimKernels{
	name: "avx512",
	adam: func(w, g, m, v []float32, a AdamArgs) { adamAVX512(w, g, m, v, &a) },
	sgd:  func(w, g []float32, a SGDArgs) { sgdAVX512(w, g, &a) },
	sgdMomentum: func(w, g, m []float32, a SGDArgs) {
		if a.Nesterov {
			sgdNesterovAVX512(w, g, m, &a)
		} else {
			sgdMomentumAVX512(w, g, m, &a)
		}
	},
	rmsprop:    func(w, g, v []float32, a RMSpropArgs) { rmspropAVX512(w, g, v, &a) },
	adagrad:    func(w, g, acc []float32, a AdagradArgs) { adagradAVX512(w, g, acc, &a) },
	decay:      decayWeightsAVX512,
	sumSquares: sumSquaresAVX512,
}

// optimAVX2 is the AVX2 set: 8 lanes, masked tails (sumSquaresAVX2 copies
// its last partial block of 32 to the stack).
var optimAVX2 = &optimKernels{
	name: "avx2",
	adam: func(w, g, m, v []float32, a AdamArgs) { adamAVX2(w, g, m, v, &a) },
	sgd:  func(w, g []float32, a SGDArgs) { sgdAVX2(w, g, &a) },
	sgdMomentum: func(w, g, m []float32, a SGDArgs) {
		if a.Nesterov {
			sgdNesterovAVX2(w, g, m, &a)
		} else {
			sgdMomentumAVX2(w, g, m, &a)
		}
	},
	rmsprop:    func(w, g, v []float32, a RMSpropArgs) { rmspropAVX2(w, g, v, &a) },
	adagrad:    func(w, g, acc []float32, a AdagradArgs) { adagradAVX2(w, g, acc, &a) },
	decay:      decayWeightsAVX2,
	sumSquares: sumSquaresAVX2,
}

// optimAsmKernels lists the assembly sets this CPU can run, fastest first.
func optimAsmKernels() []*optimKernels { return asmSets(optimAVX512, optimAVX2) }

// adamAVX512 performs one Adam step in Keras's form on each element of w,
// with gi the clipped gradient a.Clip(g[i]):
//
//	m[i] += (gi - m[i]) * a.OneMinusBeta1
//	v[i] += (gi*gi - v[i]) * a.OneMinusBeta2
//	w[i] -= m[i]*a.Alpha / (sqrt(v[i]) + a.Epsilon)
//
//go:noescape
func adamAVX512(w, g, m, v []float32, a *AdamArgs)

// adamAVX2 is adamAVX512 with AVX2.
//
//go:noescape
func adamAVX2(w, g, m, v []float32, a *AdamArgs)

// sgdAVX512 performs one plain SGD step on each element of w, with gi the
// clipped gradient a.Clip(g[i]): w[i] -= gi*a.LR.
//
//go:noescape
func sgdAVX512(w, g []float32, a *SGDArgs)

// sgdAVX2 is sgdAVX512 with AVX2.
//
//go:noescape
func sgdAVX2(w, g []float32, a *SGDArgs)

// sgdMomentumAVX512 performs one SGD step with momentum on each element of
// w, with gi the clipped gradient a.Clip(g[i]); it ignores a.Nesterov:
//
//	m[i] = m[i]*a.Momentum - gi*a.LR
//	w[i] += m[i]
//
//go:noescape
func sgdMomentumAVX512(w, g, m []float32, a *SGDArgs)

// sgdMomentumAVX2 is sgdMomentumAVX512 with AVX2.
//
//go:noescape
func sgdMomentumAVX2(w, g, m []float32, a *SGDArgs)

// sgdNesterovAVX512 performs one SGD step with Nesterov momentum on each
// element of w, with gi the clipped gradient a.Clip(g[i]); it ignores
// a.Nesterov:
//
//	m[i] = m[i]*a.Momentum - gi*a.LR
//	w[i] += m[i]*a.Momentum - gi*a.LR
//
//go:noescape
func sgdNesterovAVX512(w, g, m []float32, a *SGDArgs)

// sgdNesterovAVX2 is sgdNesterovAVX512 with AVX2.
//
//go:noescape
func sgdNesterovAVX2(w, g, m []float32, a *SGDArgs)

// rmspropAVX512 performs one plain RMSprop step in Keras's form on each
// element of w, with gi the clipped gradient a.Clip(g[i]):
//
//	v[i] = a.Rho*v[i] + a.OneMinusRho*(gi*gi)
//	w[i] -= a.LR*gi / sqrt(v[i] + a.Epsilon)
//
//go:noescape
func rmspropAVX512(w, g, v []float32, a *RMSpropArgs)

// rmspropAVX2 is rmspropAVX512 with AVX2.
//
//go:noescape
func rmspropAVX2(w, g, v []float32, a *RMSpropArgs)

// adagradAVX512 performs one Adagrad step in Keras's form on each element
// of w, with gi the clipped gradient a.Clip(g[i]):
//
//	acc[i] += gi*gi
//	w[i] -= a.LR*gi / sqrt(acc[i] + a.Epsilon)
//
//go:noescape
func adagradAVX512(w, g, acc []float32, a *AdagradArgs)

// adagradAVX2 is adagradAVX512 with AVX2.
//
//go:noescape
func adagradAVX2(w, g, acc []float32, a *AdagradArgs)

// decayWeightsAVX512 applies decoupled weight decay with factor f:
// w[i] -= w[i]*f.
//
//go:noescape
func decayWeightsAVX512(w []float32, f float32)

// decayWeightsAVX2 is decayWeightsAVX512 with AVX2.
//
//go:noescape
func decayWeightsAVX2(w []float32, f float32)

// sumSquaresAVX512 returns Σ x[i]² accumulated in float64: element i is
// added to partial sum i mod 32, and the 32 sums are added pairwise at the
// end (reduceLanes).
//
//go:noescape
func sumSquaresAVX512(x []float32) float64

// sumSquaresAVX2 is sumSquaresAVX512 with AVX2.
//
//go:noescape
func sumSquaresAVX2(x []float32) float64
