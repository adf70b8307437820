package models

import (
	"slices"
	"testing"
)

func TestWrap(t *testing.T) {
	for _, c := range []struct {
		s     string
		width int
		want  []string
	}{
		{"dense (Dense)", 31, []string{"dense (Dense)"}},
		{"global_average_pooling1d (GlobalAveragePooling1D)", 31, []string{"global_average_pooling1d", "(GlobalAveragePooling1D)"}},
		{"abcdefgh", 3, []string{"abc", "def", "gh"}},
	} {
		if got := wrap(c.s, c.width); !slices.Equal(got, c.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", c.s, c.width, got, c.want)
		}
	}
}
