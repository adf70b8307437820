package kernels

import "unsafe"

// Per-tile transforms of Winograd F(2×2, 3×3) convolution (Lavin & Gray,
// "Fast Algorithms for Convolutional Neural Networks", CVPR 2016): a 4×4
// input tile d becomes V = Bᵀ d B, the 4×4 product m of V and the
// transformed filters becomes the 2×2 output y = Aᵀ m A, with
//
//	Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]]
//	Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]
//
// and the backward pass runs the transposes: the output gradient dz goes
// to M = A dz Aᵀ and the gradient v of V back to the input tile as B v Bᵀ.
// The matrices hold only 0 and ±1, so each transform is additions,
// subtractions and sign flips: no rounding beyond those of the sums.
//
// Each routine transforms one tile for c channels, vectorised across the
// channels (16 per AVX-512 register); the 16 positions of a transformed
// tile lie ld values apart, channel ch at offset ch from each. The
// assembly routines (winograd_xform_amd64.s) run when c is a multiple of
// 16 and compute the same bits as the Go twins below, which are written
// operation for operation in the assembly's order: a change to one must be
// made to the other (winograd_xform_test.go compares them bit for bit).

// wgInput: d[r][q] = rows[r][q*c+ch] (r, q < 4: four input rows of a 4×4
// tile, each 4 pixels × c channels contiguous). Writes V = Bᵀ d B: V[i][j]
// to dst[(4*i+j)*ld + ch].
func wgInput(rows *[4]*float32, c int, dst *float32, ld int) {
	if wgAsm && c%16 == 0 {
		wgInputAVX512(rows, c, dst, ld)
		return
	}
	wgInputGo(rows, c, dst, ld)
}

// wgOutput: m[i][j] = src[(4*i+j)*ld + ch]. y = Aᵀ m A (2×2), then
// y += bias[ch] when bias != nil, then when relu: if y < 0 { y = 0 } (NaN
// stays NaN, −0 stays −0). Writes y[r][q] to dst[2*r+q][ch] (four
// output-pixel pointers, c values each).
func wgOutput(src *float32, ld, c int, bias *float32, relu bool, dst *[4]*float32) {
	if wgAsm && c%16 == 0 {
		wgOutputAVX512(src, ld, c, bias, relu, dst)
		return
	}
	wgOutputGo(src, ld, c, bias, relu, dst)
}

// wgGradOut: dz[r][q] = src[2*r+q][ch] (r, q < 2: four output-gradient
// pixel pointers). Writes M = A dz Aᵀ (4×4): M[i][j] to
// dst[(4*i+j)*ld + ch].
func wgGradOut(src *[4]*float32, c int, dst *float32, ld int) {
	if wgAsm && c%16 == 0 {
		wgGradOutAVX512(src, c, dst, ld)
		return
	}
	wgGradOutGo(src, c, dst, ld)
}

// wgGradIn: v[i][j] = src[(4*i+j)*ld + ch]. dd = B v Bᵀ (4×4), added into
// rows[r][q*c+ch] (rows[r][q*c+ch] += dd[r][q]).
func wgGradIn(src *float32, ld, c int, rows *[4]*float32) {
	if wgAsm && c%16 == 0 {
		wgGradInAVX512(src, ld, c, rows)
		return
	}
	wgGradInGo(src, ld, c, rows)
}

// wgInputGo is the Go twin of wgInputAVX512: t = Bᵀd column by column,
// then V = t B row by row.
func wgInputGo(rows *[4]*float32, c int, dst *float32, ld int) {
	if c <= 0 {
		return
	}
	var d [4][]float32
	for r, p := range rows {
		d[r] = unsafe.Slice(p, 4*c)
	}
	out := unsafe.Slice(dst, 15*ld+c)
	for ch := range c {
		var t [4][4]float32
		for q := range 4 {
			d0, d1, d2, d3 := d[0][q*c+ch], d[1][q*c+ch], d[2][q*c+ch], d[3][q*c+ch]
			t[0][q] = d0 - d2
			t[1][q] = d1 + d2
			t[2][q] = d2 - d1
			t[3][q] = d1 - d3
		}
		for i := range 4 {
			o := 4*i*ld + ch
			out[o] = t[i][0] - t[i][2]
			out[o+ld] = t[i][1] + t[i][2]
			out[o+2*ld] = t[i][2] - t[i][1]
			out[o+3*ld] = t[i][1] - t[i][3]
		}
	}
}

