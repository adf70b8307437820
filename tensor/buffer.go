package tensor

// Buffer is a float32 tensor reused across calls, for the scratch space a
// training step needs every step: it grows to the largest batch seen and
// serves smaller batches (the last, partial one) as views, caching one view
// per batch size so that reuse allocates nothing. Contents are stale.
type Buffer struct {
	full  *Tensor
	views []*Tensor
}

// Get returns a buffer of shape (n, sample...).
func (b *Buffer) Get(n int, sample []int) *Tensor {
	if b.full == nil || b.full.Dim(0) < n || !SameShape(b.full.shape[1:], sample) {
		b.full = Zeros(append([]int{n}, sample...)...)
		b.views = b.views[:0]
	}
	if b.full.Dim(0) == n {
		return b.full
	}
	for _, v := range b.views {
		if v.Dim(0) == n {
			return v
		}
	}
	v := b.full.Rows(0, n)
	b.views = append(b.views, v)
	return v
}

// Like returns a buffer shaped as t.
func (b *Buffer) Like(t *Tensor) *Tensor { return b.Get(t.Dim(0), t.shape[1:]) }
