package data

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/deepgo-dev/deepgo/tensor"
)

// SeriesForm is the syntax of the series: data form, which [Load] turns
// into sliding windows over a time series stored in a CSV file (one time
// step a row, oldest first; a header row is optional), each window with the
// value that follows it as its target. Its settings, comma-separated after
// the path:
//
//   - window=W (required): rows per window, the model's timesteps.
//   - horizon=H (default 1): the target is the row H steps after the
//     window's last row; 1 is the next step.
//   - stride=S (default 1): rows between the starts of successive windows.
//   - column=C (repeatable; default every column): the feature columns, by
//     header name or 0-based index, in the order given.
//   - target=C (default: the feature columns): the column to predict. Y has
//     shape (windows,) for one target column, (windows, k) for k.
//   - scale=standard: subtract each column's mean and divide by its
//     standard deviation (the population one, as Keras's Normalization
//     layer), both computed on the training rows only, so that validation
//     data is scaled exactly as training data. Targets are scaled too: the
//     model predicts, and its loss and metrics are in, standard units.
//     scale=none (the default) leaves values as they are.
//   - validation_split=F, subset=training|validation: split the series in
//     time, as Keras's validation_split does: the first floor(n·(1−F)) rows
//     are the training subset and the rest the validation (or test)
//     subset. Each subset is windowed on its own, so no window or target
//     crosses the split.
//
// X has shape (windows, W, features), what a recurrent layer expects. The
// windows are those of [TimeseriesDatasetFromArray](data[:n−H],
// data[W+H−1:], W) on the subset's rows. With LoadOptions.NoLabel the
// windows run up to the last row and there are no targets (to forecast
// past the end). For example, the yearly series of a column "sunspots",
// windows of 12 years, training on the first 80 %:
//
//	series:sunspots.csv,window=12,column=sunspots,scale=standard,validation_split=0.2,subset=training
const SeriesForm = `series:PATH.csv,window=W[,horizon=H][,stride=S][,column=C]…[,target=C][,scale=standard][,validation_split=F,subset=training|validation]`

// seriesKeys are the settings the series: form accepts, in the order the
// documentation lists them.
var seriesKeys = []string{"window", "horizon", "stride", "column", "target", "scale", "validation_split", "subset"}

// seriesSpec is a parsed series: form.
type seriesSpec struct {
	path                    string
	window, horizon, stride int
	columns                 []string // feature columns; none means every column
	target                  string   // "" means the feature columns themselves
	standard                bool     // scale=standard
	split                   float64  // validation_split, 0 for none
	subset                  string   // "training" or "validation" when split > 0
}

// loadSeries loads the series: form described at [SeriesForm].
func loadSeries(form string, opt LoadOptions) (*Dataset, error) {
	s, err := parseSeriesForm(form)
	if err != nil {
		return nil, err
	}
	if opt.Label != "" {
		return nil, fmt.Errorf("data: %q: the series form takes its target inside the form (target=%s), not from --label", form, opt.Label)
	}
	raw, err := readDataFile(opt.FS, s.path)
	if err != nil {
		return nil, err
	}
	all, header, err := parseSeriesCSV(raw, s.path)
	if err != nil {
		return nil, err
	}
	cols, err := resolveColumns(s.path, header, all.Dim(1), s.columns)
	if err != nil {
		return nil, err
	}
	targetCols := cols
	if s.target != "" {
		if targetCols, err = resolveColumns(s.path, header, all.Dim(1), []string{s.target}); err != nil {
			return nil, err
		}
	}

	n := all.Dim(0)
	lo, hi := 0, n // the rows of the subset
	trainRows := n
	if s.split > 0 {
		trainRows = int(math.Floor(float64(n) * (1 - s.split)))
		if trainRows == 0 || trainRows == n {
			return nil, fmt.Errorf("data: %s has %d rows, too few to split with validation_split=%v", s.path, n, s.split)
		}
		if s.subset == "training" {
			hi = trainRows
		} else {
			lo = trainRows
		}
	}
	if s.standard {
		if err := standardize(all, trainRows, slices.Concat(cols, targetCols), header, s.path); err != nil {
			return nil, err
		}
	}
	rows := hi - lo
	need := s.window + s.horizon
	if opt.NoLabel {
		need = s.window
	}
	if rows < need {
		part := "the file"
		if s.split > 0 {
			part = fmt.Sprintf("the %s subset (rows %d to %d of %d)", s.subset, lo+1, hi, n)
		}
		return nil, fmt.Errorf("data: %s: %s has %d rows, too few for window=%d and horizon=%d (need at least %d)",
			s.path, part, rows, s.window, s.horizon, need)
	}

	x := pickColumns(all, lo, hi, cols)
	var y *tensor.Tensor
	if !opt.NoLabel {
		// targets[i] belongs to the window starting at row i: the row
		// window+horizon−1 further on, as Keras's forecasting recipe
		// (timeseries_dataset_from_array(data[:-h], data[w+h-1:], w)).
		x = x.Rows(0, rows-s.horizon)
		y = pickColumns(all, lo+s.window+s.horizon-1, hi, targetCols)
		if len(targetCols) == 1 {
			y = y.Reshape(y.Dim(0))
		}
	}
	ds, err := TimeseriesDatasetFromArray(x, y, s.window, TimeseriesOptions{SequenceStride: s.stride})
	if err != nil {
		return nil, fmt.Errorf("%w (in %q)", err, form)
	}
	ds.Source = form
	return ds, nil
}