// wgOutputGo is the Go twin of wgOutputAVX512: s = Aᵀm column by column,
// then y = s A row by row, the bias and the ReLU.
func wgOutputGo(src *float32, ld, c int, bias *float32, relu bool, dst *[4]*float32) {
	if c <= 0 {
		return
	}
	m := unsafe.Slice(src, 15*ld+c)
	var b []float32
	if bias != nil {
		b = unsafe.Slice(bias, c)
	}
	var y [4][]float32
	for k, p := range dst {
		y[k] = unsafe.Slice(p, c)
	}
	for ch := range c {
		var s [2][4]float32
		for j := range 4 {
			m0, m1, m2, m3 := m[j*ld+ch], m[(4+j)*ld+ch], m[(8+j)*ld+ch], m[(12+j)*ld+ch]
			s[0][j] = (m0 + m1) + m2
			s[1][j] = (m1 - m2) - m3
		}
		for r := range 2 {
			y0 := (s[r][0] + s[r][1]) + s[r][2]
			y1 := (s[r][1] - s[r][2]) - s[r][3]
			if b != nil {
				y0 += b[ch]
				y1 += b[ch]
			}
			if relu {
				if y0 < 0 {
					y0 = 0
				}
				if y1 < 0 {
					y1 = 0
				}
			}
			y[2*r][ch] = y0
			y[2*r+1][ch] = y1
		}
	}
}

// wgGradOutGo is the Go twin of wgGradOutAVX512: t = A dz column by
// column, then M = t Aᵀ row by row.
func wgGradOutGo(src *[4]*float32, c int, dst *float32, ld int) {
	if c <= 0 {
		return
	}
	var dz [4][]float32
	for k, p := range src {
		dz[k] = unsafe.Slice(p, c)
	}
	out := unsafe.Slice(dst, 15*ld+c)
	for ch := range c {
		var t [4][2]float32
		for q := range 2 {
			z0, z1 := dz[q][ch], dz[2+q][ch]
			t[0][q] = z0
			t[1][q] = z0 + z1
			t[2][q] = z0 - z1
			t[3][q] = -z1
		}
		for i := range 4 {
			o := 4*i*ld + ch
			out[o] = t[i][0]
			out[o+ld] = t[i][0] + t[i][1]
			out[o+2*ld] = t[i][0] - t[i][1]
			out[o+3*ld] = -t[i][1]
		}
	}
}

// wgGradInGo is the Go twin of wgGradInAVX512: t = B v column by column,
// then dd = t Bᵀ row by row, added into the rows.
func wgGradInGo(src *float32, ld, c int, rows *[4]*float32) {
	if c <= 0 {
		return
	}
	v := unsafe.Slice(src, 15*ld+c)
	var d [4][]float32
	for r, p := range rows {
		d[r] = unsafe.Slice(p, 4*c)
	}
	for ch := range c {
		var t [4][4]float32
		for j := range 4 {
			v0, v1, v2, v3 := v[j*ld+ch], v[(4+j)*ld+ch], v[(8+j)*ld+ch], v[(12+j)*ld+ch]
			t[0][j] = v0
			t[1][j] = (v1 - v2) + v3
			t[2][j] = (v1 + v2) - v0
			t[3][j] = -v3
		}
		for r := range 4 {
			dr := d[r]
			dr[ch] += t[r][0]
			dr[c+ch] += (t[r][1] - t[r][2]) + t[r][3]
			dr[2*c+ch] += (t[r][1] + t[r][2]) - t[r][0]
			dr[3*c+ch] += -t[r][3]
		}
	}
}
