package kernels

import "math"

// SumRows adds the rows of the m×n matrix a into dst (length n): the bias
// gradient of a Dense layer. dst is overwritten.
func SumRows[T Float](dst, a []T, m, n int) {
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
	v = v[:n]
	for i := 0; i < m; i++ {
		row := a[i*n : i*n+n]
		for j := range row {
			row[j] += v[j]
		}
	}
}

// Sum returns the sum of a, accumulated in float64.
func Sum[T Float](a []T) float64 {
	var s float64
	for _, v := range a {
		s += float64(v)
	}
	return s
}

// SoftmaxRows writes the softmax of each row of the m×n matrix a into dst,
// subtracting the row maximum first so that exp never overflows.
func SoftmaxRows[T Float](dst, a []T, m, n int) {
	for i := 0; i < m; i++ {
		x, y := a[i*n:i*n+n], dst[i*n:i*n+n]
		mx := math.Inf(-1)
		for _, v := range x {
			mx = math.Max(mx, float64(v))
		}
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

// LogSoftmaxRows writes log(softmax(row)) = x - max - log(sum(exp(x - max)))
// for each row of the m×n matrix a into dst; finite for any finite input.
func LogSoftmaxRows[T Float](dst, a []T, m, n int) {
	for i := 0; i < m; i++ {
		x, y := a[i*n:i*n+n], dst[i*n:i*n+n]
		mx := math.Inf(-1)
		for _, v := range x {
			mx = math.Max(mx, float64(v))
		}
		var s float64
		for _, v := range x {
			s += math.Exp(float64(v) - mx)
		}
		lse := mx + math.Log(s)
		for j, v := range x {
			y[j] = T(float64(v) - lse)
		}
	}
}
