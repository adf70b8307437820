package kernels

import (
	"fmt"
	"math"
)

// SumRows adds the rows of the m×n matrix a into dst (length n): the bias
// gradient of a Dense layer. dst is overwritten. Each column is summed in
// row order, so the assembly kernels give the same bits as the Go loop.
func SumRows[T Float](dst, a []T, m, n int) {
	dst, a = dst[:n], a[:m*n]
	if d, ok := asF32(dst); ok {
		f32Fast.sumRows(d, any(a).([]float32), m, n)
		return
	}
	sumRowsGo(dst, a, m, n)
}

// sumRowsGo adds the rows of the m×n matrix a into dst (length n), each
// column in row order. dst is overwritten.
func sumRowsGo[T Float](dst, a []T, m, n int) {
	clear(dst[:n])
	for i := 0; i < m; i++ {
		row := a[i*n : i*n+n]
		for j, v := range row {
			dst[j] += v
		}
	}
}

// AddRowVector adds the vector v (length n) to each row of the m×n matrix a,
// in place: the bias add of a Dense layer.
func AddRowVector[T Float](a, v []T, m, n int) {
	v, a = v[:n], a[:m*n]
	if f, ok := asF32(a); ok {
		vf := any(v).([]float32)
		for i := 0; i < m; i++ {
			row := f[i*n : i*n+n]
			f32Fast.add(row, row, vf)
		}
		return
	}
	for i := 0; i < m; i++ {
		row := a[i*n : i*n+n]
		for j := range row {
			row[j] += v[j]
		}
	}
}

// Sum returns the sum of a, accumulated in float64 (in an unspecified order
// for float32, which the assembly kernels split over several accumulators).
func Sum[T Float](a []T) float64 {
	if f, ok := asF32(a); ok {
		return f32Fast.sum(f)
	}
	return sumGo(a)
}

// sumGo returns the sum of a, accumulated in float64.
func sumGo[T Float](a []T) float64 {
	var s float64
	for _, v := range a {
		s += float64(v)
	}
	return s
}

// Max returns the largest element of a, NaN if any element is NaN, and
// −Inf for an empty slice. When the largest value is zero, its sign is
// unspecified.
func Max[T Float](a []T) T {
	if f, ok := asF32(a); ok {
		return T(f32Fast.max(f))
	}
	return maxGo(a)
}

// maxGo returns the largest element of a, NaN if any element is NaN, and
// −Inf for an empty slice.
func maxGo[T Float](a []T) T {
	m := T(math.Inf(-1))
	for _, v := range a {
		if v > m || v != v {
			m = v
		}
	}
	return m
}

// SoftmaxRows writes the softmax of each row of the m×n matrix a into dst,
// subtracting the row maximum first so that exp never overflows. For
// float32 with AVX2 or AVX-512 it uses the vectorised exp32 and a float32
// sum; otherwise it computes in float64 and rounds.
func SoftmaxRows[T Float](dst, a []T, m, n int) {
	dst, a = dst[:m*n], a[:m*n]
	if d, ok := asF32(dst); ok {
		softmaxRowsF32(f32Fast, d, any(a).([]float32), m, n)
		return
	}
	softmaxRowsGo(dst, a, m, n)
}

// softmaxRowsGo is SoftmaxRows computed in float64.
func softmaxRowsGo[T Float](dst, a []T, m, n int) {
	for i := 0; i < m; i++ {
		x, y := a[i*n:i*n+n], dst[i*n:i*n+n]
		mx := rowMax64(x)
		var s float64
		for j, v := range x {
			e := math.Exp(float64(v) - mx)
			y[j] = T(e)
			s += e
		}
		inv := 1 / s
		for j := range y {
			y[j] = T(float64(y[j]) * inv)
		}
	}
}

// rowMax64 returns the largest element of x as a float64: the shift of the
// float64 softmax twins (NaN if any element is NaN, −Inf for none).
func rowMax64[T Float](x []T) float64 {
	mx := math.Inf(-1)
	for _, v := range x {
		mx = math.Max(mx, float64(v))
	}
	return mx
}

// expSum64 returns Σ exp(x[j] − mx) in float64, added in order.
func expSum64[T Float](x []T, mx float64) float64 {
	var s float64
	for _, v := range x {
		s += math.Exp(float64(v) - mx)
	}
	return s
}

