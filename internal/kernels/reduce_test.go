package kernels

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// softmaxShapes are the (m, n) shapes the softmax family is tested on.
var softmaxShapes = [][2]int{{1, 1}, {3, 2}, {4, 7}, {2, 10}, {5, 16}, {3, 17}, {2, 33}, {1, 64}, {2, 70}, {2, 1000}}

// logitRows fills an m×n matrix with logits of scale s, and makes the
// second row (when there is one) a mix of ±1e4, which only a max-subtracted
// softmax survives.
func logitRows(r *rand.Rand, m, n int, s float64) []float32 {
	a := make([]float32, m*n)
	for i := range a {
		a[i] = float32(r.NormFloat64() * s)
	}
	if m > 1 {
		for j := 0; j < n; j++ {
			a[n+j] = float32(1e4 * float64(1-2*(j%2)))
		}
	}
	return a
}

// TestSoftmaxRowsF32 compares the float32 softmax of every kernel set with
// the float64 one. Each output has the error of exp32 (1 ulp), of the
// float32 row sum (at most n·2^−24 relative), of two roundings, and of
// rounding x − max to float32, which costs up to |x − max|·2^−24 relative.
func TestSoftmaxRowsF32(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, k := range f32Sets() {
		for _, sh := range softmaxShapes {
			m, n := sh[0], sh[1]
			a := logitRows(r, m, n, 5)
			got, buf := ewGuarded(m*n, n%4)
			want := make([]float32, m*n)
			softmaxRowsF32(k, got, a, m, n)
			softmaxRowsGo(want, a, m, n)
			tol := float64(n+3) * 0x1p-24
			for i := range want {
				shift := math.Abs(float64(a[i] - Max(a[i/n*n:i/n*n+n])))
				if d := math.Abs(float64(got[i]) - float64(want[i])); !(d <= (tol+shift*0x1p-24)*float64(want[i])+0x1p-147) {
					t.Errorf("softmax/%s %dx%d: element %d = %v, want %v", k.name, m, n, i, got[i], want[i])
					break
				}
			}
			for i := 0; i < m; i++ {
				if s := Sum(got[i*n : i*n+n]); math.Abs(s-1) > tol {
					t.Errorf("softmax/%s %dx%d: row %d sums to %v", k.name, m, n, i, s)
				}
			}
			if !ewGuardedOK(got, buf) {
				t.Errorf("softmax/%s %dx%d: wrote outside dst", k.name, m, n)
			}
		}
	}
}

// TestLogSoftmaxRowsF32 compares the float32 log-softmax of every kernel
// set with the float64 one: the error is that of x − max, of the float32
// log-sum (at most (n+1)·2^−24 absolute) and of the last rounding.
func TestLogSoftmaxRowsF32(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, k := range f32Sets() {
		for _, sh := range softmaxShapes {
			m, n := sh[0], sh[1]
			a := logitRows(r, m, n, 5)
			got, buf := ewGuarded(m*n, n%4)
			want := make([]float32, m*n)
			logSoftmaxRowsF32(k, got, a, m, n)
			logSoftmaxRowsGo(want, a, m, n)
			for i := range want {
				tol := 2*ulpOf(float64(want[i])) + float64(n+1)*0x1p-24
				if d := math.Abs(float64(got[i]) - float64(want[i])); !(d <= tol) {
					t.Errorf("logSoftmax/%s %dx%d: element %d = %v, want %v", k.name, m, n, i, got[i], want[i])
					break
				}
			}
			if !ewGuardedOK(got, buf) {
				t.Errorf("logSoftmax/%s %dx%d: wrote outside dst", k.name, m, n)
			}
		}
	}
}

