package layers_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/layers/layertest"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// ids returns the rows of a Vectorize result as ints.
func ids(t *testing.T, x *tensor.Tensor) [][]int {
	t.Helper()
	var out [][]int
	for i := range x.Dim(0) {
		row := make([]int, x.Dim(1))
		for j := range row {
			row[j] = int(x.At(i, j))
		}
		out = append(out, row)
	}
	return out
}

// TestTextVectorizationKerasExamples replays the two examples of Keras's
// TextVectorization docstring (keras/src/layers/preprocessing/
// text_vectorization.py), whose outputs are printed there.
func TestTextVectorizationKerasExamples(t *testing.T) {
	l := layers.NewTextVectorization(4, layers.WithMaxTokens(5000))
	if err := l.Adapt([]string{"foo bar", "bar baz", "baz bada boom"}); err != nil {
		t.Fatal(err)
	}
	x, err := l.Vectorize([]string{"foo qux bar", "qux baz"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(t, x), [][]int{{4, 1, 3, 0}, {1, 2, 0, 0}}; !reflect.DeepEqual(got, want) {
		t.Errorf("adapted ids %v, want %v (Keras docstring)", got, want)
	}
	// bar and baz appear twice: the tie goes to the larger token, baz.
	if got, want := l.GetVocabulary(), []string{"", "[UNK]", "baz", "bar", "foo", "boom", "bada"}; !reflect.DeepEqual(got, want) {
		t.Errorf("vocabulary %q, want %q", got, want)
	}

	l = layers.NewTextVectorization(4, layers.WithMaxTokens(5000), layers.WithVocabulary([]string{"earth", "wind", "and", "fire"}))
	if got, want := l.GetVocabulary(), []string{"", "[UNK]", "earth", "wind", "and", "fire"}; !reflect.DeepEqual(got, want) {
		t.Errorf("vocabulary %q, want %q (Keras docstring)", got, want)
	}
	if l.VocabularySize() != 6 { // the 4 words, "" and "[UNK]": the list above
		t.Errorf("VocabularySize %d, want 6", l.VocabularySize())
	}
}

func TestTextVectorizationTokens(t *testing.T) {
	cases := []struct {
		standardize, split, text string
		want                     []string
	}{
		{"lower_and_strip_punctuation", "whitespace", "Hello, World!  It's a well-known\tfact.\n",
			[]string{"hello", "world", "its", "a", "wellknown", "fact"}},
		// Only ASCII is lowercased and stripped, as tf.strings.lower without
		// an encoding and Keras's ASCII punctuation class.
		{"lower_and_strip_punctuation", "whitespace", "ÄRGER «Ärger» über B", []string{"Ärger", "«Ärger»", "über", "b"}},
		{"lower", "whitespace", "A-B c.D", []string{"a-b", "c.d"}},
		{"strip_punctuation", "whitespace", "A-B c.D", []string{"AB", "cD"}},
		{"", "whitespace", "A-B c.D", []string{"A-B", "c.D"}},
		{"lower", "character", "Ab é", []string{"a", "b", " ", "é"}},
		{"lower", "", "Ab Cd", []string{"ab cd"}},
		{"lower", "whitespace", " \t\r\n", nil},
	}
	for _, c := range cases {
		l := layers.NewTextVectorization(3, layers.WithStandardize(c.standardize), layers.WithSplit(c.split))
		if got := l.Tokens(c.text); !reflect.DeepEqual(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("standardize %q split %q: Tokens(%q) = %q, want %q", c.standardize, c.split, c.text, got, c.want)
		}
	}
}

func TestTextVectorizationMaxTokensAndLength(t *testing.T) {
	// Counts: a 2, b 2, c 1, d 1; ties go to the larger token (Keras's
	// np.lexsort((tokens, counts))[::-1]), so the order is b a d c, and
	// max_tokens 4 keeps "", "[UNK]", b, a.
	l := layers.NewTextVectorization(3, layers.WithMaxTokens(4))
	if err := l.Adapt([]string{"b a c", "a b d"}); err != nil {
		t.Fatal(err)
	}
	if got, want := l.GetVocabulary(), []string{"", "[UNK]", "b", "a"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("vocabulary %q, want %q", got, want)
	}
	x, err := l.Vectorize([]string{"a b c d a", "", "B"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(t, x), [][]int{{3, 2, 1}, {0, 0, 0}, {2, 0, 0}}; !reflect.DeepEqual(got, want) {
		t.Errorf("ids %v, want %v (truncated to 3, padded with 0, c is OOV)", got, want)
	}
	if x.DType() != tensor.Float32 {
		t.Errorf("dtype %v, want float32", x.DType())
	}
}

func TestTextVectorizationConformance(t *testing.T) {
	newLayer := func() layers.Layer {
		return layers.NewTextVectorization(5, layers.WithVocabulary([]string{"x", "y"}), layers.WithStandardize(""), layers.WithSplit("character"))
	}
	layertest.Check(t, newLayer(), []int{5})
	layertest.CheckKernel(t, newLayer, []int{5})
	l := newLayer()
	if err := l.Build([]int{1}, nil); err != nil {
		t.Errorf("Build((1,)): %v", err)
	}
	if got := l.OutputShape(); !reflect.DeepEqual(got, []int{5}) {
		t.Errorf("OutputShape %v, want [5]", got)
	}
}

// TestTextVectorizationSpec reads Keras's arguments, as a Keras config
// writes them, and round-trips the config (vocabulary and nulls included)
// through the spec's JSON.
func TestTextVectorizationSpec(t *testing.T) {
	src := `{"input": [1], "layers": [{"text_vectorization": {"max_tokens": 10, "standardize": null, "split": "whitespace",
		"ngrams": null, "output_mode": "int", "output_sequence_length": 6, "pad_to_max_tokens": false, "sparse": false,
		"ragged": false, "vocabulary": ["", "[UNK]", "Hi", "there"], "idf_weights": null, "encoding": "utf-8",
		"vocabulary_size": 4}}]}`
	s, err := spec.Parse([]byte(src), "keras.json")
	if err != nil {
		t.Fatal(err)
	}
	l, err := layers.FromSpec(s.Layers[0])
	if err != nil {
		t.Fatal(err)
	}
	tv := l.(*layers.TextVectorization)
	if tv.Standardize != "" || tv.Split != "whitespace" || tv.MaxTokens != 10 || tv.SequenceLength != 6 {
		t.Errorf("read %+v", tv)
	}
	x, _ := tv.Vectorize([]string{"Hi there hi"})
	if got, want := ids(t, x), [][]int{{2, 3, 1, 0, 0, 0}}; !reflect.DeepEqual(got, want) {
		t.Errorf("ids %v, want %v (no standardization: hi is OOV)", got, want)
	}
	// Round trip through JSON.
	out := &spec.Spec{Input: []int{1}, Layers: []spec.Layer{layers.ToSpec(tv)}}
	js, err := out.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	s2, err := spec.Parse(js, "roundtrip.json")
	if err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	l2, err := layers.FromSpec(s2.Layers[0])
	if err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	if !reflect.DeepEqual(l2.Config(), tv.Config()) {
		t.Errorf("round trip config %v, want %v", l2.Config(), tv.Config())
	}
}

func TestTextVectorizationErrors(t *testing.T) {
	bad := []struct {
		args spec.Args
		want string
	}{
		{nil, "output_sequence_length is required"},
		{spec.Args{{Name: "output_sequence_length", Value: 4}, {Name: "output_mode", Value: "multi_hot"}}, `output_mode "multi_hot"`},
		{spec.Args{{Name: "output_sequence_length", Value: 4}, {Name: "ngrams", Value: 2}}, "ngrams"},
		{spec.Args{{Name: "output_sequence_length", Value: 4}, {Name: "max_tokens", Value: 1}}, "max_tokens must be greater than 1"},
		{spec.Args{{Name: "output_sequence_length", Value: 4}, {Name: "standardize", Value: "upper"}}, "standardize"},
		{spec.Args{{Name: "output_sequence_length", Value: 4}, {Name: "vocabulary", Value: []any{"a", "[UNK]"}}}, "OOV token"},
		{spec.Args{{Name: "output_sequence_length", Value: 4}, {Name: "vocabulary", Value: []any{"a", "b", "a"}}}, "repeated"},
		{spec.Args{{Name: "output_sequence_length", Value: 4}, {Name: "vocabulary", Value: []any{"a", 3}}}, "list of strings"},
		{spec.Args{{Name: "output_sequence_length", Value: 4}, {Name: "max_tokens", Value: 3},
			{Name: "vocabulary", Value: []any{"a", "b"}}}, "more than max_tokens 3"},
	}
	for _, c := range bad {
		_, err := layers.FromSpec(layertest.Spec("text_vectorization", c.args...))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("args %v: error %v, want one containing %q", c.args, err, c.want)
		}
	}
	l := layers.NewTextVectorization(4)
	l.SetName("tv")
	if _, err := l.Vectorize([]string{"a"}); err == nil || !strings.Contains(err.Error(), "no vocabulary") {
		t.Errorf("Vectorize before Adapt: error %v, want \"no vocabulary\"", err)
	}
	if err := l.Adapt([]string{"", " ,. "}); err == nil || !strings.Contains(err.Error(), "no tokens") {
		t.Errorf("Adapt on texts without tokens: error %v", err)
	}
	if err := l.Build([]int{3}, nil); err == nil || !strings.Contains(err.Error(), "input: [1]") {
		t.Errorf("Build((3,)): error %v, want a hint at input: [1]", err)
	}
}

// FuzzTextVectorization checks that any text vectorizes without a panic
// into ids inside the vocabulary, and that adapting on a text makes each
// of its first tokens known (never OOV).
func FuzzTextVectorization(f *testing.F) {
	for _, s := range []string{"foo bar", "Hello, World!", "\xff\xfe a", "", "[UNK] [UNK]", "é È ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, split := range []string{"whitespace", "character", ""} {
			l := layers.NewTextVectorization(8, layers.WithSplit(split))
			if err := l.Adapt([]string{text}); err != nil {
				continue // no tokens
			}
			x, err := l.Vectorize([]string{text, "zzz " + text})
			if err != nil {
				t.Fatal(err)
			}
			for i := range x.Len() {
				if id := int(x.AtFlat(i)); id < 0 || id >= l.VocabularySize() {
					t.Fatalf("id %d outside the vocabulary of %d", id, l.VocabularySize())
				}
			}
			for j := range 8 {
				if x.At(0, j) == 1 {
					t.Fatalf("split %q: token %d of the adapted text %q is OOV", split, j, text)
				}
			}
		}
	})
}

// A TextVectorization adapted on a few texts turns new texts into padded
// sequences of ids: 0 is padding, 1 an unknown word, and the most
// frequent words get the smallest ids.
func ExampleTextVectorization() {
	l := layers.NewTextVectorization(5, layers.WithMaxTokens(100))
	if err := l.Adapt([]string{"The cat sat.", "The dog sat!", "A cat?"}); err != nil {
		panic(err)
	}
	fmt.Println(l.GetVocabulary())
	x, err := l.Vectorize([]string{"The bird sat", "the CAT, the cat, the cat"})
	if err != nil {
		panic(err)
	}
	fmt.Println(x.Float32s())
	// Output:
	// [ [UNK] the sat cat dog a]
	// [2 1 3 0 0 2 4 2 4 2]
}
