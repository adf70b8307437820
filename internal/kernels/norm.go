package kernels

import "math"

// The loops of batch normalisation (Ioffe & Szegedy 2015,
// arXiv:1502.03167) and layer normalisation (Ba et al. 2016,
// arXiv:1607.06450) on an m×n row-major matrix whose n columns are the
// channels (channels-last, as Keras). Batch normalisation takes statistics
// per column over the rows; layer normalisation per row over the columns.
//
// Every loop works on the rows it is given, so a caller can cut a batch into
// row blocks, run them concurrently and add the per-block float64 partial
// sums afterwards. Sums are accumulated in float64 for float32 data too: a
// batch of 128 26×26 feature maps has 86,528 rows per channel, too many to
// add in float32 without losing digits. Variances are taken in two passes
// (mean first, then squared deviations), which does not cancel as
// E[x²] − E[x]² does.

// ColumnSums adds Σ_i x[i,j] into sum[j] for the m×n matrix x.
func ColumnSums[T Float](sum []float64, x []T, m, n int) {
	x = x[:m*n]
	for i := 0; i < m; i++ {
		row := x[i*n : i*n+n]
		s := sum[:len(row)]
		for j, v := range row {
			s[j] += float64(v)
		}
	}
}

// ColumnSquaredDeviations adds Σ_i (x[i,j] − mean[j])² into sq[j].
func ColumnSquaredDeviations[T Float](sq []float64, x []T, mean []float64, m, n int) {
	x = x[:m*n]
	for i := 0; i < m; i++ {
		row := x[i*n : i*n+n]
		s, mu := sq[:len(row)], mean[:len(row)]
		for j, v := range row {
			d := float64(v) - mu[j]
			s[j] += d * d
		}
	}
}

// NormalizeColumns sets y[i,j] = (x[i,j] − mean[j])·scale[j] + shift[j]:
// batch normalisation's output, with scale = γ/√(σ² + ε) and shift = β.
// y may alias x.
func NormalizeColumns[T Float](y, x, mean, scale, shift []T, m, n int) {
	x, y = x[:m*n], y[:m*n]
	for i := 0; i < m; i++ {
		xr, yr := x[i*n:i*n+n], y[i*n:i*n+n]
		yr, mu, k, b := yr[:len(xr)], mean[:len(xr)], scale[:len(xr)], shift[:len(xr)]
		for j, v := range xr {
			yr[j] = (v-mu[j])*k[j] + b[j]
		}
	}
}

// ColumnGradSums adds Σ_i dy[i,j] into s1[j] and Σ_i dy[i,j]·(x[i,j] −
// mean[j]) into s2[j]: the sums batch normalisation's backward pass is made
// of (dβ = s1, dγ = s2/√(σ² + ε)).
func ColumnGradSums[T Float](s1, s2 []float64, dy, x, mean []T, m, n int) {
	x, dy = x[:m*n], dy[:m*n]
	for i := 0; i < m; i++ {
		xr, gr := x[i*n:i*n+n], dy[i*n:i*n+n]
		gr, a, b, mu := gr[:len(xr)], s1[:len(xr)], s2[:len(xr)], mean[:len(xr)]
		for j, v := range xr {
			g := gr[j]
			a[j] += float64(g)
			b[j] += float64(g * (v - mu[j]))
		}
	}
}

// BatchNormInputGrad sets dx[i,j] = a[j]·dy[i,j] + b[j]·(x[i,j] − mean[j])
// + c[j], the input gradient of batch normalisation written per channel:
// with r = 1/√(σ² + ε) and N rows, a = γr in both modes, and in training
// (where the gradient also flows through the batch mean and variance)
// b = −γr³·s2/N and c = −γr·s1/N, with s1 and s2 from ColumnGradSums.
// dx may alias dy.
func BatchNormInputGrad[T Float](dx, dy, x, mean, a, b, c []T, m, n int) {
	x, dy, dx = x[:m*n], dy[:m*n], dx[:m*n]
	for i := 0; i < m; i++ {
		xr, gr, dr := x[i*n:i*n+n], dy[i*n:i*n+n], dx[i*n:i*n+n]
		gr, dr, mu, ka, kb, kc := gr[:len(xr)], dr[:len(xr)], mean[:len(xr)], a[:len(xr)], b[:len(xr)], c[:len(xr)]
		for j, v := range xr {
			dr[j] = ka[j]*gr[j] + kb[j]*(v-mu[j]) + kc[j]
		}
	}
}

// LayerNormRows normalises each row of the m×n matrix x over its n columns,
// y = (x − μ)·r·gamma + beta with μ the row's mean, σ² its biased variance
// and r = 1/√(σ² + eps), and stores μ and r per row in mean and rstd for
// the backward pass. y may alias x.
func LayerNormRows[T Float](y, x, gamma, beta, mean, rstd []T, m, n int, eps float64) {
	x, y = x[:m*n], y[:m*n]
	for i := 0; i < m; i++ {
		xr, yr := x[i*n:i*n+n], y[i*n:i*n+n]
		var s float64
		for _, v := range xr {
			s += float64(v)
		}
		mu := s / float64(n)
		var sq float64
		for _, v := range xr {
			d := float64(v) - mu
			sq += d * d
		}
		r := 1 / math.Sqrt(sq/float64(n)+eps)
		mean[i], rstd[i] = T(mu), T(r)
		mt, rt := T(mu), T(r)
		yr, g, b := yr[:len(xr)], gamma[:len(xr)], beta[:len(xr)]
		for j, v := range xr {
			yr[j] = (v-mt)*rt*g[j] + b[j]
		}
	}
}

// LayerNormRowsGrad is LayerNormRows' backward pass. With x̂ = (x − μ)·r
// and h = dy·γ, it sets dx = r·(h − mean(h) − x̂·mean(h·x̂)) for each row,
// and adds Σ_rows dy·x̂ into dgamma and Σ_rows dy into dbeta (either may be
// nil when that gradient is not needed; dx may be nil too). dx may alias dy.
func LayerNormRowsGrad[T Float](dx []T, dgamma, dbeta []float64, dy, x, gamma, mean, rstd []T, m, n int) {
	x, dy = x[:m*n], dy[:m*n]
	inv := 1 / float64(n)
	for i := 0; i < m; i++ {
		xr, gr := x[i*n:i*n+n], dy[i*n:i*n+n]
		gr, g := gr[:len(xr)], gamma[:len(xr)]
		mu, r := mean[i], rstd[i]
		var sh, shx float64
		for j, v := range xr {
			xh := (v - mu) * r
			h := gr[j] * g[j]
			sh += float64(h)
			shx += float64(h * xh)
		}
		if dgamma != nil {
			dg := dgamma[:len(xr)]
			for j, v := range xr {
				dg[j] += float64(gr[j] * (v - mu) * r)
			}
		}
		if dbeta != nil {
			db := dbeta[:len(xr)]
			for j, v := range gr {
				db[j] += float64(v)
			}
		}
		if dx == nil {
			continue
		}
		dr := dx[i*n : i*n+n]
		dr = dr[:len(xr)]
		a, b := T(sh*inv), T(shx*inv)
		for j, v := range xr {
			xh := (v - mu) * r
			dr[j] = r * (gr[j]*g[j] - a - xh*b)
		}
	}
}
