package data

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// TestTimeseriesByHand checks windows worked out by hand on the series
// 0, 1, …, 9 (values = row numbers, targets = 10 × row number).
func TestTimeseriesByHand(t *testing.T) {
	data := tensor.FromFloat32([]float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10)
	targets := tensor.FromFloat32([]float32{0, 10, 20, 30, 40, 50, 60, 70, 80, 90}, 10)
	tests := []struct {
		name  string
		seq   int
		opt   TimeseriesOptions
		wantX [][]float32
		wantY []float32
	}{
		// 10 rows, windows of 3: starts 0…7 (8 windows); targets[start].
		{"defaults", 3, TimeseriesOptions{},
			[][]float32{{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 6}, {5, 6, 7}, {6, 7, 8}, {7, 8, 9}},
			[]float32{0, 10, 20, 30, 40, 50, 60, 70}},
		// Starts 0, 3, 6 (a start at 9 would need rows 9…11).
		{"stride 3", 3, TimeseriesOptions{SequenceStride: 3},
			[][]float32{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}, []float32{0, 30, 60}},
		// Rows p, p+2, p+4: the last start is 5 (rows 5, 7, 9).
		{"sampling rate 2", 3, TimeseriesOptions{SamplingRate: 2},
			[][]float32{{0, 2, 4}, {1, 3, 5}, {2, 4, 6}, {3, 5, 7}, {4, 6, 8}, {5, 7, 9}},
			[]float32{0, 10, 20, 30, 40, 50}},
		// Rows [2, 7): windows of 2 start at 2…5; end_index is exclusive.
		{"start and end", 2, TimeseriesOptions{StartIndex: 2, EndIndex: 7},
			[][]float32{{2, 3}, {3, 4}, {4, 5}, {5, 6}}, []float32{20, 30, 40, 50}},
	}
	for _, tc := range tests {
		ds, err := TimeseriesDatasetFromArray(data, targets, tc.seq, tc.opt)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got, want := ds.X.Shape(), []int{len(tc.wantX), tc.seq}; !slices.Equal(got, want) {
			t.Errorf("%s: X shape %v, want %v", tc.name, got, want)
			continue
		}
		for k, w := range tc.wantX {
			if got := ds.X.Float32s()[k*tc.seq : (k+1)*tc.seq]; !slices.Equal(got, w) {
				t.Errorf("%s: window %d = %v, want %v", tc.name, k, got, w)
			}
		}
		if !slices.Equal(ds.Y.Float32s(), tc.wantY) {
			t.Errorf("%s: targets %v, want %v", tc.name, ds.Y.Float32s(), tc.wantY)
		}
	}
}