// parseSeriesForm parses "series:PATH,key=value,…".
func parseSeriesForm(form string) (*seriesSpec, error) {
	parts := strings.Split(strings.TrimPrefix(form, "series:"), ",")
	s := &seriesSpec{path: parts[0], horizon: 1, stride: 1}
	if s.path == "" {
		return nil, fmt.Errorf("data: %q: want %s", form, SeriesForm)
	}
	seen := map[string]bool{}
	for _, kv := range parts[1:] {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || v == "" {
			return nil, fmt.Errorf("data: %q: %q is not key=value (keys: %s)", form, kv, strings.Join(seriesKeys, ", "))
		}
		if seen[k] && k != "column" {
			return nil, fmt.Errorf("data: %q: %s given twice", form, k)
		}
		seen[k] = true
		positive := func(dst *int) error {
			i, err := strconv.Atoi(v)
			if err != nil || i <= 0 {
				return fmt.Errorf("data: %q: %s=%s: want a positive integer", form, k, v)
			}
			*dst = i
			return nil
		}
		var err error
		switch k {
		case "window":
			err = positive(&s.window)
		case "horizon":
			err = positive(&s.horizon)
		case "stride":
			err = positive(&s.stride)
		case "column":
			s.columns = append(s.columns, v)
		case "target":
			s.target = v
		case "scale":
			if v != "standard" && v != "none" {
				err = fmt.Errorf("data: %q: scale=%s: want scale=standard or scale=none", form, v)
			}
			s.standard = v == "standard"
		case "validation_split":
			s.split, err = parseValidationSplit(form, v)
		case "subset":
			s.subset, err = parseSubset(form, v)
		default:
			err = fmt.Errorf("data: %q: unknown setting %q (keys: %s)", form, k, strings.Join(seriesKeys, ", "))
		}
		if err != nil {
			return nil, err
		}
	}
	switch {
	case s.window == 0:
		return nil, fmt.Errorf("data: %q: window=W is required: the number of rows (timesteps) in each window", form)
	case s.split > 0 && s.subset == "":
		return nil, fmt.Errorf("data: %q: validation_split needs subset=training or subset=validation", form)
	case s.split == 0 && s.subset != "":
		return nil, fmt.Errorf("data: %q: subset=%s needs validation_split=F", form, s.subset)
	}
	return s, nil
}

// readDataFile reads path from fsys, or from the operating system when
// fsys is nil.
func readDataFile(fsys fs.FS, path string) ([]byte, error) {
	var (
		b   []byte
		err error
	)
	if fsys != nil {
		b, err = fs.ReadFile(fsys, path)
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	return b, nil
}

// parseSeriesCSV reads every column of a CSV file as features and returns
// them with the header (nil when the file has none). Ragged rows and cells
// that are not numbers are errors naming the file and line, as in LoadCSV.
func parseSeriesCSV(raw []byte, name string) (*tensor.Tensor, []string, error) {
	ds, err := parseCSV(bytes.NewReader(raw), name, CSVOptions{NoLabel: true})
	if err != nil {
		return nil, nil, fmt.Errorf("data: %w", err)
	}
	// parseCSV found the header, if any, by the same rule: a first row with
	// a cell that is not a number.
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.TrimLeadingSpace = true
	first, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("data: %s: %w", name, err)
	}
	first[0] = strings.TrimPrefix(first[0], "\uFEFF")
	for _, cell := range first {
		if _, ok := parseNumber(cell); !ok {
			header := make([]string, len(first))
			for i, c := range first {
				header[i] = strings.TrimSpace(c)
			}
			return ds.X, header, nil
		}
	}
	return ds.X, nil, nil
}

// resolveColumns turns column names or 0-based indices into indices; no
// names means every column.
func resolveColumns(name string, header []string, width int, names []string) ([]int, error) {
	if len(names) == 0 {
		idx := make([]int, width)
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	idx := make([]int, len(names))
	for k, c := range names {
		var err error
		if idx[k], err = labelColumn(name, header, width, CSVOptions{Label: c}); err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
	}
	return idx, nil
}

// pickColumns copies rows [lo, hi) of the given columns of t (rows, width)
// into a new (hi−lo, len(cols)) tensor.
func pickColumns(t *tensor.Tensor, lo, hi int, cols []int) *tensor.Tensor {
	width := t.Dim(1)
	src := t.Float32s()
	out := make([]float32, 0, (hi-lo)*len(cols))
	for r := lo; r < hi; r++ {
		for _, c := range cols {
			out = append(out, src[r*width+c])
		}
	}
	return tensor.FromFloat32(out, hi-lo, len(cols))
}

// standardize scales the columns cols of t (rows, width) in place to zero
// mean and unit variance over the first trainRows rows. A column listed
// twice is scaled once.
func standardize(t *tensor.Tensor, trainRows int, cols []int, header []string, name string) error {
	rows, width := t.Dim(0), t.Dim(1)
	v := t.Float32s()
	done := make([]bool, width)
	for _, c := range cols {
		if done[c] {
			continue
		}
		done[c] = true
		var sum, sq float64
		for r := range trainRows {
			sum += float64(v[r*width+c])
		}
		mean := sum / float64(trainRows)
		for r := range trainRows {
			d := float64(v[r*width+c]) - mean
			sq += d * d
		}
		std := math.Sqrt(sq / float64(trainRows))
		if std == 0 {
			return fmt.Errorf("data: %s: column %s is constant over the %d training rows, so scale=standard cannot scale it",
				name, columnName(header, c), trainRows)
		}
		for r := range rows {
			v[r*width+c] = float32((float64(v[r*width+c]) - mean) / std)
		}
	}
	return nil
}
