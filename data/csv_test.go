package data

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadCSV(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		opt     CSVOptions
		x       []float32
		shape   []int
		y       []float32 // nil: no targets
		classes int
	}{
		{"header, label column by name", "a,label,b\n1,0,2\n3,2,4\n", CSVOptions{},
			[]float32{1, 2, 3, 4}, []int{2, 2}, []float32{0, 2}, 3},
		{"no header, last column", "1,2,1\n3,4,0\n", CSVOptions{},
			[]float32{1, 2, 3, 4}, []int{2, 2}, []float32{1, 0}, 2},
		{"header without label, last column", "x1,x2,price\n1,2,3.5\n4,5,-1\n", CSVOptions{},
			[]float32{1, 2, 4, 5}, []int{2, 2}, []float32{3.5, -1}, 0},
		{"label by name", "x1,x2,y\n1,2,3\n", CSVOptions{Label: "x1"},
			[]float32{2, 3}, []int{1, 2}, []float32{1}, 2},
		{"label by index", "1,2,3\n4,5,6\n", CSVOptions{Label: "0"},
			[]float32{2, 3, 5, 6}, []int{2, 2}, []float32{1, 4}, 5},
		{"no label", "a,b\n1,2\n3,4\n", CSVOptions{NoLabel: true},
			[]float32{1, 2, 3, 4}, []int{2, 2}, nil, 0},
		{"spaces, quotes, CRLF, BOM, blank line", "\uFEFF a , \"b\"\r\n 1 , \"2\"\r\n\r\n3,4\r\n", CSVOptions{},
			[]float32{1, 3}, []int{2, 1}, []float32{2, 4}, 5},
		{"float labels that are integers", "1,2.0\n3,1e0\n", CSVOptions{},
			[]float32{1, 3}, []int{2, 1}, []float32{2, 1}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "d.csv", []byte(tc.text), false)
			ds, err := LoadCSV(path, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ds.X.Shape(), tc.shape) || !slices.Equal(ds.X.Float32s(), tc.x) {
				t.Errorf("X: got %v %v, want %v %v", ds.X.Shape(), ds.X.Float32s(), tc.shape, tc.x)
			}
			switch {
			case tc.y == nil && ds.Y != nil:
				t.Errorf("Y: got %v, want nil", ds.Y)
			case tc.y != nil && (ds.Y == nil || !slices.Equal(ds.Y.Float32s(), tc.y)):
				t.Errorf("Y: got %v, want %v", ds.Y, tc.y)
			}
			if ds.NumClasses != tc.classes {
				t.Errorf("NumClasses: got %d, want %d", ds.NumClasses, tc.classes)
			}
		})
	}
}

func TestLoadCSVErrors(t *testing.T) {
	tests := []struct {
		name, text string
		opt        CSVOptions
		want       string // the error must contain it, after "d.csv"
	}{
		{"non-number with header", "x1,x2,x3,label\n1,2,3,0\n1,2,abc,1\n", CSVOptions{},
			`d.csv:3: column "x3": "abc" is not a number`},
		{"non-number without header", "1,2,0\n1,,1\n", CSVOptions{},
			`d.csv:2: column 1: "" is not a number`},
		{"not finite", "a,b\n1,NaN\n", CSVOptions{}, `d.csv:2: column "b": "NaN" is not a number`},
		{"beyond float32", "a,b\n1,1e39\n", CSVOptions{}, `"1e39" is not a number`},
		{"ragged", "a,b,c\n1,2,3\n4,5\n", CSVOptions{}, "d.csv:3: row has 2 columns, want 3 as on line 1"},
		{"bad quote", "a,b\n1,\"2\n", CSVOptions{}, "d.csv:2:"},
		{"empty", "", CSVOptions{}, "d.csv: file is empty"},
		{"header only", "a,b\n", CSVOptions{}, "no data rows"},
		{"only a label", "label\n1\n", CSVOptions{}, "no features"},
		{"unknown label name", "a,b\n1,2\n", CSVOptions{Label: "y"}, `no column named "y"; the header has "a", "b"`},
		{"label index out of range", "1,2\n", CSVOptions{Label: "2"}, "index 2 out of range"},
		{"label name without header", "1,2\n", CSVOptions{Label: "y"}, "no header row"},
		{"label and no-label", "1,2\n", CSVOptions{Label: "0", NoLabel: true}, "no-label"},
	}
	for _, tc := range tests {
		path := writeFile(t, t.TempDir(), "d.csv", []byte(tc.text), false)
		_, err := LoadCSV(path, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	missing := filepath.Join(t.TempDir(), "missing.csv")
	if _, err := LoadCSV(missing, CSVOptions{}); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: got %v, want an error naming %s", err, missing)
	}
}

func FuzzLoadCSV(f *testing.F) {
	f.Add([]byte("a,label,b\n1,0,2\n3,2,4\n"), "")
	f.Add([]byte("1,2,1\n3,4,0\n"), "0")
	f.Add([]byte("x,y\n1.5,\"2\"\r\n"), "x")
	f.Add([]byte("a,b\n1,2\n3\n"), "")
	f.Fuzz(func(t *testing.T, in []byte, label string) {
		ds, err := parseCSV(bytes.NewReader(in), "fuzz.csv", CSVOptions{Label: label})
		if err != nil {
			return
		}
		if err := ds.Validate(); err != nil {
			t.Fatal(err)
		}
		if ds.X.Rank() != 2 || ds.Y == nil || ds.Y.Dim(0) != ds.X.Dim(0) {
			t.Fatalf("got X %v, Y %v: want (n, k) and (n,)", ds.X.Shape(), ds.Y)
		}
	})
}