// TestTimeseriesKeras compares with windows computed by the NumPy code
// path of Keras's timeseries_dataset_from_array (testdata/gen_timeseries.py).
func TestTimeseriesKeras(t *testing.T) {
	raw, err := os.ReadFile("testdata/timeseries.json")
	if err != nil {
		t.Fatal(err)
	}
	type array struct {
		Shape []int     `json:"shape"`
		Data  []float64 `json:"data"`
	}
	var ref struct {
		Cases []struct {
			Name                string
			Data, Targets, X, Y *array
			SequenceLength      int `json:"sequence_length"`
			SequenceStride      int `json:"sequence_stride"`
			SamplingRate        int `json:"sampling_rate"`
			StartIndex          int `json:"start_index"`
			EndIndex            int `json:"end_index"`
		}
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	toTensor := func(a *array) *tensor.Tensor {
		if a == nil {
			return nil
		}
		return tensor.FromFloat64(a.Data, a.Shape...)
	}
	check := func(name, what string, got *tensor.Tensor, want *array) {
		t.Helper()
		if (got == nil) != (want == nil) {
			t.Errorf("%s: %s present %v, want %v", name, what, got != nil, want != nil)
			return
		}
		if want == nil {
			return
		}
		if !slices.Equal(got.Shape(), want.Shape) || !slices.Equal(got.Float64s(), want.Data) {
			t.Errorf("%s: %s = %v %v, want %v %v", name, what, got.Shape(), got.Float64s(), want.Shape, want.Data)
		}
	}
	if len(ref.Cases) == 0 {
		t.Fatal("no cases in testdata/timeseries.json")
	}
	for _, c := range ref.Cases {
		ds, err := TimeseriesDatasetFromArray(toTensor(c.Data), toTensor(c.Targets), c.SequenceLength, TimeseriesOptions{
			SequenceStride: c.SequenceStride, SamplingRate: c.SamplingRate, StartIndex: c.StartIndex, EndIndex: c.EndIndex})
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		check(c.Name, "X", ds.X, c.X)
		check(c.Name, "Y", ds.Y, c.Y)
	}
}

func TestTimeseriesShuffle(t *testing.T) {
	data := tensor.FromFloat32([]float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10, 1)
	ds, err := TimeseriesDatasetFromArray(data, data, 2, TimeseriesOptions{Shuffle: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	// Each window still starts at its target's row and holds the next row:
	// shuffling reorders windows, it does not mix them.
	var starts []float32
	for k := range ds.Len() {
		x0, x1, y := ds.X.At(k, 0, 0), ds.X.At(k, 1, 0), ds.Y.At(k, 0)
		if x0 != y || x1 != x0+1 {
			t.Errorf("window %d = [%v %v] with target %v", k, x0, x1, y)
		}
		starts = append(starts, float32(x0))
	}
	sorted := slices.Sorted(slices.Values(starts))
	if slices.Equal(starts, sorted) {
		t.Errorf("windows are in order %v after shuffling", starts)
	}
	if want := []float32{0, 1, 2, 3, 4, 5, 6, 7, 8}; !slices.Equal(sorted, want) {
		t.Errorf("window starts %v, want a permutation of %v", sorted, want)
	}
}

func TestTimeseriesErrors(t *testing.T) {
	data := tensor.Zeros(10, 2)
	tests := []struct {
		seq     int
		targets *tensor.Tensor
		opt     TimeseriesOptions
		want    string
	}{
		{0, nil, TimeseriesOptions{}, "sequence_length must be positive, got 0"},
		{3, nil, TimeseriesOptions{StartIndex: 10}, "start_index 10"},
		{3, nil, TimeseriesOptions{StartIndex: -1}, "start_index -1"},
		{3, nil, TimeseriesOptions{EndIndex: 11}, "end_index 11"},
		{3, nil, TimeseriesOptions{StartIndex: 5, EndIndex: 4}, "end_index 4 must be higher than start_index 5"},
		{3, nil, TimeseriesOptions{SamplingRate: -2}, "sampling_rate -2"},
		{3, nil, TimeseriesOptions{SamplingRate: 10}, "sampling_rate 10"},
		{3, nil, TimeseriesOptions{SequenceStride: 10}, "sequence_stride 10"},
		{11, nil, TimeseriesOptions{}, "no window fits: sequence_length 11 with sampling_rate 1 spans 11 rows"},
		{3, tensor.Zeros(2), TimeseriesOptions{StartIndex: 5}, "targets have 2 rows, none at or after start_index 5"},
	}
	for _, tc := range tests {
		_, err := TimeseriesDatasetFromArray(data, tc.targets, tc.seq, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("seq %d %+v: got %v, want an error containing %q", tc.seq, tc.opt, err, tc.want)
		}
	}
	// The edge that fits: 4 steps at rate 3 cover rows 0, 3, 6, 9 of 10.
	if ds, err := TimeseriesDatasetFromArray(data, nil, 4, TimeseriesOptions{SamplingRate: 3}); err != nil || ds.Len() != 1 {
		t.Errorf("4 steps at rate 3 on 10 rows: got %v windows, error %v; want 1 window", ds.Len(), err)
	}
	if _, err := TimeseriesDatasetFromArray(tensor.Scalar(1), nil, 1, TimeseriesOptions{}); err == nil {
		t.Error("scalar data: got no error")
	}
}
