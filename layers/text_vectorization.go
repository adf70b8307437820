package layers

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// The two special tokens of a TextVectorization vocabulary, as Keras's:
// index 0 is padding (the mask token ""), index 1 stands for every token
// that is out of the vocabulary.
const (
	PadToken = ""
	OOVToken = "[UNK]"
)

// TextVectorization turns raw strings into fixed-length sequences of token
// ids, as Keras's TextVectorization with output_mode="int":
//
//  1. standardize: "lower_and_strip_punctuation" (the default) lowercases
//     ASCII letters and deletes ASCII punctuation, "lower" only lowercases,
//     "strip_punctuation" only deletes, "" (Keras's None) leaves the text
//     alone. Like Keras (tf.strings.lower without an encoding, and its
//     punctuation regex) only ASCII is touched: "Ä" stays "Ä".
//  2. split: "whitespace" (the default) cuts at runs of ASCII whitespace,
//     "character" makes every Unicode character a token, "" (None) keeps
//     the whole text as one token.
//  3. look up: a token's id is its index in the vocabulary; 0 is padding,
//     1 ("[UNK]") is any token not in the vocabulary.
//  4. pad or truncate to output_sequence_length: ids after the last token
//     are 0; tokens past the length are dropped.
//
// The vocabulary comes from the vocabulary argument or from Adapt, which
// keeps the max_tokens−2 most frequent tokens. It is part of Config, so it
// lands in the model file's config.json and a loaded model vectorizes
// exactly as the trained one did. (Keras keeps an adapted vocabulary in a
// vocabulary.txt asset; deepgo's model file has one config, so it goes
// there, in Keras's get_vocabulary form with "" and "[UNK]" first.)
//
// Strings never flow through Call: a model whose first layer is a
// TextVectorization vectorizes its texts (Vectorize) before the numeric
// layers run, so Call, and the Kernel's Forward, receive the ids already
// and are the identity. The layer is built on the input shape (1,), one
// string per sample as keras.Input(shape=(1,), dtype="string"), or on the
// shape of the ids, (output_sequence_length,). Its output is float32 ids of
// shape (output_sequence_length,) per sample, what Embedding takes.
type TextVectorization struct {
	base
	MaxTokens      int    // vocabulary size with "" and "[UNK]"; 0 for no limit
	Standardize    string // "lower_and_strip_punctuation", "lower", "strip_punctuation" or "" (None)
	Split          string // "whitespace", "character" or "" (None)
	SequenceLength int    // output_sequence_length

	vocab []string       // the tokens at ids 2, 3, … (without the special tokens)
	index map[string]int // token → id
}

// TextOption sets an optional TextVectorization argument.
type TextOption func(*TextVectorization)

// WithMaxTokens bounds the vocabulary size, the padding and OOV tokens
// included (Keras max_tokens; default: no bound).
func WithMaxTokens(n int) TextOption { return func(l *TextVectorization) { l.MaxTokens = n } }

// WithStandardize selects the standardization ("" for none).
func WithStandardize(s string) TextOption { return func(l *TextVectorization) { l.Standardize = s } }

// WithSplit selects how a text is cut into tokens ("" for not at all).
func WithSplit(s string) TextOption { return func(l *TextVectorization) { l.Split = s } }

// WithVocabulary sets the vocabulary, as Keras's vocabulary argument: the
// tokens in id order, with or without "" and "[UNK]" in front.
func WithVocabulary(v []string) TextOption {
	return func(l *TextVectorization) {
		if err := l.SetVocabulary(v); err != nil {
			l.fail("%v", err)
		}
	}
}

// NewTextVectorization returns a TextVectorization layer that makes
// sequences of outputSequenceLength ids, with Keras's defaults: no bound on
// the vocabulary, "lower_and_strip_punctuation", "whitespace".
func NewTextVectorization(outputSequenceLength int, opts ...TextOption) *TextVectorization {
	l := &TextVectorization{SequenceLength: outputSequenceLength,
		Standardize: "lower_and_strip_punctuation", Split: "whitespace"}
	for _, o := range opts {
		o(l)
	}
	if outputSequenceLength <= 0 {
		l.fail("output_sequence_length is required and must be a positive integer, got %d "+
			"(deepgo's models take sequences of one fixed length)", outputSequenceLength)
	}
	if l.MaxTokens < 0 || l.MaxTokens == 1 {
		l.fail("max_tokens must be greater than 1 (it counts the padding and OOV tokens), got %d", l.MaxTokens)
	}
	if !slices.Contains([]string{"lower_and_strip_punctuation", "lower", "strip_punctuation", ""}, l.Standardize) {
		l.fail("standardize %q: want \"lower_and_strip_punctuation\", \"lower\", \"strip_punctuation\" or null", l.Standardize)
	}
	if !slices.Contains([]string{"whitespace", "character", ""}, l.Split) {
		l.fail("split %q: want \"whitespace\", \"character\" or null", l.Split)
	}
	if l.MaxTokens > 0 && l.VocabularySize() > l.MaxTokens {
		l.fail("vocabulary has %d entries with \"\" and \"[UNK]\", more than max_tokens %d", l.VocabularySize(), l.MaxTokens)
	}
	return l
}

