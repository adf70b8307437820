package models

import (
	"encoding/json"
	"fmt"

	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Text models. A Sequential whose first layer is a TextVectorization takes
// raw texts: its spec's input is [1], one string per sample, as
// keras.Input(shape=(1,), dtype="string"). Strings never enter the layers'
// Call: the model turns texts into ids with the layer's vocabulary
// (VectorizeTexts) and runs the numeric layers on the ids, the
// TextVectorization itself passing them through. So Fit, Evaluate,
// Predict and Call take the ids, of shape (samples, output_sequence_length),
// and TextData, PredictTexts and the command line take texts.
//
// The vocabulary is adapted once, on the training texts (AdaptText); it is
// saved in the model file's config, so a loaded model vectorizes exactly as
// the trained one did and is not adapted again.

// TextVectorizer returns the model's first layer when it is a
// TextVectorization (the model takes texts), and nil otherwise.
func (m *Sequential) TextVectorizer() *layers.TextVectorization {
	if len(m.layers) == 0 {
		return nil
	}
	tv, _ := m.layers[0].(*layers.TextVectorization)
	return tv
}

// numericInput is one sample's shape as the numeric layers take it: the
// model's input shape, or for a text model the ids' (output_sequence_length,).
func (m *Sequential) numericInput() []int {
	if tv := m.TextVectorizer(); tv != nil {
		return []int{tv.SequenceLength}
	}
	return m.input
}

// AdaptText builds the TextVectorization's vocabulary from texts (Keras's
// adapt), when it has none yet: a vocabulary given in the spec or loaded
// with the model is kept, so that continuing to train a saved model keeps
// its ids. It reports whether it adapted.
func (m *Sequential) AdaptText(texts []string) (bool, error) {
	tv, err := m.builtVectorizer()
	if err != nil {
		return false, err
	}
	if tv.HasVocabulary() {
		return false, nil
	}
	if err := tv.Adapt(texts); err != nil {
		return false, err
	}
	return true, m.checkVocabulary()
}

// checkVocabulary reports an Embedding (or any layer with an input_dim)
// right after the TextVectorization that is too small for its ids.
func (m *Sequential) checkVocabulary() error {
	tv := m.TextVectorizer()
	if tv == nil || len(m.layers) < 2 {
		return nil
	}
	for _, a := range m.layers[1].Config() {
		if a.Name != "input_dim" {
			continue
		}
		if dim, ok := a.Value.(int); ok && dim < tv.VocabularySize() {
			return fmt.Errorf("layer %s has input_dim %d but %s makes ids up to %d (a vocabulary of %d with \"\" and \"[UNK]\"): "+
				"set input_dim to max_tokens, or max_tokens to at most %d", m.layers[1].Name(), dim, tv.Name(),
				tv.VocabularySize()-1, tv.VocabularySize(), dim)
		}
	}
	return nil
}

// VectorizeTexts returns the ids of texts, (len(texts),
// output_sequence_length) float32, the input of Fit, Evaluate and Predict.
func (m *Sequential) VectorizeTexts(texts []string) (*tensor.Tensor, error) {
	tv, err := m.builtVectorizer()
	if err != nil {
		return nil, err
	}
	return tv.Vectorize(texts)
}

// builtVectorizer builds the model and returns its TextVectorization, or
// an error when the model does not take texts.
func (m *Sequential) builtVectorizer() (*layers.TextVectorization, error) {
	tv := m.TextVectorizer()
	if tv == nil {
		return nil, fmt.Errorf("the model takes numbers, not texts: its first layer is not text_vectorization")
	}
	return tv, m.Build()
}

// TextData returns ds ready for the model: for a dataset of texts (text:DIR,
// lines:FILE) a copy whose X holds their ids, after adapting the
// vocabulary on them when adapt is set and the model has none (training
// data); other datasets unchanged. Texts given to a model that does not
// start with text_vectorization are an error.
func (m *Sequential) TextData(ds *data.Dataset, adapt bool) (*data.Dataset, error) {
	if ds == nil || ds.Texts == nil {
		return ds, nil
	}
	if m.TextVectorizer() == nil {
		return nil, fmt.Errorf("%s holds texts, but the model's first layer is not text_vectorization "+
			"(a text model starts with input: [1] and a text_vectorization layer)", ds.Source)
	}
	if adapt {
		if _, err := m.AdaptText(ds.Texts); err != nil {
			return nil, fmt.Errorf("%s: %w", ds.Source, err)
		}
	}
	x, err := m.VectorizeTexts(ds.Texts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ds.Source, err)
	}
	out := *ds
	out.X = x
	return &out, nil
}

// PredictTexts returns the model's outputs for raw texts, as Predict does
// for their ids.
func (m *Sequential) PredictTexts(texts []string, batchSize int) (*tensor.Tensor, error) {
	x, err := m.VectorizeTexts(texts)
	if err != nil {
		return nil, err
	}
	return m.Predict(x, batchSize)
}

// ClassNames names the model's output classes (index i for output i), as
// recorded from the training data's class folders by SetClassNames; nil
// when unknown. They are saved in the model file's metadata.json.
func (m *Sequential) ClassNames() []string { return m.classNames }

// SetClassNames records the names of the output classes. A list whose
// length is not the model's number of outputs is an error.
func (m *Sequential) SetClassNames(names []string) error {
	if names == nil {
		m.classNames = nil
		return nil
	}
	if err := m.Build(); err != nil {
		return err
	}
	out := m.OutputShape()
	if len(out) == 0 || out[len(out)-1] != len(names) {
		return fmt.Errorf("%d class names (%v) for a model with output shape %s", len(names), names, tensor.ShapeString(out))
	}
	m.classNames = append([]string(nil), names...)
	return nil
}

// classNamesFromMetadata reads "class_names" from a model file's
// metadata.json; it returns nil when there are none.
func classNamesFromMetadata(meta []byte) []string {
	var md struct {
		ClassNames []string `json:"class_names"`
	}
	if len(meta) == 0 || json.Unmarshal(meta, &md) != nil {
		return nil
	}
	return md.ClassNames
}
