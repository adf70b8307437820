package data

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/deepgo-dev/deepgo/tensor"
)

// LoadOptions adjusts how Load reads a dataset.
type LoadOptions struct {
	// Label picks the CSV target column by name or 0-based index (the
	// --label flag); see CSVOptions.
	Label string
	// NoLabel reads a CSV without a target column: every column is a
	// feature (for predict). A series: form then windows the whole series,
	// up to its last row, without targets.
	NoLabel bool
	// FS, when not nil, is where the csv: and series: forms open their
	// file, e.g. an embed.FS of files built into the program (the built-in
	// examples use it); nil means the operating system's files.
	FS fs.FS
}

// Forms lists the data specifications Load accepts, one a line, for help
// and error messages.
const Forms = `mnist, mnist:train, mnist:test   the built-in MNIST digits
idx:IMAGES,LABELS                a pair of IDX files (gzipped or not); LABELS may be omitted
csv:PATH                         one sample a row, header optional
npy:X.npy[,Y.npy]                NumPy arrays, first axis = samples
series:PATH.csv,window=W[,…]     windows of a time series in a CSV file, each with the value after it as target
text:DIR[,validation_split=F,…]  one sub-folder per class, one .txt file per sample
lines:FILE                       one text per line, no labels (for predict)`

// Load reads the dataset that spec names: "mnist" (the training split),
// "mnist:train", "mnist:test", "idx:IMAGES[,LABELS]", "csv:PATH",
// "npy:X.npy[,Y.npy]" or "series:PATH.csv,window=W[,…]" (its settings are
// described at [SeriesForm]). "text:DIR[,…]" ([TextForm]) and "lines:FILE"
// ([LoadLines]) give texts (Dataset.Texts) for a model that starts with
// text_vectorization. An unknown form is an error listing the accepted
// ones.
func Load(spec string, opt LoadOptions) (*Dataset, error) {
	kind, arg, _ := strings.Cut(spec, ":")
	switch kind {
	case "mnist":
		if arg == "" {
			arg = "train"
		}
		if arg != "train" && arg != "test" {
			return nil, fmt.Errorf("data: %q: unknown MNIST split %q (want mnist:train or mnist:test)", spec, arg)
		}
		return LoadMNIST(arg)
	case "idx":
		images, labels, _ := strings.Cut(arg, ",")
		if images == "" {
			return nil, fmt.Errorf("data: %q: want idx:IMAGES,LABELS", spec)
		}
		return LoadIDX(images, labels)
	case "csv":
		if arg == "" {
			return nil, fmt.Errorf("data: %q: want csv:PATH", spec)
		}
		if opt.FS != nil {
			raw, err := readDataFile(opt.FS, arg)
			if err != nil {
				return nil, err
			}
			ds, err := parseCSV(bytes.NewReader(raw), arg, CSVOptions{Label: opt.Label, NoLabel: opt.NoLabel})
			if err != nil {
				return nil, fmt.Errorf("data: %w", err)
			}
			return ds, nil
		}
		return LoadCSV(arg, CSVOptions{Label: opt.Label, NoLabel: opt.NoLabel})
	case "npy":
		xPath, yPath, _ := strings.Cut(arg, ",")
		if xPath == "" {
			return nil, fmt.Errorf("data: %q: want npy:X.npy or npy:X.npy,Y.npy", spec)
		}
		return loadNPYPair(xPath, yPath)
	case "series":
		return loadSeries(spec, opt)
	case "text":
		return loadTextForm(spec, opt)
	case "lines":
		if arg == "" {
			return nil, fmt.Errorf("data: %q: want lines:FILE", spec)
		}
		return loadLines(opt.FS, arg)
	}
	hint := ""
	switch ext := strings.ToLower(filepath.Ext(spec)); ext {
	case ".csv":
		hint = fmt.Sprintf(" (did you mean csv:%s?)", spec)
	case ".npy":
		hint = fmt.Sprintf(" (did you mean npy:%s?)", spec)
	}
	return nil, fmt.Errorf("data: unknown data form %q%s; the accepted forms are:\n%s", spec, hint, Forms)
}

// loadNPYPair loads features from xPath and, when yPath is not empty,
// targets from yPath; targets of an integer or bool dtype are class labels.
func loadNPYPair(xPath, yPath string) (*Dataset, error) {
	x, _, err := loadNPY(xPath)
	if err != nil {
		return nil, err
	}
	ds := &Dataset{X: x, Source: "npy:" + xPath}
	if x.Rank() == 0 {
		return nil, fmt.Errorf("data: %s holds a scalar; want an array whose first axis is samples", xPath)
	}
	if yPath == "" {
		return ds, nil
	}
	ds.Source += "," + yPath
	y, dt, err := loadNPY(yPath)
	if err != nil {
		return nil, err
	}
	if y.Rank() == 0 || y.Dim(0) != x.Dim(0) {
		return nil, fmt.Errorf("data: %s has shape %s but %s has shape %s: want one target row per sample",
			yPath, tensor.ShapeString(y.Shape()), xPath, tensor.ShapeString(x.Shape()))
	}
	ds.Y = y
	if dt.isInteger() {
		ds.NumClasses = classCount(y)
	}
	return ds, nil
}
