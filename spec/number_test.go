package spec

import (
	"encoding/json"
	"testing"
)

func TestToFloat(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want float64
		ok   bool
	}{
		{float64(0.5), 0.5, true},
		{float32(0.25), 0.25, true},
		{int(3), 3, true},
		{int8(-4), -4, true},
		{int16(5), 5, true},
		{int32(-6), -6, true},
		{int64(7), 7, true},
		{uint(8), 8, true},
		{uint8(9), 9, true},
		{uint16(10), 10, true},
		{uint32(11), 11, true},
		{uint64(12), 12, true},
		{json.Number("1e-3"), 1e-3, true},
		{json.Number("abc"), 0, false},
		{"1", 0, false},
		{true, 0, false},
		{nil, 0, false},
		{[]any{1}, 0, false},
	} {
		got, ok := ToFloat(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ToFloat(%#v) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
