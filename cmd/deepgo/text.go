package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/models"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Text on the command line. A model whose first layer is text_vectorization
// trains on text:DIR (its vocabulary adapted on the training texts, unless
// it has one), evaluates on text:DIR and predicts on text:DIR, lines:FILE
// (one text a line; lines:/dev/stdin reads standard input) or --text
// "…" (repeatable). Training records the class folders' names in the
// model file; predict --labels prints them.

// textFlag collects the values of a repeatable --text flag.
type textFlag []string

func (t *textFlag) String() string     { return strings.Join(*t, " | ") }
func (t *textFlag) Set(v string) error { *t = append(*t, v); return nil }

// textData vectorizes the text datasets of a training run: the training
// data (adapting the model's vocabulary), the test data and the validation
// data in opt; it also gives the model the training data's class names.
// Other datasets pass unchanged.
func textData(m *models.Sequential, train, test *data.Dataset, opt *models.FitOptions) (*data.Dataset, *data.Dataset, error) {
	if train.Texts != nil && opt.ValidationSplit > 0 && opt.ValidationData == nil {
		// Fit holds out the last samples, and a text folder lists its
		// samples class by class: the validation data would be the last
		// classes only.
		return nil, nil, usageError{fmt.Sprintf("validation split %v with %s would hold out its last classes only: "+
			"use --val text:DIR, or the form's own split: --data text:DIR,validation_split=F,subset=training "+
			"--val text:DIR,validation_split=F,subset=validation", opt.ValidationSplit, train.Source)}
	}
	train, err := m.TextData(train, true)
	if err != nil {
		return nil, nil, err
	}
	if train.ClassNames != nil {
		// A model with another number of outputs than classes keeps no
		// names; its labels are checked by Fit.
		_ = m.SetClassNames(train.ClassNames)
	}
	if opt.ValidationData, err = m.TextData(opt.ValidationData, false); err != nil {
		return nil, nil, err
	}
	if test, err = m.TextData(test, false); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// predictData loads what predict runs on: the --text values, or the --data
// form, vectorized when the model takes texts.
func predictData(m *models.Sequential, form string, texts []string) (*data.Dataset, error) {
	var ds *data.Dataset
	switch {
	case len(texts) > 0 && form != "":
		return nil, usageError{"--text and --data cannot be combined"}
	case len(texts) > 0:
		ds = &data.Dataset{Texts: texts, Source: "--text"}
	case form == "":
		return nil, usageError{"--data (or --text) is required"}
	default:
		var err error
		if ds, err = loadPredictData(form, m); err != nil {
			return nil, err
		}
	}
	return m.TextData(ds, false)
}

// writeLabeledCSV writes writeCSV's rows, each followed by the predicted
// class: the argmax of the outputs (for one sigmoid output, 1 when it is
// at least 0.5), written as its name when names has it, else as its index.
func writeLabeledCSV(w io.Writer, y *tensor.Tensor, names []string) error {
	bw := bufio.NewWriter(w)
	n := y.Dim(0)
	per := 1
	if n > 0 {
		per = y.Len() / n
	}
	for i := range n {
		class, best := 0, y.AtFlat(i*per)
		for j := range per {
			v := y.AtFlat(i*per + j)
			if j > 0 {
				bw.WriteByte(',')
				if v > best {
					class, best = j, v
				}
			}
			bw.WriteString(strconv.FormatFloat(v, 'g', -1, 32))
		}
		if per == 1 && best >= 0.5 {
			class = 1
		}
		bw.WriteByte(',')
		if class < len(names) {
			bw.WriteString(csvField(names[class]))
		} else {
			bw.WriteString(strconv.Itoa(class))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// csvField quotes s when CSV needs it.
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
