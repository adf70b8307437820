package data

import (
	"fmt"
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/tensor"
)

// Batcher walks a dataset in mini-batches, one epoch at a time. An epoch has
// Steps() = ceil(n/batchSize) batches; the last one is partial when
// batchSize does not divide n (Keras: 60000 samples, batch size 1000 -> 60
// steps).
//
// Without shuffling, batches are views of the dataset (no copy). With
// shuffling, each epoch follows a new permutation drawn from the
// generator, and batches are gathered into buffers owned by the Batcher:
// Batch allocates nothing, and the tensors it returns are overwritten by the
// next call.
//
// The first epoch is ready when NewBatcher returns; call Reset before each
// later epoch. A Batcher is not safe for concurrent use.
type Batcher struct {
	ds        *Dataset
	n, size   int
	steps     int
	shuffle   bool
	rng       *rand.Rand
	perm      []int
	xRow      int              // elements per sample of X
	yRow      int              // elements per sample of Y
	xs, ys    []*tensor.Tensor // per-step views (in order) or the shuffled buffers
	xbuf      *tensor.Tensor   // shuffled batches are gathered here
	ybuf      *tensor.Tensor
	xPart     *tensor.Tensor // views of the buffers for the partial last batch
	yPart     *tensor.Tensor
	remainder int
}

// NewBatcher returns a Batcher over ds with the given batch size. With
// shuffle, rng supplies the permutations (seed it for reproducible runs);
// without, rng may be nil.
func NewBatcher(ds *Dataset, batchSize int, shuffle bool, rng *rand.Rand) (*Batcher, error) {
	if err := ds.Validate(); err != nil {
		return nil, err
	}
	n := ds.Len()
	if n == 0 {
		return nil, fmt.Errorf("data: %s has no samples", ds.Source)
	}
	if batchSize <= 0 {
		return nil, fmt.Errorf("data: batch size %d must be positive", batchSize)
	}
	if shuffle && rng == nil {
		return nil, fmt.Errorf("data: shuffling needs a random generator, got nil")
	}
	size := min(batchSize, n)
	b := &Batcher{ds: ds, n: n, size: size, steps: (n + size - 1) / size,
		shuffle: shuffle, rng: rng, remainder: n % size}
	b.xRow = ds.X.Len() / n
	if ds.Y != nil {
		b.yRow = ds.Y.Len() / n
	}
	if !shuffle {
		// Views are made once here so that Batch allocates nothing.
		b.xs = make([]*tensor.Tensor, b.steps)
		b.ys = make([]*tensor.Tensor, b.steps)
		for i := range b.steps {
			lo, hi := i*size, min((i+1)*size, n)
			b.xs[i] = ds.X.Rows(lo, hi)
			if ds.Y != nil {
				b.ys[i] = ds.Y.Rows(lo, hi)
			}
		}
		return b, nil
	}
	b.perm = make([]int, n)
	b.xbuf = tensor.New(ds.X.DType(), append([]int{size}, ds.X.Shape()[1:]...)...)
	if b.remainder > 0 {
		b.xPart = b.xbuf.Rows(0, b.remainder)
	}
	if ds.Y != nil {
		b.ybuf = tensor.New(ds.Y.DType(), append([]int{size}, ds.Y.Shape()[1:]...)...)
		if b.remainder > 0 {
			b.yPart = b.ybuf.Rows(0, b.remainder)
		}
	}
	b.Reset()
	return b, nil
}

// Steps returns the number of batches in an epoch: ceil(n / batchSize).
func (b *Batcher) Steps() int { return b.steps }

// BatchSize returns the batch size (the dataset size when that is smaller).
func (b *Batcher) BatchSize() int { return b.size }

// Reset starts a new epoch. With shuffling it draws a new permutation of
// the samples from the generator; otherwise it does nothing.
func (b *Batcher) Reset() {
	if !b.shuffle {
		return
	}
	for i := range b.perm {
		b.perm[i] = i
	}
	b.rng.Shuffle(len(b.perm), func(i, j int) { b.perm[i], b.perm[j] = b.perm[j], b.perm[i] })
}

// Perm returns the order in which the current epoch visits the samples (nil
// without shuffling). The slice must not be modified.
func (b *Batcher) Perm() []int { return b.perm }

// Batch returns batch i (0 <= i < Steps()) of the current epoch; y is nil
// when the dataset has no targets. With shuffling the tensors are valid until
// the next call to Batch. It panics when i is out of range.
func (b *Batcher) Batch(i int) (x, y *tensor.Tensor) {
	if i < 0 || i >= b.steps {
		panic(fmt.Sprintf("data: batch %d out of range [0, %d)", i, b.steps))
	}
	if !b.shuffle {
		return b.xs[i], b.ys[i]
	}
	idx := b.perm[i*b.size : min((i+1)*b.size, b.n)]
	gather(b.xbuf, b.ds.X, idx, b.xRow)
	x, y = b.xbuf, b.ybuf
	if b.ds.Y != nil {
		gather(b.ybuf, b.ds.Y, idx, b.yRow)
	}
	if len(idx) < b.size {
		x, y = b.xPart, b.yPart
	}
	return x, y
}

// gather copies rows idx of src (row elements each) into the first
// len(idx) rows of dst; both have the same dtype.
func gather(dst, src *tensor.Tensor, idx []int, row int) {
	if src.DType() == tensor.Float64 {
		d, s := dst.Float64s(), src.Float64s()
		for k, j := range idx {
			copy(d[k*row:(k+1)*row], s[j*row:(j+1)*row])
		}
		return
	}
	d, s := dst.Float32s(), src.Float32s()
	for k, j := range idx {
		copy(d[k*row:(k+1)*row], s[j*row:(j+1)*row])
	}
}
