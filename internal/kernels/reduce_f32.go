package kernels

import "math"

// The float32 softmax family, built from the loops of a kernel set k: the
// row maximum, exp of the shifted row with its sum, and a scaling pass, each
// over a row that stays in L1 cache. Run with f32Go they are the pure-Go
// twins of the assembly versions.

// softmaxRowsF32 is SoftmaxRows for float32 with kernel set k.
func softmaxRowsF32(k *f32Kernels, dst, a []float32, m, n int) {
	for i := 0; i < m; i++ {
		x, y := a[i*n:i*n+n], dst[i*n:i*n+n]
		s := k.expShiftSum(y, x, k.max(x))
		k.mulScalar(y, y, 1/s)
	}
}

// logSoftmaxRowsF32 is LogSoftmaxRows for float32 with kernel set k. It
// writes (x − max) − log Σ exp(x − max): the first difference is exact for
// the elements near the maximum, which keeps the small outputs accurate.
func logSoftmaxRowsF32(k *f32Kernels, dst, a []float32, m, n int) {
	for i := 0; i < m; i++ {
		x, y := a[i*n:i*n+n], dst[i*n:i*n+n]
		mx := k.max(x)
		s := k.expShiftSum(y, x, mx)
		k.addScalar(y, x, -mx)
		k.addScalar(y, y, -float32(math.Log(float64(s))))
	}
}

// softmaxCERowsF32 is SoftmaxCrossEntropyRows for float32 with kernel set
// k. The exps go to dlogits, then probs = e/s and dlogits = e·(scale/s),
// less scale at the label.
func softmaxCERowsF32(k *f32Kernels, probs, dlogits, logits, labels []float32, m, n int, scale float32) float64 {
	var loss float64
	for i := 0; i < m; i++ {
		label := checkLabel("SoftmaxCrossEntropyRows", i, float64(labels[i]), n)
		x, d := logits[i*n:i*n+n], dlogits[i*n:i*n+n]
		mx := k.max(x)
		s := k.expShiftSum(d, x, mx)
		inv := 1 / s
		if probs != nil {
			k.mulScalar(probs[i*n:i*n+n], d, inv)
		}
		k.mulScalar(d, d, inv*scale)
		d[label] -= scale
		loss += float64(mx) - float64(x[label]) + math.Log(float64(s))
	}
	return loss
}
