package data

import (
	"slices"
	"strings"
	"testing"
)

// TestPadSequences checks the outputs printed in the docstring of Keras's
// keras.utils.pad_sequences (keras/src/utils/sequence_utils.py) and a few
// truncation cases worked out by hand.
func TestPadSequences(t *testing.T) {
	seqs := [][]int{{1}, {2, 3}, {4, 5, 6}}
	tests := []struct {
		name string
		opt  PadOptions
		want [][]float32
	}{
		{"defaults", PadOptions{}, [][]float32{{0, 0, 1}, {0, 2, 3}, {4, 5, 6}}},
		{"value -1", PadOptions{Value: -1}, [][]float32{{-1, -1, 1}, {-1, 2, 3}, {4, 5, 6}}},
		{"padding post", PadOptions{Padding: "post"}, [][]float32{{1, 0, 0}, {2, 3, 0}, {4, 5, 6}}},
		{"maxlen 2", PadOptions{MaxLen: 2}, [][]float32{{0, 1}, {2, 3}, {5, 6}}},
		// By hand: truncating post keeps the first values.
		{"maxlen 2 truncating post", PadOptions{MaxLen: 2, Truncating: "post"}, [][]float32{{0, 1}, {2, 3}, {4, 5}}},
		{"maxlen 2 both post", PadOptions{MaxLen: 2, Padding: "post", Truncating: "post"}, [][]float32{{1, 0}, {2, 3}, {4, 5}}},
		{"maxlen 4", PadOptions{MaxLen: 4}, [][]float32{{0, 0, 0, 1}, {0, 0, 2, 3}, {0, 4, 5, 6}}},
	}
	for _, tc := range tests {
		got, err := PadSequences(seqs, tc.opt)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		want := slices.Concat(tc.want...)
		if !slices.Equal(got.Shape(), []int{len(tc.want), len(tc.want[0])}) || !slices.Equal(got.Float32s(), want) {
			t.Errorf("%s: got %v %v, want %v", tc.name, got.Shape(), got.Float32s(), tc.want)
		}
	}
}

func TestPadSequencesEdges(t *testing.T) {
	// An empty sequence is all padding; float inputs keep their values.
	got, err := PadSequences([][]float64{{}, {0.5, -2}}, PadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{0, 0, 0.5, -2}; !slices.Equal(got.Float32s(), want) {
		t.Errorf("got %v, want %v", got.Float32s(), want)
	}
	// No sequences: shape (0, 0).
	if got, err := PadSequences([][]int32{}, PadOptions{}); err != nil || !slices.Equal(got.Shape(), []int{0, 0}) {
		t.Errorf("no sequences: got %v, %v", got, err)
	}
	for _, tc := range []struct {
		opt  PadOptions
		want string
	}{
		{PadOptions{Padding: "middle"}, `padding "middle" not understood`},
		{PadOptions{Truncating: "end"}, `truncating "end" not understood`},
		{PadOptions{MaxLen: -1}, "maxlen -1"},
	} {
		if _, err := PadSequences([][]int{{1}}, tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want an error containing %q", tc.opt, err, tc.want)
		}
	}
}
