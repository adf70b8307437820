package autograd

import (
	"slices"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// TestGradCheckGather checks Take (with repeated ids, so that the
// scatter-add is exercised) and Flip against finite differences.
func TestGradCheckGather(t *testing.T) {
	ids := []int{3, 0, 3, 1, 4, 3}
	cases := []struct {
		name   string
		f      func(in []*Value) *Value
		inputs []*tensor.Tensor
	}{
		{"take", func(in []*Value) *Value { return Take(in[0], ids, []int{2, 3}) }, []*tensor.Tensor{det(1, 5, 4)}},
		{"take twice", func(in []*Value) *Value {
			return Add(Take(in[0], ids[:3], []int{3}), Take(in[0], ids[3:], []int{3}))
		}, []*tensor.Tensor{det(2, 5, 2)}},
		{"flip middle axis", func(in []*Value) *Value { return Flip(in[0], 1) }, []*tensor.Tensor{det(3, 2, 4, 3)}},
		{"flip last axis", func(in []*Value) *Value { return Flip(in[0], -1) }, []*tensor.Tensor{det(4, 3, 5)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := GradCheck(c.f, c.inputs, GradCheckOptions{}); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestTakeFlipValues(t *testing.T) {
	// table rows r0 = [0 1], r1 = [2 3], r2 = [4 5]; ids [2 0 2] give
	// [[4 5] [0 1] [4 5]], and the gradient of their sum counts each row's
	// uses: r0 once, r1 never, r2 twice (by hand).
	table := Param(tensor.FromFloat32([]float32{0, 1, 2, 3, 4, 5}, 3, 2), "table")
	y := Take(table, []int{2, 0, 2}, []int{3})
	if got, want := y.Data.Float32s(), []float32{4, 5, 0, 1, 4, 5}; !slices.Equal(got, want) || !slices.Equal(y.Shape(), []int{3, 2}) {
		t.Errorf("Take: got %v %v, want %v (3, 2)", got, y.Shape(), want)
	}
	Backward(Sum(y, false))
	if got, want := table.Grad.Float32s(), []float32{1, 1, 0, 0, 2, 2}; !slices.Equal(got, want) {
		t.Errorf("Take gradient: got %v, want %v", got, want)
	}
	// Flip of [[0 1 2] [3 4 5]] along axis 1 is [[2 1 0] [5 4 3]].
	f := Flip(Const(tensor.FromFloat32([]float32{0, 1, 2, 3, 4, 5}, 2, 3)), 1)
	if got, want := f.Data.Float32s(), []float32{2, 1, 0, 5, 4, 3}; !slices.Equal(got, want) {
		t.Errorf("Flip: got %v, want %v", got, want)
	}
}

func TestTakeErrors(t *testing.T) {
	table := Const(tensor.Zeros(3, 2))
	for _, ids := range [][]int{{3}, {-1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Take with ids %v of a 3-row table: no panic", ids)
				}
			}()
			Take(table, ids, []int{1})
		}()
	}
}