func (*TextVectorization) ClassName() string { return "TextVectorization" }

// Config writes Keras's arguments; vocabulary holds the whole vocabulary
// (see GetVocabulary) once there is one.
func (l *TextVectorization) Config() spec.Args {
	orNil := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	var maxTokens any
	if l.MaxTokens > 0 {
		maxTokens = l.MaxTokens
	}
	args := spec.Args{
		{Name: "max_tokens", Value: maxTokens},
		{Name: "standardize", Value: orNil(l.Standardize)},
		{Name: "split", Value: orNil(l.Split)},
		{Name: "output_mode", Value: "int"},
		{Name: "output_sequence_length", Value: l.SequenceLength},
	}
	if v := l.GetVocabulary(); v != nil {
		args = append(args, spec.Arg{Name: "vocabulary", Value: v})
	}
	return args
}

// Build accepts one string per sample, (1,), or the ids, (output_sequence_length,).
func (l *TextVectorization) Build(in []int, _ *rand.Rand) error {
	if err := l.configErr(); err != nil {
		return shapeErr(l, "%v", err)
	}
	if len(in) != 1 || (in[0] != 1 && in[0] != l.SequenceLength) {
		return shapeErr(l, "input shape %s: want (1,), one string per sample as keras.Input(shape=(1,), dtype=\"string\") "+
			"(in a spec: input: [1]), or the ids' shape (%d,)", tensor.ShapeString(in), l.SequenceLength)
	}
	l.outShape = []int{l.SequenceLength}
	return nil
}

// Call is the identity: x already holds the ids (see the type's comment).
func (l *TextVectorization) Call(_ *Context, x *autograd.Value) *autograd.Value { return x }

// Fast is always true: the kernel is the identity, like Call.
func (l *TextVectorization) Fast() bool { return true }

// Forward returns x, the ids, unchanged.
func (l *TextVectorization) Forward(_ *Context, x *tensor.Tensor) *tensor.Tensor { return x }

// Backward passes dy through (ids are not differentiable; nothing before
// this layer needs the gradient, but the identity keeps the contract).
func (l *TextVectorization) Backward(dy *tensor.Tensor, needDX bool) *tensor.Tensor {
	if !needDX {
		return nil
	}
	return dy
}

// HasVocabulary reports whether the layer can vectorize: a vocabulary was
// given or adapted.
func (l *TextVectorization) HasVocabulary() bool { return l.index != nil }

// VocabularySize is the number of ids the layer produces, "" and "[UNK]"
// included (Keras's vocabulary_size), or 0 before it has a vocabulary. An
// Embedding after it needs input_dim of at least this.
func (l *TextVectorization) VocabularySize() int {
	if l.index == nil {
		return 0
	}
	return len(l.vocab) + 2
}

// GetVocabulary returns the vocabulary in id order, "" and "[UNK]" first,
// as Keras's get_vocabulary(); nil before there is one.
func (l *TextVectorization) GetVocabulary() []string {
	if l.index == nil {
		return nil
	}
	return append([]string{PadToken, OOVToken}, l.vocab...)
}

// SetVocabulary replaces the vocabulary with v, the tokens in id order.
// When v starts with "" and "[UNK]" (GetVocabulary's form) they are taken
// as the special tokens; elsewhere they, and repeated tokens, are errors,
// as in Keras's set_vocabulary.
func (l *TextVectorization) SetVocabulary(v []string) error {
	if len(v) >= 2 && v[0] == PadToken && v[1] == OOVToken {
		v = v[2:]
	}
	index := make(map[string]int, len(v))
	for i, tok := range v {
		switch {
		case tok == PadToken:
			return fmt.Errorf("vocabulary: the padding token \"\" is at position %d; it may only come first, followed by %q", i, OOVToken)
		case tok == OOVToken:
			return fmt.Errorf("vocabulary: the OOV token %q is at position %d; it may only come second, after \"\"", OOVToken, i)
		}
		if _, dup := index[tok]; dup {
			return fmt.Errorf("vocabulary: token %q is repeated (position %d)", tok, i)
		}
		index[tok] = i + 2
	}
	if l.MaxTokens > 0 && len(v)+2 > l.MaxTokens {
		return fmt.Errorf("vocabulary has %d entries with \"\" and \"[UNK]\", more than max_tokens %d", len(v)+2, l.MaxTokens)
	}
	l.vocab, l.index = slices.Clone(v), index
	return nil
}

// Adapt builds the vocabulary from texts, as Keras's adapt: every token of
// every text is counted, and the vocabulary is the tokens by count, most
// frequent first, ties broken by the tokens themselves in reverse byte
// order (Keras sorts with np.lexsort((tokens, counts))[::-1]), cut to
// max_tokens−2. It replaces any vocabulary the layer had.
func (l *TextVectorization) Adapt(texts []string) error {
	if err := l.configErr(); err != nil {
		return fmt.Errorf("%s: %w", l.ClassName(), err)
	}
	counts := map[string]int{}
	for _, t := range texts {
		for _, tok := range l.Tokens(t) {
			counts[tok]++
		}
	}
	delete(counts, PadToken)
	delete(counts, OOVToken)
	if len(counts) == 0 {
		return fmt.Errorf("text_vectorization %s: adapt found no tokens in %d texts", l.Name(), len(texts))
	}
	toks := make([]string, 0, len(counts))
	for tok := range counts {
		toks = append(toks, tok)
	}
	slices.SortFunc(toks, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(b, a)
	})
	if l.MaxTokens > 0 && len(toks) > l.MaxTokens-2 {
		toks = toks[:l.MaxTokens-2]
	}
	return l.SetVocabulary(toks)
}

