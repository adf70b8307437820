package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/deepgo-dev/deepgo/callbacks"
	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/examples"
	"github.com/deepgo-dev/deepgo/models"
	"github.com/deepgo-dev/deepgo/spec"
)

var errHelp = errors.New("help shown")

// parse parses flags, turning flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// isModelFile reports whether path holds a saved model (a zip) rather
// than a spec.
func isModelFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return strings.HasSuffix(path, ".deepgo")
	}
	defer f.Close()
	magic := make([]byte, 4)
	n, _ := io.ReadFull(f, magic)
	return bytes.Equal(magic[:n], []byte("PK\x03\x04"))
}

// loadModel builds a model from a spec file or loads a saved one. For a
// spec it also returns the spec's fit defaults.
func loadModel(path string, seed uint64) (*models.Sequential, *spec.Fit, error) {
	if path == "" {
		return nil, nil, usageError{"--model is required"}
	}
	if isModelFile(path) {
		m, err := models.Load(path)
		return m, nil, err
	}
	s, err := spec.ParseFile(path)
	if err != nil {
		return nil, nil, err
	}
	m, err := models.FromSpec(s, seed)
	return m, s.Fit, err
}

func loadData(form, label string, noLabel bool) (*data.Dataset, error) {
	if form == "" {
		return nil, usageError{"--data is required"}
	}
	return data.Load(form, data.LoadOptions{Label: label, NoLabel: noLabel})
}

