package kernels

import (
	"math"
	"testing"
)

// normGuard fills the elements past the first n with a guard value, so a
// loop that writes outside its m×n block is caught.
const normGuard = -12345

func normGuarded[T Float](n int) []T {
	s := make([]T, n+5)
	for i := n; i < len(s); i++ {
		s[i] = normGuard
	}
	return s
}

func checkGuard[T Float](t *testing.T, what string, s []T, n int) {
	t.Helper()
	for i := n; i < len(s); i++ {
		if s[i] != normGuard {
			t.Fatalf("%s: element %d past the end written (%v)", what, i, s[i])
		}
	}
}

func normInput[T Float](m, n int) []T {
	x := make([]T, m*n)
	for i := range x {
		x[i] = T(math.Sin(float64(i)*0.7+0.3)*1.5 + 0.2*float64(i%n))
	}
	return x
}

// TestNormLoopsAgainstNaive compares the loops, in float32 and float64,
// with the formulas written out naively in float64: batch normalisation's
// forward and input gradient in training and layer normalisation's forward
// and backward. Tolerances are float32 rounding (1e-5) and float64's (1e-12).
func TestNormLoopsAgainstNaive(t *testing.T) {
	testNormLoops[float64](t, 1e-12)
	testNormLoops[float32](t, 1e-5)
}

func testNormLoops[T Float](t *testing.T, tol float64) {
	const m, n, eps = 5, 3, 1e-3
	x, dy := normInput[T](m, n), normInput[T](m+1, n)[n:]
	gamma, beta := []T{0.5, -1.5, 2}, []T{0.1, 0.2, -0.3}
	near := func(what string, got T, want float64) {
		t.Helper()
		if math.Abs(float64(got)-want) > tol*(1+math.Abs(want)) {
			t.Fatalf("%T %s = %v, want %v", got, what, got, want)
		}
	}
	// Batch normalisation, per column j.
	sum, sq := make([]float64, n), make([]float64, n)
	ColumnSums(sum, x, m, n)
	mean := make([]float64, n)
	for j := range mean {
		mean[j] = sum[j] / m
	}
	ColumnSquaredDeviations(sq, x, mean, m, n)
	mu, k, a, b, c := make([]T, n), make([]T, n), make([]T, n), make([]T, n), make([]T, n)
	y, dx := normGuarded[T](m*n), normGuarded[T](m*n)
	s1, s2 := make([]float64, n), make([]float64, n)
	for j := range n {
		mu[j] = T(mean[j])
		k[j] = T(float64(gamma[j]) / math.Sqrt(sq[j]/m+eps))
	}
	NormalizeColumns(y, x, mu, k, beta, m, n)
	ColumnGradSums(s1, s2, dy, x, mu, m, n)
	for j := range n {
		r := 1 / math.Sqrt(sq[j]/m+eps)
		a[j] = k[j]
		b[j] = T(-float64(gamma[j]) * r * r * r * s2[j] / m)
		c[j] = T(-float64(k[j]) * s1[j] / m)
	}
	BatchNormInputGrad(dx, dy, x, mu, a, b, c, m, n)
	checkGuard(t, "NormalizeColumns", y, m*n)
	checkGuard(t, "BatchNormInputGrad", dx, m*n)
	for j := range n {
		var mu, v, g, gx float64
		for i := range m {
			mu += float64(x[i*n+j]) / m
		}
		for i := range m {
			v += (float64(x[i*n+j]) - mu) * (float64(x[i*n+j]) - mu) / m
		}
		r := 1 / math.Sqrt(v+eps)
		for i := range m {
			g += float64(dy[i*n+j])
			gx += float64(dy[i*n+j]) * (float64(x[i*n+j]) - mu) * r
		}
		for i := range m {
			xh := (float64(x[i*n+j]) - mu) * r
			near("batch norm y", y[i*n+j], xh*float64(gamma[j])+float64(beta[j]))
			// dx = γr/N·(N·dy − Σdy − x̂·Σdy·x̂)
			near("batch norm dx", dx[i*n+j], float64(gamma[j])*r/m*(m*float64(dy[i*n+j])-g-xh*gx))
		}
	}
	// Layer normalisation, per row i.
	lmean, rstd := normGuarded[T](m), normGuarded[T](m)
	y, dx = normGuarded[T](m*n), normGuarded[T](m*n)
	dg, db := make([]float64, n), make([]float64, n)
	LayerNormRows(y, x, gamma, beta, lmean, rstd, m, n, eps)
	LayerNormRowsGrad(dx, dg, db, dy, x, gamma, lmean, rstd, m, n)
	checkGuard(t, "LayerNormRows", y, m*n)
	checkGuard(t, "LayerNormRows mean", lmean, m)
	checkGuard(t, "LayerNormRows rstd", rstd, m)
	checkGuard(t, "LayerNormRowsGrad", dx, m*n)
	wantDG, wantDB := make([]float64, n), make([]float64, n)
	for i := range m {
		row, g := x[i*n:i*n+n], dy[i*n:i*n+n]
		var mu, v, sh, shx float64
		for _, e := range row {
			mu += float64(e) / n
		}
		for _, e := range row {
			v += (float64(e) - mu) * (float64(e) - mu) / n
		}
		r := 1 / math.Sqrt(v+eps)
		for j, e := range row {
			xh := (float64(e) - mu) * r
			sh += float64(g[j]) * float64(gamma[j]) / n
			shx += float64(g[j]) * float64(gamma[j]) * xh / n
			wantDG[j] += float64(g[j]) * xh
			wantDB[j] += float64(g[j])
		}
		for j, e := range row {
			xh := (float64(e) - mu) * r
			near("layer norm y", y[i*n+j], xh*float64(gamma[j])+float64(beta[j]))
			near("layer norm dx", dx[i*n+j], r*(float64(g[j])*float64(gamma[j])-sh-xh*shx))
		}
	}
	for j := range n {
		near("layer norm dgamma", T(dg[j]), wantDG[j])
		near("layer norm dbeta", T(db[j]), wantDB[j])
	}
}