// Vectorize returns the ids of texts, float32 of shape (len(texts),
// output_sequence_length). It fails before the layer has a vocabulary.
func (l *TextVectorization) Vectorize(texts []string) (*tensor.Tensor, error) {
	if err := l.configErr(); err != nil {
		return nil, fmt.Errorf("%s: %w", l.ClassName(), err)
	}
	if l.index == nil {
		return nil, fmt.Errorf("text_vectorization %s has no vocabulary: adapt it on training texts or give it a vocabulary", l.Name())
	}
	n, seq := len(texts), l.SequenceLength
	out := tensor.Zeros(n, seq)
	ids := out.Float32s()
	for i, t := range texts {
		row := ids[i*seq : (i+1)*seq]
		for j, tok := range l.Tokens(t) {
			if j == seq {
				break
			}
			id, ok := l.index[tok]
			if !ok {
				id = 1
			}
			row[j] = float32(id)
		}
	}
	return out, nil
}

// Tokens standardizes and splits one text, before the vocabulary lookup.
// Bytes that are not valid UTF-8 become U+FFFD first, so that every
// token survives the model file's JSON config unchanged.
func (l *TextVectorization) Tokens(text string) []string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	if l.Standardize == "lower" || l.Standardize == "lower_and_strip_punctuation" {
		text = asciiLower(text)
	}
	if l.Standardize == "strip_punctuation" || l.Standardize == "lower_and_strip_punctuation" {
		text = strings.Map(func(r rune) rune {
			if r < utf8.RuneSelf && strings.ContainsRune(asciiPunctuation, r) {
				return -1
			}
			return r
		}, text)
	}
	switch l.Split {
	case "whitespace":
		return strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(" \t\n\v\f\r", r) })
	case "character":
		out := make([]string, 0, len(text))
		for _, r := range text {
			out = append(out, string(r))
		}
		return out
	}
	return []string{text}
}

// asciiPunctuation is what Keras's default standardization deletes, the
// class [!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\'] (",-\." is the range
// ",", "-", "."): all 32 ASCII punctuation characters.
const asciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// asciiLower lowercases A-Z only, as tf.strings.lower without an encoding.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

func init() {
	register(entry{"text_vectorization", []string{"max_tokens", "standardize", "split", "ngrams", "output_mode",
		"output_sequence_length", "pad_to_max_tokens", "vocabulary", "idf_weights", "sparse", "ragged", "encoding",
		"vocabulary_size"}, textVectorizationFromSpec})
}

// textVectorizationFromSpec reads Keras's arguments. Those of modes deepgo
// does not have (ngrams, output modes other than "int", sparse, ragged,
// idf_weights, other encodings) are accepted at their Keras defaults so
// that a Keras config reads back, and are errors otherwise;
// pad_to_max_tokens and vocabulary_size do not matter for "int" output.
func textVectorizationFromSpec(r *spec.Reader) Layer {
	var opts []TextOption
	if n := r.Int("max_tokens", 0); n != 0 {
		opts = append(opts, WithMaxTokens(n))
	}
	std := r.OneOf("standardize", "lower_and_strip_punctuation", "lower_and_strip_punctuation", "lower", "strip_punctuation")
	if r.IsNull("standardize") {
		std = ""
	}
	split := r.OneOf("split", "whitespace", "whitespace", "character")
	if r.IsNull("split") {
		split = ""
	}
	opts = append(opts, WithStandardize(std), WithSplit(split))
	if v := r.StringList("vocabulary", nil); v != nil {
		opts = append(opts, WithVocabulary(v))
	}
	mode := r.String("output_mode", "int")
	encoding := r.String("encoding", "utf-8")
	r.Bool("pad_to_max_tokens", false)
	r.Int("vocabulary_size", 0)
	sparse, ragged := r.Bool("sparse", false), r.Bool("ragged", false)
	l := NewTextVectorization(r.PositiveInt("output_sequence_length", 0), opts...)
	switch {
	case mode != "int":
		l.fail("output_mode %q: only \"int\" is supported", mode)
	case strings.ToLower(encoding) != "utf-8":
		l.fail("encoding %q: only \"utf-8\" is supported", encoding)
	case r.Given("ngrams"):
		l.fail("ngrams: only null is supported")
	case r.Given("idf_weights"):
		l.fail("idf_weights: only null is supported (they belong to output_mode \"tf_idf\")")
	case sparse || ragged:
		l.fail("sparse and ragged outputs are not supported: deepgo's models take dense, fixed-length ids")
	}
	return l
}
