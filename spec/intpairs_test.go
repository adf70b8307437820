package spec

import (
	"reflect"
	"strings"
	"testing"
)

func TestIntPairs(t *testing.T) {
	def := [][2]int{{1, 1}, {1, 1}}
	cases := []struct {
		value any
		want  [][2]int
		err   string
	}{
		{nil, def, ""},
		{2, [][2]int{{2, 2}, {2, 2}}, ""},
		{0, [][2]int{{0, 0}, {0, 0}}, ""},
		{[]any{1, 2}, [][2]int{{1, 1}, {2, 2}}, ""},
		{[]any{[]any{0, 1}, []any{2, 3}}, [][2]int{{0, 1}, {2, 3}}, ""},
		{[]any{[]any{0, 1}, 3}, [][2]int{{0, 1}, {3, 3}}, ""},
		{-1, nil, "got -1"},
		{[]any{1, 2, 3}, nil, "a list of 2"},
		{[]any{[]any{0, 1, 2}, 1}, nil, "got [[0, 1, 2], 1]"},
		{[]any{[]any{0, -1}, 1}, nil, "[before, after] pairs"},
		{"1", nil, `got "1"`},
	}
	for _, c := range cases {
		got, err := Args{{"padding", c.value}}.IntPairs("padding", 2, def)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), `argument "padding"`) {
				t.Errorf("IntPairs(%v): got error %v, want one containing %q", c.value, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("IntPairs(%v) = %v, %v; want %v", c.value, got, err, c.want)
		}
	}
	r := Layer{Args: Args{{"padding", []any{1, 2}}}}.Reader()
	if got := r.IntPairs("padding", 2, def); r.Err() != nil || !reflect.DeepEqual(got, [][2]int{{1, 1}, {2, 2}}) {
		t.Errorf("Reader.IntPairs = %v, %v", got, r.Err())
	}
}
