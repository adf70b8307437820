package data

import (
	"math"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// seriesCSV has a row per step: a = step, b = 10·step (values worked out
// by hand below follow from that).
const seriesCSV = "a,b\n0,0\n1,10\n2,20\n3,30\n4,40\n5,50\n6,60\n7,70\n8,80\n9,90\n"

func TestLoadSeries(t *testing.T) {
	path := writeFile(t, t.TempDir(), "s.csv", []byte(seriesCSV), false)
	tests := []struct {
		settings string
		noLabel  bool
		xShape   []int
		x        []float32
		yShape   []int // nil: no targets
		y        []float32
	}{
		// Windows of rows i…i+2 of both columns; target row i+3 (both
		// columns): i = 0…6.
		{"window=3", false, []int{7, 3, 2}, nil, []int{7, 2},
			[]float32{3, 30, 4, 40, 5, 50, 6, 60, 7, 70, 8, 80, 9, 90}},
		// Column a, target b four rows after the window's start
		// (window 3 + horizon 2 − 1): starts 0, 2, 4 (start 6 would need row 10).
		{"window=3,horizon=2,stride=2,column=a,target=b", false, []int{3, 3, 1},
			[]float32{0, 1, 2, 2, 3, 4, 4, 5, 6}, []int{3}, []float32{40, 60, 80}},
		// Columns by index and in the order given.
		{"window=1,column=1,column=0,target=a", false, []int{9, 1, 2},
			[]float32{0, 0, 10, 1, 20, 2, 30, 3, 40, 4, 50, 5, 60, 6, 70, 7, 80, 8}, []int{9},
			[]float32{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		// Rows 0…4 are the training subset, 5…9 the validation subset.
		{"window=2,column=a,validation_split=0.5,subset=training", false, []int{3, 2, 1},
			[]float32{0, 1, 1, 2, 2, 3}, []int{3}, []float32{2, 3, 4}},
		{"window=2,column=a,validation_split=0.5,subset=validation", false, []int{3, 2, 1},
			[]float32{5, 6, 6, 7, 7, 8}, []int{3}, []float32{7, 8, 9}},
		// Without targets the windows run to the last row.
		{"window=8,column=b", true, []int{3, 8, 1}, nil, nil, nil},
	}
	for _, tc := range tests {
		form := "series:" + path + "," + tc.settings
		ds, err := Load(form, LoadOptions{NoLabel: tc.noLabel})
		if err != nil {
			t.Errorf("%s: %v", tc.settings, err)
			continue
		}
		if !slices.Equal(ds.X.Shape(), tc.xShape) || (tc.x != nil && !slices.Equal(ds.X.Float32s(), tc.x)) {
			t.Errorf("%s: X %v %v, want %v %v", tc.settings, ds.X.Shape(), ds.X.Float32s(), tc.xShape, tc.x)
		}
		if tc.yShape == nil {
			if ds.Y != nil {
				t.Errorf("%s: targets %v, want none", tc.settings, ds.Y.Shape())
			}
		} else if ds.Y == nil || !slices.Equal(ds.Y.Shape(), tc.yShape) || !slices.Equal(ds.Y.Float32s(), tc.y) {
			t.Errorf("%s: Y %v, want %v %v", tc.settings, ds.Y, tc.yShape, tc.y)
		}
		if ds.Source != form || ds.NumClasses != 0 {
			t.Errorf("%s: source %q, %d classes; want %q, 0", tc.settings, ds.Source, ds.NumClasses, form)
		}
	}
}

// TestLoadSeriesScale checks scale=standard against the statistics of the
// training rows only: a = 0…4 there, mean 2 and population std √2.
func TestLoadSeriesScale(t *testing.T) {
	fsys := fstest.MapFS{"dir/s.csv": {Data: []byte(seriesCSV)}}
	form := "series:dir/s.csv,window=2,column=a,scale=standard,validation_split=0.5,subset=validation"
	ds, err := Load(form, LoadOptions{FS: fsys})
	if err != nil {
		t.Fatal(err)
	}
	r2 := math.Sqrt2
	want := []float64{3 / r2, 4 / r2, 4 / r2, 5 / r2, 5 / r2, 6 / r2}
	wantY := []float64{5 / r2, 6 / r2, 7 / r2}
	for i, w := range want {
		if got := ds.X.AtFlat(i); math.Abs(got-w) > 1e-6 {
			t.Errorf("X[%d] = %v, want %v", i, got, w)
		}
	}
	for i, w := range wantY {
		if got := ds.Y.AtFlat(i); math.Abs(got-w) > 1e-6 {
			t.Errorf("Y[%d] = %v, want %v", i, got, w)
		}
	}
	// The csv: form reads from the same file system.
	if ds, err := Load("csv:dir/s.csv", LoadOptions{FS: fsys}); err != nil || ds.Len() != 10 {
		t.Errorf("csv from FS: %v, %v", ds, err)
	}
}

func TestLoadSeriesErrors(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "s.csv", []byte(seriesCSV), false)
	ragged := writeFile(t, dir, "r.csv", []byte("a,b\n1,2\n3\n"), false)
	constant := writeFile(t, dir, "c.csv", []byte("a\n1\n1\n1\n2\n"), false)
	tests := []struct {
		form string
		opt  LoadOptions
		want string
	}{
		{"series:", LoadOptions{}, "want series:PATH.csv,window=W"},
		{"series:" + path, LoadOptions{}, "window=W is required"},
		{"series:" + path + ",window=0", LoadOptions{}, "window=0: want a positive integer"},
		{"series:" + path + ",window=3,horizon=-1", LoadOptions{}, "horizon=-1: want a positive integer"},
		{"series:" + path + ",window=3,window=4", LoadOptions{}, "window given twice"},
		{"series:" + path + ",window=3,lookback=2", LoadOptions{}, `unknown setting "lookback" (keys: window, horizon`},
		{"series:" + path + ",window=3,stride", LoadOptions{}, `"stride" is not key=value`},
		{"series:" + path + ",window=3,scale=minmax", LoadOptions{}, "scale=minmax: want scale=standard or scale=none"},
		{"series:" + path + ",window=3,validation_split=1.5,subset=training", LoadOptions{}, "validation_split=1.5: want a fraction"},
		{"series:" + path + ",window=3,validation_split=0.2", LoadOptions{}, "validation_split needs subset=training or subset=validation"},
		{"series:" + path + ",window=3,subset=training", LoadOptions{}, "subset=training needs validation_split"},
		{"series:" + path + ",window=3,validation_split=0.2,subset=test", LoadOptions{}, "subset=test: want subset=training or subset=validation"},
		{"series:" + path + ",window=3,column=c", LoadOptions{}, `no column named "c"; the header has "a", "b"`},
		{"series:" + path + ",window=3,target=5", LoadOptions{}, "label column index 5 out of range"},
		{"series:" + path + ",window=10", LoadOptions{}, "the file has 10 rows, too few for window=10 and horizon=1 (need at least 11)"},
		{"series:" + path + ",window=3,validation_split=0.5,subset=validation,horizon=3", LoadOptions{},
			"the validation subset (rows 6 to 10 of 10) has 5 rows, too few for window=3 and horizon=3 (need at least 6)"},
		{"series:" + path + ",window=3", LoadOptions{Label: "b"}, "takes its target inside the form (target=b)"},
		{"series:" + ragged + ",window=1", LoadOptions{}, "r.csv:3: row has 1 columns, want 2 as on line 1"},
		{"series:" + constant + ",window=1,scale=standard,validation_split=0.25,subset=training", LoadOptions{},
			`column "a" is constant over the 3 training rows`},
		{"series:" + dir + "/nope.csv" + ",window=1", LoadOptions{}, "nope.csv"},
	}
	for _, tc := range tests {
		_, err := Load(tc.form, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.form, err, tc.want)
		}
	}
}

// FuzzSeriesForm feeds arbitrary settings to the series: form: any input
// gives a dataset whose windows and targets line up, or an error, never a
// panic.
func FuzzSeriesForm(f *testing.F) {
	fsys := fstest.MapFS{"s.csv": {Data: []byte(seriesCSV)}}
	for _, s := range []string{"window=3", "window=2,horizon=3,stride=2,column=b,target=a",
		"window=1,scale=standard,validation_split=0.3,subset=validation", "window=9,column=1,column=0", "window=,=", "window=3,stride=99"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, settings string, noLabel bool) {
		ds, err := Load("series:s.csv,"+settings, LoadOptions{FS: fsys, NoLabel: noLabel})
		if err != nil {
			return
		}
		if ds.X.Rank() != 3 || ds.Len() == 0 {
			t.Fatalf("%q: X shape %v", settings, ds.X.Shape())
		}
		if err := ds.Validate(); err != nil {
			t.Fatalf("%q: %v", settings, err)
		}
	})
}
