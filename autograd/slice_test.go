package autograd

import (
	"slices"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

func TestGradCheckSliceConcat(t *testing.T) {
	cases := []struct {
		name   string
		f      func(in []*Value) *Value
		inputs []*tensor.Tensor
	}{
		{"slice last axis", func(in []*Value) *Value { return SliceAxis(in[0], -1, 2, 5) }, []*tensor.Tensor{det(1, 2, 7)}},
		{"slice middle axis", func(in []*Value) *Value { return SliceAxis(in[0], 1, 1, 2) }, []*tensor.Tensor{det(2, 2, 3, 4)}},
		{"slice first axis", func(in []*Value) *Value { return SliceAxis(in[0], 0, 0, 1) }, []*tensor.Tensor{det(3, 3, 2)}},
		{"concat middle axis", func(in []*Value) *Value { return Concat(in, 1) }, []*tensor.Tensor{det(4, 2, 1, 3), det(5, 2, 2, 3)}},
		{"concat last axis", func(in []*Value) *Value { return Concat(in, -1) }, []*tensor.Tensor{det(6, 3, 2), det(7, 3, 1), det(8, 3, 3)}},
		// Fan-out: the same value sliced twice and joined back gets both
		// gradients added.
		{"slice and rejoin", func(in []*Value) *Value {
			return Concat([]*Value{SliceAxis(in[0], 1, 2, 4), SliceAxis(in[0], 1, 0, 3)}, 1)
		}, []*tensor.Tensor{det(9, 2, 4)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := GradCheck(c.f, c.inputs, GradCheckOptions{}); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestSliceConcatValues(t *testing.T) {
	// x = [[0 1 2] [3 4 5]]: columns 1:3 are [[1 2] [4 5]] (by hand).
	x := Const(tensor.FromFloat32([]float32{0, 1, 2, 3, 4, 5}, 2, 3))
	s := SliceAxis(x, 1, 1, 3)
	if got, want := s.Data.Float32s(), []float32{1, 2, 4, 5}; !slices.Equal(got, want) || !slices.Equal(s.Shape(), []int{2, 2}) {
		t.Errorf("SliceAxis = %v %v, want %v [2 2]", got, s.Shape(), want)
	}
	c := Concat([]*Value{s, SliceAxis(x, 1, 0, 1)}, 1)
	if got, want := c.Data.Float32s(), []float32{1, 2, 0, 4, 5, 3}; !slices.Equal(got, want) {
		t.Errorf("Concat = %v, want %v", got, want)
	}
}

func TestSliceConcatErrors(t *testing.T) {
	x := Const(tensor.Zeros(2, 3))
	for name, f := range map[string]func(){
		"empty slice":    func() { SliceAxis(x, 1, 2, 2) },
		"past the end":   func() { SliceAxis(x, 1, 1, 4) },
		"bad axis":       func() { SliceAxis(x, 2, 0, 1) },
		"concat nothing": func() { Concat(nil, 0) },
		"concat misfit":  func() { Concat([]*Value{x, Const(tensor.Zeros(3, 3))}, 1) },
	} {
		func() {
			defer func() {
				if _, ok := recover().(*tensor.ShapeError); !ok {
					t.Errorf("%s: want a *tensor.ShapeError panic", name)
				}
			}()
			f()
		}()
	}
}