// LogSoftmaxRows writes log(softmax(row)) = x - max - log(sum(exp(x - max)))
// for each row of the m×n matrix a into dst; finite for any finite input.
// For float32 with AVX2 or AVX-512 it uses the vectorised exp32.
func LogSoftmaxRows[T Float](dst, a []T, m, n int) {
	dst, a = dst[:m*n], a[:m*n]
	if d, ok := asF32(dst); ok {
		logSoftmaxRowsF32(f32Fast, d, any(a).([]float32), m, n)
		return
	}
	logSoftmaxRowsGo(dst, a, m, n)
}

// logSoftmaxRowsGo is LogSoftmaxRows computed in float64.
func logSoftmaxRowsGo[T Float](dst, a []T, m, n int) {
	for i := 0; i < m; i++ {
		x, y := a[i*n:i*n+n], dst[i*n:i*n+n]
		mx := rowMax64(x)
		s := expSum64(x, mx)
		lse := mx + math.Log(s)
		for j, v := range x {
			y[j] = T(float64(v) - lse)
		}
	}
}

// SoftmaxCrossEntropyRows is softmax followed by sparse categorical
// cross-entropy, with its gradient, fused row by row over the m×n matrix
// logits: each row is read and written while it stays in cache, with no
// intermediate matrix. labels[i] is the class of row i, an integer in [0, n)
// held as a float (the form label tensors have). For each row it writes the
// softmax into probs (skipped when probs is nil) and the gradient of the
// loss times scale, (softmax − onehot(label))·scale, into dlogits, and it
// returns the summed loss Σ_i −log softmax(row i)[labels[i]], accumulated in
// float64. With scale = 1/m, dlogits is the gradient of the mean loss.
//
// For float32 with AVX2 or AVX-512 it uses the vectorised exp32; otherwise
// it computes in float64 and rounds. It panics with a *LabelError when a
// label is not an integer in [0, n).
func SoftmaxCrossEntropyRows[T Float](probs, dlogits, logits, labels []T, m, n int, scale T) float64 {
	logits, dlogits, labels = logits[:m*n], dlogits[:m*n], labels[:m]
	if probs != nil {
		probs = probs[:m*n]
	}
	if d, ok := asF32(dlogits); ok {
		return softmaxCERowsF32(f32Fast, any(probs).([]float32), d, any(logits).([]float32), any(labels).([]float32), m, n, float32(scale))
	}
	return softmaxCERowsGo(probs, dlogits, logits, labels, m, n, scale)
}

// softmaxCERowsGo is SoftmaxCrossEntropyRows computed in float64.
func softmaxCERowsGo[T Float](probs, dlogits, logits, labels []T, m, n int, scale T) float64 {
	var loss float64
	for i := 0; i < m; i++ {
		label := checkLabel("SoftmaxCrossEntropyRows", i, float64(labels[i]), n)
		x, d := logits[i*n:i*n+n], dlogits[i*n:i*n+n]
		mx := rowMax64(x)
		s := expSum64(x, mx)
		inv := 1 / s
		for j, v := range x {
			p := math.Exp(float64(v)-mx) * inv
			if probs != nil {
				probs[i*n+j] = T(p)
			}
			if j == label {
				p--
			}
			d[j] = T(p * float64(scale))
		}
		loss += mx + math.Log(s) - float64(x[label])
	}
	return loss
}

// LabelError reports a class label that is not an integer in [0, Classes).
type LabelError struct {
	Op      string  // the kernel that was given the label
	Row     int     // the row whose label it is
	Label   float64 // the label received
	Classes int     // the number of classes, n
}

func (e *LabelError) Error() string {
	return fmt.Sprintf("kernels: %s: label %v of row %d is not an integer in [0, %d)", e.Op, e.Label, e.Row, e.Classes)
}

// checkLabel returns the class label v of row i as an int, panicking with a
// *LabelError unless it is an integer in [0, n).
func checkLabel(op string, i int, v float64, n int) int {
	if !(v >= 0 && v < float64(n) && v == math.Trunc(v)) {
		panic(&LabelError{Op: op, Row: i, Label: v, Classes: n})
	}
	return int(v)
}

// SumParts sets dst to the sum of parts[i][off : off+len(dst)] over the
// parts in order: the partial sums of a product split over goroutines, one
// buffer per part of the work, added in a fixed order so that the result
// does not depend on which goroutine ran which part.
func SumParts(dst []float32, parts [][]float32, off int) {
	copy(dst, parts[0][off:off+len(dst)])
	for _, p := range parts[1:] {
		Binary(OpAdd, dst, dst, p[off:off+len(dst)])
	}
}