// TestSoftmaxCrossEntropyRows checks the fused softmax + cross-entropy of
// every kernel set, and of the generic float32 and float64 entry points,
// against the composed computation in float64: probs = softmax(logits),
// loss = Σ −log probs[label], dlogits = (probs − onehot)·scale.
func TestSoftmaxCrossEntropyRows(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for _, sh := range softmaxShapes {
		m, n := sh[0], sh[1]
		logits := logitRows(r, m, n, 3)
		labels := make([]float32, m)
		for i := range labels {
			labels[i] = float32(r.IntN(n))
		}
		scale := float32(1) / float32(m)
		// The composed reference, in float64.
		x64 := make([]float64, m*n)
		for i, v := range logits {
			x64[i] = float64(v)
		}
		p64 := make([]float64, m*n)
		logp := make([]float64, m*n)
		SoftmaxRows(p64, x64, m, n)
		LogSoftmaxRows(logp, x64, m, n)
		var wantLoss float64
		wantD := make([]float64, m*n)
		for i := 0; i < m; i++ {
			wantLoss -= logp[i*n+int(labels[i])]
			for j := 0; j < n; j++ {
				wantD[i*n+j] = p64[i*n+j] * float64(scale)
			}
			wantD[i*n+int(labels[i])] -= float64(scale)
		}

		type impl struct {
			name string
			run  func(probs, dlogits []float32) float64
		}
		impls := []impl{{"entry", func(p, d []float32) float64 {
			return SoftmaxCrossEntropyRows(p, d, logits, labels, m, n, scale)
		}}}
		for _, k := range f32Sets() {
			impls = append(impls, impl{k.name, func(p, d []float32) float64 {
				return softmaxCERowsF32(k, p, d, logits, labels, m, n, scale)
			}})
		}
		for _, im := range impls {
			for _, withProbs := range []bool{true, false} {
				what := fmt.Sprintf("softmaxCE/%s %dx%d probs=%v", im.name, m, n, withProbs)
				d, dbuf := ewGuarded(m*n, 1)
				var p, pbuf []float32
				if withProbs {
					p, pbuf = ewGuarded(m*n, 2)
				}
				loss := im.run(p, d)
				if math.Abs(loss-wantLoss) > 1e-5*math.Max(1, math.Abs(wantLoss)) {
					t.Errorf("%s: loss = %v, want %v", what, loss, wantLoss)
				}
				tol := float64(n+3) * 0x1p-24
				for i := range wantD {
					if math.Abs(float64(d[i])-wantD[i]) > tol*float64(scale) {
						t.Errorf("%s: dlogits[%d] = %v, want %v", what, i, d[i], wantD[i])
						break
					}
					shift := math.Abs(float64(logits[i] - Max(logits[i/n*n:i/n*n+n])))
					if withProbs && math.Abs(float64(p[i])-p64[i]) > (tol+shift*0x1p-24)*p64[i]+0x1p-147 {
						t.Errorf("%s: probs[%d] = %v, want %v", what, i, p[i], p64[i])
						break
					}
				}
				if !ewGuardedOK(d, dbuf) || withProbs && !ewGuardedOK(p, pbuf) {
					t.Errorf("%s: wrote outside its slices", what)
				}
			}
		}
		// float64 through the generic path.
		d64 := make([]float64, m*n)
		lab64 := make([]float64, m)
		for i, v := range labels {
			lab64[i] = float64(v)
		}
		if loss := SoftmaxCrossEntropyRows(nil, d64, x64, lab64, m, n, float64(scale)); math.Abs(loss-wantLoss) > 1e-9*math.Max(1, wantLoss) {
			t.Errorf("softmaxCE/float64 %dx%d: loss = %v, want %v", m, n, loss, wantLoss)
		}
	}
}

// TestSoftmaxCrossEntropyLabels checks that a label that is not a class
// index panics with a *LabelError naming the row and the label.
func TestSoftmaxCrossEntropyLabels(t *testing.T) {
	for _, bad := range []float32{-1, 3, 1.5, float32(math.NaN()), float32(math.Inf(1))} {
		func() {
			defer func() {
				var le *LabelError
				err, _ := recover().(error)
				if !errors.As(err, &le) || le.Row != 1 || le.Classes != 3 {
					t.Errorf("label %v: recovered %v, want a *LabelError for row 1 of 3 classes", bad, err)
				}
			}()
			logits := make([]float32, 6)
			SoftmaxCrossEntropyRows(nil, make([]float32, 6), logits, []float32{0, bad}, 2, 3, 1)
		}()
	}
}

// TestSumParts checks that SumParts adds the parts' windows in part order:
// the first part is copied, the others added one by one, so that the sum
// has the bits of that sequence whatever the number of parts.
func TestSumParts(t *testing.T) {
	parts := [][]float32{{9, 1, 2, 3}, {9, 1e8, 5, 6}, {9, -1e8, 8, 9}}
	dst := make([]float32, 3)
	SumParts(dst, parts, 1)
	// (1 + 1e8) + (−1e8) = 0 in float32; any other order would give 1.
	if want := []float32{0, 15, 18}; dst[0] != want[0] || dst[1] != want[1] || dst[2] != want[2] {
		t.Fatalf("SumParts = %v, want %v", dst, want)
	}
}
