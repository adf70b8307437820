package data

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

func TestBatcherSteps(t *testing.T) {
	tests := []struct {
		n, batch, steps, last int
	}{
		{60000, 1000, 60, 1000}, // Keras: 60000 MNIST samples, batch_size 1000 -> 60 steps
		{10, 3, 4, 1},           // ceil(10/3) = 4; 10 - 3*3 = 1 in the last batch
		{10, 10, 1, 10},
		{10, 64, 1, 10}, // batch >= n: one step holding everything
		{1, 1, 1, 1},
	}
	for _, tc := range tests {
		for _, shuffle := range []bool{false, true} {
			b, err := NewBatcher(seq(tc.n, 1), tc.batch, shuffle, rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				t.Fatal(err)
			}
			if got := b.Steps(); got != tc.steps {
				t.Errorf("n=%d batch=%d shuffle=%v: got %d steps, want %d", tc.n, tc.batch, shuffle, got, tc.steps)
				continue
			}
			x, y := b.Batch(tc.steps - 1)
			if x.Dim(0) != tc.last || y.Dim(0) != tc.last {
				t.Errorf("n=%d batch=%d shuffle=%v: last batch has %d/%d rows, want %d", tc.n, tc.batch, shuffle, x.Dim(0), y.Dim(0), tc.last)
			}
		}
	}
}

// epochOrder returns the labels of one epoch in the order served, after
// checking that every batch's features belong to its labels.
func epochOrder(t *testing.T, b *Batcher, width int) []int {
	t.Helper()
	var order []int
	for i := range b.Steps() {
		x, y := b.Batch(i)
		for r := range y.Dim(0) {
			label := int(y.At(r))
			if got := x.At(r, 0); got != float64(label*width) {
				t.Fatalf("batch %d row %d: features start with %v, want %v (label %d)", i, r, got, label*width, label)
			}
			order = append(order, label)
		}
	}
	return order
}

func isPermutation(order []int) bool {
	s := slices.Sorted(slices.Values(order))
	for i, v := range s {
		if v != i {
			return false
		}
	}
	return true
}

func TestBatcherShuffle(t *testing.T) {
	const n, width, batch = 10, 3, 4
	run := func(seed uint64) [][]int {
		b, err := NewBatcher(seq(n, width), batch, true, rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			t.Fatal(err)
		}
		var epochs [][]int
		for e := range 3 {
			if e > 0 {
				b.Reset()
			}
			order := epochOrder(t, b, width)
			if !isPermutation(order) {
				t.Errorf("seed %d epoch %d: %v is not a permutation of 0..%d", seed, e, order, n-1)
			}
			if !slices.Equal(order, b.Perm()) {
				t.Errorf("seed %d epoch %d: served %v, Perm() says %v", seed, e, order, b.Perm())
			}
			epochs = append(epochs, order)
		}
		return epochs
	}
	a, again, other := run(7), run(7), run(8)
	for e := range a {
		if !slices.Equal(a[e], again[e]) {
			t.Errorf("epoch %d with the same seed: got %v then %v, want equal", e, a[e], again[e])
		}
	}
	if slices.Equal(a[0], a[1]) && slices.Equal(a[1], a[2]) {
		t.Errorf("three epochs in the same order %v; want a new permutation each epoch", a[0])
	}
	if slices.Equal(a[0], other[0]) && slices.Equal(a[1], other[1]) {
		t.Errorf("seeds 7 and 8 gave the same orders %v", a[:2])
	}
}

func TestBatcherInOrder(t *testing.T) {
	ds := seq(10, 2)
	b, err := NewBatcher(ds, 4, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	order := epochOrder(t, b, 2)
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(order, want) {
		t.Errorf("got %v, want %v", order, want)
	}
	// Without shuffling a batch is a view of the dataset.
	x, _ := b.Batch(1)
	x.Set(-1, 0, 0)
	if got := ds.X.At(4, 0); got != -1 {
		t.Errorf("batch is not a view: dataset row 4 got %v, want -1", got)
	}
}

func TestBatcherNoTargetsFloat64(t *testing.T) {
	x := tensor.New(tensor.Float64, 5, 2)
	for i := range 10 {
		x.SetFlat(i, float64(i))
	}
	b, err := NewBatcher(&Dataset{X: x, Source: "f64"}, 2, true, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	seen := 0.0
	for i := range b.Steps() {
		xb, yb := b.Batch(i)
		if yb != nil {
			t.Fatalf("batch %d: got targets %v, want nil", i, yb)
		}
		if xb.DType() != tensor.Float64 {
			t.Fatalf("batch %d: got dtype %v, want float64", i, xb.DType())
		}
		for _, v := range xb.Float64s() {
			seen += v
		}
	}
	if seen != 45 { // 0 + 1 + ... + 9
		t.Errorf("sum over an epoch: got %v, want 45", seen)
	}
}

func TestBatcherAllocs(t *testing.T) {
	for _, shuffle := range []bool{false, true} {
		// 10 samples in batches of 3: three full batches and a partial one.
		b, err := NewBatcher(seq(10, 4), 3, shuffle, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(100, func() {
			for i := range b.Steps() {
				b.Batch(i)
			}
		})
		if allocs != 0 {
			t.Errorf("shuffle=%v: got %v allocations per epoch of Batch calls, want 0", shuffle, allocs)
		}
	}
}

func TestNewBatcherErrors(t *testing.T) {
	tests := []struct {
		name    string
		ds      *Dataset
		batch   int
		shuffle bool
		rng     *rand.Rand
	}{
		{"zero batch", seq(4, 1), 0, false, nil},
		{"negative batch", seq(4, 1), -3, false, nil},
		{"shuffle without rng", seq(4, 1), 2, true, nil},
		{"empty", &Dataset{X: tensor.Zeros(0, 3)}, 2, false, nil},
		{"mismatched targets", &Dataset{X: tensor.Zeros(4, 3), Y: tensor.Zeros(5)}, 2, false, nil},
		{"nil features", &Dataset{}, 2, false, nil},
	}
	for _, tc := range tests {
		if _, err := NewBatcher(tc.ds, tc.batch, tc.shuffle, tc.rng); err == nil {
			t.Errorf("%s: got no error, want one", tc.name)
		}
	}
}

func BenchmarkBatcherShuffledMNISTShape(b *testing.B) {
	// 60000 samples of 28*28 pixels in batches of 128, as the course's DNN.
	ds := &Dataset{X: tensor.Zeros(60000, 28, 28), Y: tensor.Zeros(60000)}
	bt, err := NewBatcher(ds, 128, true, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		bt.Batch(i % bt.Steps())
	}
}
