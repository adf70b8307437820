package data

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/deepgo-dev/deepgo/tensor"
)

// CSVOptions says which CSV column holds the targets.
type CSVOptions struct {
	// Label is the target column: a header name, or a 0-based column
	// index. Empty means the column named "label" when the header has one,
	// else the last column.
	Label string
	// NoLabel makes every column a feature, for predicting on data without
	// targets.
	NoLabel bool
}

// LoadCSV loads a dataset from a CSV file with one sample a row. The first
// row is a header when one of its cells is not a number. Every other cell
// must be a finite number. Targets that are all integers are class labels
// (NumClasses is set); otherwise they are regression targets. X has shape
// (n, features) and Y (n,).
//
// Errors name the file, the line and the column, e.g.
// `data.csv:17: column "x3": "abc" is not a number`.
func LoadCSV(path string, opt CSVOptions) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	ds, err := parseCSV(bufio.NewReaderSize(f, 1<<16), path, opt)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	return ds, nil
}

// parseCSV reads CSV data from r; name is used in errors and as the source.
func parseCSV(r io.Reader, name string, opt CSVOptions) (*Dataset, error) {
	if opt.NoLabel && opt.Label != "" {
		return nil, fmt.Errorf("%s: label column %q given together with no-label", name, opt.Label)
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // ragged rows are reported below, with both counts
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	read := func() ([]string, error) {
		rec, err := cr.Read()
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
		}
		return rec, err
	}

	first, err := read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: file is empty", name)
	} else if err != nil {
		return nil, err
	}
	first[0] = strings.TrimPrefix(first[0], "\uFEFF") // a byte-order mark some editors write
	width := len(first)
	firstLine, _ := cr.FieldPos(0)
	var header []string
	for _, cell := range first {
		if _, ok := parseNumber(cell); !ok {
			header = make([]string, width)
			for i, c := range first {
				header[i] = strings.TrimSpace(c)
			}
			break
		}
	}
	label, err := labelColumn(name, header, width, opt)
	if err != nil {
		return nil, err
	}
	features := width
	if label >= 0 {
		features--
	}
	if features == 0 {
		return nil, fmt.Errorf("%s: the only column is the label column %s; there are no features", name, columnName(header, label))
	}

	var xs []float32
	var ys []float64
	rows := 0
	rec := first
	if header != nil {
		rec, err = read()
	}
	for ; err == nil; rec, err = read() {
		line, _ := cr.FieldPos(0)
		if len(rec) != width {
			return nil, fmt.Errorf("%s:%d: row has %d columns, want %d as on line %d", name, line, len(rec), width, firstLine)
		}
		for j, cell := range rec {
			v, ok := parseNumber(cell)
			if !ok {
				l, _ := cr.FieldPos(j)
				return nil, fmt.Errorf("%s:%d: column %s: %q is not a number", name, l, columnName(header, j), cell)
			}
			if j == label {
				ys = append(ys, v)
			} else {
				xs = append(xs, float32(v))
			}
		}
		rows++
	}
	if err != io.EOF {
		return nil, err
	}
	if rows == 0 {
		return nil, fmt.Errorf("%s: no data rows after the header", name)
	}
	ds := &Dataset{X: tensor.FromFloat32(xs, rows, features), Source: "csv:" + name}
	if label >= 0 {
		y := make([]float32, rows)
		for i, v := range ys {
			y[i] = float32(v)
		}
		ds.Y = tensor.FromFloat32(y, rows)
		ds.NumClasses = classCount(ds.Y)
	}
	return ds, nil
}

// labelColumn resolves opt to a column index, or -1 for no label column.
func labelColumn(name string, header []string, width int, opt CSVOptions) (int, error) {
	if opt.NoLabel {
		return -1, nil
	}
	if opt.Label == "" {
		for i, h := range header {
			if h == "label" {
				return i, nil
			}
		}
		return width - 1, nil
	}
	for i, h := range header {
		if h == opt.Label {
			return i, nil
		}
	}
	if i, err := strconv.Atoi(opt.Label); err == nil {
		if i < 0 || i >= width {
			return 0, fmt.Errorf("%s: label column index %d out of range: the file has %d columns (0 to %d)", name, i, width, width-1)
		}
		return i, nil
	}
	if header == nil {
		return 0, fmt.Errorf("%s: label column %q: the file has no header row, so give a 0-based column index", name, opt.Label)
	}
	return 0, fmt.Errorf("%s: no column named %q; the header has %s", name, opt.Label, quoteAll(header))
}

// parseNumber parses a cell as a finite number within float32 range,
// ignoring surrounding spaces.
func parseNumber(cell string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(cell), 32) // 32: values must fit a float32 tensor
	return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
}

// columnName names column j for errors: its header name, else its 0-based
// index.
func columnName(header []string, j int) string {
	if header != nil {
		return strconv.Quote(header[j])
	}
	return strconv.Itoa(j)
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}