func runTrain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("deepgo train", flag.ContinueOnError)
	example := fs.String("example", "", "train a built-in example (see deepgo examples)")
	modelPath := fs.String("model", "", "spec file (YAML or JSON), or a saved .deepgo model to continue training")
	dataForm := fs.String("data", "", "training data: "+formsHelp)
	valForm := fs.String("val", "", "validation data, same forms as --data")
	valSplit := fs.Float64("validation-split", 0, "hold out the last fraction of the training data for validation")
	label := fs.String("label", "", "CSV target column (name or 0-based index)")
	epochs := fs.Int("epochs", 0, "epochs (default: the spec's fit.epochs, else 1)")
	batch := fs.Int("batch-size", 0, "mini-batch size (default: the spec's fit.batch_size, else 32)")
	seed := fs.Uint64("seed", models.DefaultSeed, "seed for weights, shuffling and dropout")
	out := fs.String("out", "", "where to save the trained model (default: NAME.deepgo)")
	jsonOut := fs.Bool("json", false, "print one JSON object per epoch instead of the progress bar")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	var (
		m       *models.Sequential
		fit     *spec.Fit
		train   *data.Dataset
		test    *data.Dataset
		val     *data.Dataset
		outPath = *out
		err     error
	)
	if *example != "" {
		if *modelPath != "" || *dataForm != "" {
			return usageError{"--example cannot be combined with --model or --data"}
		}
		ex, err := examples.Get(*example)
		if err != nil {
			return usageError{err.Error()}
		}
		src, err := ex.Spec()
		if err != nil {
			return err
		}
		s, err := spec.Parse(src, "examples/"+ex.SpecFile)
		if err != nil {
			return err
		}
		if m, err = models.FromSpec(s, *seed); err != nil {
			return err
		}
		fit = s.Fit
		if train, err = data.Load(ex.Train, data.LoadOptions{FS: examples.Files}); err != nil {
			return err
		}
		if test, err = data.Load(ex.Test, data.LoadOptions{FS: examples.Files}); err != nil {
			return err
		}
		if outPath == "" {
			outPath = ex.Name + ".deepgo"
		}
	} else {
		if m, fit, err = loadModel(*modelPath, *seed); err != nil {
			return err
		}
		if train, err = loadData(*dataForm, *label, false); err != nil {
			return err
		}
		if outPath == "" {
			base := filepath.Base(*modelPath)
			outPath = strings.TrimSuffix(base, filepath.Ext(base)) + ".deepgo"
		}
	}
	if m.Optimizer() == nil {
		return fmt.Errorf("%s: the spec has no compile section (optimizer and loss)", *modelPath)
	}
	if *valForm != "" {
		if val, err = data.Load(*valForm, data.LoadOptions{Label: *label}); err != nil {
			return err
		}
	}
	opt := models.FitOptions{Epochs: 1, BatchSize: 32, ValidationData: val, Output: stdout}
	if fit != nil {
		if fit.Epochs > 0 {
			opt.Epochs = fit.Epochs
		}
		if fit.BatchSize > 0 {
			opt.BatchSize = fit.BatchSize
		}
		opt.ValidationSplit = fit.ValidationSplit
		if fit.Shuffle != nil {
			opt.NoShuffle = !*fit.Shuffle
		}
		if fit.Verbose != nil {
			opt.Verbose = models.Verbosity(*fit.Verbose + 1)
		}
		for _, n := range fit.Callbacks {
			cb, err := callbacks.FromSpec(n, stdout)
			if err != nil {
				return err
			}
			opt.Callbacks = append(opt.Callbacks, cb)
		}
	}
	if isSet(fs, "epochs") {
		opt.Epochs = *epochs
	}
	if isSet(fs, "batch-size") {
		opt.BatchSize = *batch
	}
	if isSet(fs, "validation-split") {
		opt.ValidationSplit = *valSplit
	}
	if opt.Epochs <= 0 || opt.BatchSize <= 0 {
		return usageError{fmt.Sprintf("--epochs and --batch-size must be positive, got %d and %d", opt.Epochs, opt.BatchSize)}
	}
	if *jsonOut {
		opt.Verbose = models.VerboseSilent
		opt.Callbacks = append(opt.Callbacks, callbacks.JSONLines(stdout))
	}
	if train, test, err = textData(m, train, test, &opt); err != nil {
		return err
	}
	if _, err := m.Fit(train.X, train.Y, opt); err != nil {
		return fmt.Errorf("%s: %w", train.Source, err)
	}
	if test != nil {
		logs, err := m.Evaluate(test.X, test.Y, 1000)
		if err != nil {
			return fmt.Errorf("%s: %w", test.Source, err)
		}
		if *jsonOut {
			fmt.Fprintln(stdout, logsJSON(logs, "test_"))
		} else {
			fmt.Fprintf(stdout, "Test (%s, %d samples):%s\n", test.Source, test.Len(), logsText(logs))
		}
	}
	if err := m.Save(outPath); err != nil {
		return err
	}
	if !*jsonOut {
		fmt.Fprintf(stdout, "Saved model to %s\n", outPath)
	}
	return nil
}

const formsHelp = "mnist, mnist:train, mnist:test, idx:IMAGES,LABELS, csv:PATH, npy:X.npy[,Y.npy], text:DIR, lines:FILE, series:PATH.csv,window=N"

func logsText(l *callbacks.Logs) string {
	var b strings.Builder
	for i, k := range l.Keys {
		fmt.Fprintf(&b, " %s: %.4f", k, l.Values[i])
		if i < len(l.Keys)-1 {
			b.WriteString(" -")
		}
	}
	return b.String()
}

// logsJSON writes logs as one JSON object with keys in order, each
// prefixed; NaN and infinities become null.
func logsJSON(l *callbacks.Logs, prefix string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range l.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(prefix + k))
		b.WriteByte(':')
		b.WriteString(jsonNumber(l.Values[i]))
	}
	b.WriteByte('}')
	return b.String()
}

func jsonNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "null"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// loadSaved loads the saved model that --model names.
func loadSaved(path string) (*models.Sequential, error) {
	if path == "" {
		return nil, usageError{"--model is required"}
	}
	return models.Load(path)
}

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("deepgo eval", flag.ContinueOnError)
	modelPath := fs.String("model", "", "saved .deepgo model")
	dataForm := fs.String("data", "", "data: "+formsHelp)
	label := fs.String("label", "", "CSV target column (name or 0-based index)")
	batch := fs.Int("batch-size", 32, "batch size")
	jsonOut := fs.Bool("json", false, "print one JSON object")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	m, err := loadSaved(*modelPath)
	if err != nil {
		return err
	}
	if m.Optimizer() == nil {
		return fmt.Errorf("%s: the model was saved without a loss; nothing to evaluate", *modelPath)
	}
	ds, err := loadData(*dataForm, *label, false)
	if err != nil {
		return err
	}
	if ds, err = m.TextData(ds, false); err != nil {
		return err
	}
	logs, err := m.Evaluate(ds.X, ds.Y, *batch)
	if err != nil {
		return fmt.Errorf("%s: %w", ds.Source, err)
	}
	if *jsonOut {
		fmt.Fprintln(stdout, logsJSON(logs, ""))
	} else {
		fmt.Fprintf(stdout, "%d samples:%s\n", ds.Len(), logsText(logs))
	}
	return nil
}

func runPredict(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("deepgo predict", flag.ContinueOnError)
	modelPath := fs.String("model", "", "saved .deepgo model")
	dataForm := fs.String("data", "", "data: "+formsHelp+" (targets optional)")
	out := fs.String("out", "", "output file: .npy for NumPy, anything else CSV (default: CSV on stdout)")
	batch := fs.Int("batch-size", 32, "batch size")
	var texts textFlag
	fs.Var(&texts, "text", "a text to classify (repeatable), for a model that starts with text_vectorization; replaces --data")
	labels := fs.Bool("labels", false, "end each CSV row with the predicted class: its name when the model knows class names, else its index")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	m, err := loadSaved(*modelPath)
	if err != nil {
		return err
	}
	ds, err := predictData(m, *dataForm, texts)
	if err != nil {
		return err
	}
	y, err := m.Predict(ds.X, *batch)
	if err != nil {
		return fmt.Errorf("%s: %w", ds.Source, err)
	}
	if strings.HasSuffix(*out, ".npy") {
		return data.SaveNPY(*out, y)
	}
	write := func(w io.Writer) error { return writeCSV(w, y) }
	if *labels {
		write = func(w io.Writer) error { return writeLabeledCSV(w, y, m.ClassNames()) }
	}
	if *out == "" {
		return write(stdout)
	}
	return atomicWrite(*out, write)
}

// loadPredictData loads a --data form for prediction. A CSV holds only
// features when its width equals the model's input size, and otherwise a
// label column too; it is read once as features only, and again only when
// that width says it has a label.
func loadPredictData(form string, m *models.Sequential) (*data.Dataset, error) {
	if !strings.HasPrefix(form, "csv:") {
		return data.Load(form, data.LoadOptions{})
	}
	ds, err := data.Load(form, data.LoadOptions{NoLabel: true})
	if err != nil {
		return nil, err
	}
	in := 1
	for _, d := range m.InputShape() {
		in *= d
	}
	if ds.X.Dim(-1) == in {
		return ds, nil
	}
	return data.Load(form, data.LoadOptions{})
}

func runSummary(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("deepgo summary", flag.ContinueOnError)
	modelPath := fs.String("model", "", "spec file or saved .deepgo model")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	m, _, err := loadModel(*modelPath, models.DefaultSeed)
	if err != nil {
		return err
	}
	return m.Summary(stdout)
}

func runGraph(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("deepgo graph", flag.ContinueOnError)
	modelPath := fs.String("model", "", "spec file or saved .deepgo model")
	out := fs.String("out", "", "write the DOT text here instead of stdout")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	m, _, err := loadModel(*modelPath, models.DefaultSeed)
	if err != nil {
		return err
	}
	if *out == "" {
		return m.WriteDOT(stdout)
	}
	return atomicWrite(*out, m.WriteDOT)
}

func runExamples(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("deepgo examples", flag.ContinueOnError)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	for _, e := range examples.All {
		fmt.Fprintf(stdout, "%-12s %s\n", e.Name, e.Description)
	}
	return nil
}
