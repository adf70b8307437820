package kernels

// Packing copies a block of op(A) or op(B) into the contiguous panel order the
// micro-kernel streams through, so that the kernel reads memory strictly
// sequentially whatever the transposition and leading dimension of the
// caller's matrices. Panels past the edge of the matrix are padded with zeros,
// so the kernel always works on whole mr×nr tiles.

// packA copies the mb×kb block of op(A) whose top-left element is
// op(A)[i0][p0], scaled by alpha, into dst as ⌈mb/mr⌉ panels of mr rows. Panel
// q starts at dst[q*mr*kb]; inside it, element (i, p) is at p*mr+i. Rows past
// mb are zero. op(A)[i][p] is a[i*lda+p], or a[p*lda+i] when trans is set.
func packA[T Float](dst []T, trans bool, a []T, lda, i0, p0, mb, kb, mr int, alpha T) {
	for q := 0; q < mb; q += mr {
		panel := dst[q*kb : q*kb+mr*kb]
		rows := min(mr, mb-q)
		if rows < mr {
			clear(panel)
		}
		if trans {
			// Each step p reads rows contiguous elements of the stored row p0+p.
			for p := 0; p < kb; p++ {
				src := a[(p0+p)*lda+i0+q:]
				src = src[:rows]
				out := panel[p*mr:]
				out = out[:len(src)]
				for i, v := range src {
					out[i] = alpha * v
				}
			}
			continue
		}
		// Each row i of the panel is contiguous in a; write it with stride mr.
		for i := 0; i < rows; i++ {
			src := a[(i0+q+i)*lda+p0:]
			src = src[:kb]
			out := panel[i:]
			for p, v := range src {
				out[p*mr] = alpha * v
			}
		}
	}
}

// packB copies the kb×nb block of op(B) whose top-left element is
// op(B)[p0][j0] into dst as ⌈nb/nr⌉ panels of nr columns. Panel r starts at
// dst[r*nr*kb]; inside it, element (p, j) is at p*nr+j. Columns past nb are
// zero. op(B)[p][j] is b[p*ldb+j], or b[j*ldb+p] when trans is set.
func packB[T Float](dst []T, trans bool, b []T, ldb, p0, j0, kb, nb, nr int) {
	for r := 0; r < nb; r += nr {
		panel := dst[r*kb : r*kb+nr*kb]
		cols := min(nr, nb-r)
		if cols < nr {
			clear(panel)
		}
		if trans {
			// Each column j of the panel is a contiguous stored row of b.
			for j := 0; j < cols; j++ {
				src := b[(j0+r+j)*ldb+p0:]
				src = src[:kb]
				out := panel[j:]
				for p, v := range src {
					out[p*nr] = v
				}
			}
			continue
		}
		// Each step p reads cols contiguous elements of the stored row p0+p.
		for p := 0; p < kb; p++ {
			src := b[(p0+p)*ldb+j0+r:]
			src = src[:cols]
			copy(panel[p*nr:p*nr+cols], src)
		}
	}
}
