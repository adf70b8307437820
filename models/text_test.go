package models_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/models"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

const textSpec = `
input: [1]
layers:
  - text_vectorization: {max_tokens: 40, output_sequence_length: 6}
  - embedding: {input_dim: 40, output_dim: 8, mask_zero: true}
  - global_average_pooling1d
  - dense: {units: 2, activation: softmax}
compile:
  optimizer: {adam: {learning_rate: 0.05}}
  loss: sparse_categorical_crossentropy
  metrics: [accuracy]
`

// reviews is a small corpus whose class shows in its words: class 1
// ("pos") texts hold a positive word, class 0 ("neg") a negative one.
func reviews() *data.Dataset {
	pos := []string{"good", "great", "fine", "superb"}
	neg := []string{"bad", "awful", "poor", "boring"}
	filler := []string{"the film was", "a", "it is a", "what a movie,", "honestly"}
	ds := &data.Dataset{Source: "reviews", ClassNames: []string{"neg", "pos"}, NumClasses: 2}
	var y []float32
	for i := range 48 {
		words, label := neg, 0
		if i%2 == 1 {
			words, label = pos, 1
		}
		ds.Texts = append(ds.Texts, fmt.Sprintf("%s %s %s!", filler[i%len(filler)], words[(i/2)%4], filler[(i/3)%len(filler)]))
		y = append(y, float32(label))
	}
	ds.Y = tensor.FromFloat32(y, len(y))
	return ds
}

func textModel(t *testing.T, src string) *models.Sequential {
	t.Helper()
	s, err := spec.Parse([]byte(src), "text.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := models.FromSpec(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTextModel trains a text classifier on raw texts, saves it and checks
// that the loaded model vectorizes and predicts exactly as the trained one,
// with its vocabulary and class names, without adapting again.
func TestTextModel(t *testing.T) {
	m := textModel(t, textSpec)
	train, err := m.TextData(reviews(), true)
	if err != nil {
		t.Fatal(err)
	}
	if got := train.X.Shape(); !reflect.DeepEqual(got, []int{48, 6}) {
		t.Fatalf("vectorized shape %v, want [48 6]", got)
	}
	if err := m.SetClassNames(train.ClassNames); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(train.X, train.Y, models.FitOptions{Epochs: 30, BatchSize: 8, Verbose: models.VerboseSilent}); err != nil {
		t.Fatal(err)
	}
	logs, err := m.Evaluate(train.X, train.Y, 16)
	if err != nil {
		t.Fatal(err)
	}
	if acc, _ := logs.Get("accuracy"); acc < 0.95 {
		t.Errorf("training accuracy %.3f after 30 epochs, want at least 0.95 (the words decide the class)", acc)
	}
	texts := []string{"What a GREAT film", "awful, awful", "unknown words only"}
	want, err := m.PredictTexts(texts, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want.At(0, 1) < 0.5 || want.At(1, 0) < 0.5 {
		t.Errorf("predictions %v: want pos for the first text and neg for the second", want)
	}

	path := filepath.Join(t.TempDir(), "text.deepgo")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := models.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(loaded.TextVectorizer().GetVocabulary(), m.TextVectorizer().GetVocabulary()) {
		t.Errorf("loaded vocabulary %q, want %q", loaded.TextVectorizer().GetVocabulary(), m.TextVectorizer().GetVocabulary())
	}
	if !reflect.DeepEqual(loaded.ClassNames(), []string{"neg", "pos"}) {
		t.Errorf("loaded class names %q", loaded.ClassNames())
	}
	got, err := loaded.PredictTexts(texts, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Float32s(), want.Float32s()) {
		t.Errorf("loaded model predicts %v, trained one %v", got, want)
	}
	if adapted, err := loaded.AdaptText([]string{"completely new words"}); adapted || err != nil {
		t.Errorf("AdaptText on a loaded model: adapted %v, %v; want its saved vocabulary kept", adapted, err)
	}
	var summary bytes.Buffer
	if err := loaded.Summary(&summary); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary.String(), "text_vectorization              │ (None, 6)") {
		t.Errorf("summary:\n%s", summary.String())
	}
}

func TestTextModelErrors(t *testing.T) {
	m := textModel(t, textSpec)
	if _, err := m.PredictTexts([]string{"a"}, 0); err == nil || !strings.Contains(err.Error(), "no vocabulary") {
		t.Errorf("PredictTexts before adapting: %v", err)
	}
	if _, err := m.Predict(tensor.Zeros(2, 1), 0); err == nil || !strings.Contains(err.Error(), "want (samples, 6)") {
		t.Errorf("Predict on (2, 1): %v, want the ids' shape in the message", err)
	}
	if err := m.SetClassNames([]string{"a", "b", "c"}); err == nil {
		t.Errorf("SetClassNames with 3 names for 2 outputs: no error")
	}
	small := textModel(t, strings.Replace(textSpec, "input_dim: 40", "input_dim: 10", 1))
	if _, err := small.TextData(reviews(), true); err == nil || !strings.Contains(err.Error(), "input_dim 10") {
		t.Errorf("a vocabulary larger than the embedding: %v", err)
	}
	numeric := textModel(t, "input: [3]\nlayers: [{dense: {units: 2}}]\n")
	if _, err := numeric.TextData(reviews(), true); err == nil || !strings.Contains(err.Error(), "not text_vectorization") {
		t.Errorf("texts for a numeric model: %v", err)
	}
	if _, err := numeric.PredictTexts([]string{"a"}, 0); err == nil {
		t.Errorf("PredictTexts on a numeric model: no error")
	}
}
