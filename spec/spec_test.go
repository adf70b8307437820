package spec

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// mnistPath is the INTERFACE.md example, committed verbatim.
const mnistPath = "../examples/specs/mnist-mlp.yaml"

// mnistSpec is what the INTERFACE.md example must parse to; the line numbers
// are those of the example file.
func mnistSpec(source string) *Spec {
	layer := func(index, line int, typ string, args ...Arg) Layer {
		var a Args
		if len(args) > 0 {
			a = args
		}
		return Layer{Type: typ, Args: a, Index: index, Line: line, Source: source}
	}
	return &Spec{
		Input: []int{28, 28},
		Layers: []Layer{
			layer(1, 3, "flatten"),
			layer(2, 4, "dense", Arg{"units", 256}),
			layer(3, 5, "relu"),
			layer(4, 6, "dense", Arg{"units", 128}, Arg{"activation", "relu"}),
			layer(5, 7, "dense", Arg{"units", 10}),
			layer(6, 8, "softmax"),
		},
		Compile: &Compile{
			Optimizer: Named{Name: "adam", Args: Args{{"learning_rate", 0.001}}, Path: "compile.optimizer", Source: source, Line: 10},
			Loss:      Named{Name: "sparse_categorical_crossentropy", Path: "compile.loss", Source: source, Line: 11},
			Metrics:   []Named{{Name: "accuracy", Path: "compile.metrics", Source: source, Line: 12}},
		},
		Fit:    &Fit{Epochs: 5, BatchSize: 128},
		Source: source,
	}
}

// withoutLines returns a copy of s with every Line set to 0 and Source set
// to source, for comparing specs read from different files or formats.
func withoutLines(s *Spec, source string) *Spec {
	c := *s
	c.Source = source
	c.Layers = append([]Layer(nil), s.Layers...)
	for i := range c.Layers {
		c.Layers[i].Line, c.Layers[i].Source = 0, source
	}
	fixNamed := func(list []Named) []Named {
		if list == nil {
			return nil
		}
		out := append([]Named(nil), list...)
		for i := range out {
			out[i].Line, out[i].Source = 0, source
		}
		return out
	}
	if s.Compile != nil {
		cc := *s.Compile
		pair := fixNamed([]Named{cc.Optimizer, cc.Loss})
		cc.Optimizer, cc.Loss = pair[0], pair[1]
		cc.Metrics = fixNamed(cc.Metrics)
		c.Compile = &cc
	}
	if s.Fit != nil {
		f := *s.Fit
		f.Callbacks = fixNamed(f.Callbacks)
		c.Fit = &f
	}
	return &c
}

func TestParseInterfaceExample(t *testing.T) {
	got, err := ParseFile(mnistPath)
	if err != nil {
		t.Fatal(err)
	}
	if want := mnistSpec(mnistPath); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// TestParseEquivalentForms checks that the JSON version and the Keras
// class_name/config version of the example give the same Spec.
func TestParseEquivalentForms(t *testing.T) {
	want := withoutLines(mnistSpec(mnistPath), "")
	for _, path := range []string{"testdata/mnist-mlp.json", "testdata/mnist-mlp-keras.yaml"} {
		got, err := ParseFile(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if got := withoutLines(got, ""); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, want %+v", path, got, want)
		}
	}
}

func TestParseJSONLines(t *testing.T) {
	got, err := ParseFile("testdata/mnist-mlp.json")
	if err != nil {
		t.Fatal(err)
	}
	// Lines of testdata/mnist-mlp.json: "flatten" is on line 4, the loss on 13.
	if got.Layers[0].Line != 4 || got.Compile.Loss.Line != 13 {
		t.Errorf("got lines %d and %d, want 4 and 13", got.Layers[0].Line, got.Compile.Loss.Line)
	}
}

func TestParseLayerForms(t *testing.T) {
	tests := []struct {
		entry    string
		wantType string
		wantArgs Args
	}{
		{"flatten", "flatten", nil},
		{"Flatten", "flatten", nil},
		{"dense:", "dense", nil},
		{"dense: {}", "dense", nil},
		{"dense: {units: 3, use_bias: false}", "dense", Args{{"units", 3}, {"use_bias", false}}},
		{"MaxPooling2D: {pool_size: [2, 2]}", "max_pooling2d", Args{{"pool_size", []any{2, 2}}}},
		{"{class_name: Conv2D, config: {filters: 8, kernel_size: 3}}", "conv2d", Args{{"filters", 8}, {"kernel_size", 3}}},
		{"class_name: LeakyReLU", "leaky_relu", nil},
		{"dropout: {rate: 0.5, seed: null}", "dropout", Args{{"rate", 0.5}, {"seed", nil}}},
		{"dense: {units: 2, kernel_initializer: {class_name: GlorotUniform, config: {seed: 1}}}", "dense",
			Args{{"units", 2}, {"kernel_initializer", Args{{"class_name", "GlorotUniform"}, {"config", Args{{"seed", 1}}}}}}},
		{"reshape: {target_shape: [-1, 4], note: '2001-12-14', e: 1e-3, h: 0x10, q: {}}", "reshape",
			Args{{"target_shape", []any{-1, 4}}, {"note", "2001-12-14"}, {"e", 0.001}, {"h", 16}, {"q", Args{}}}},
	}
	for _, tt := range tests {
		s, err := Parse([]byte("input: [4]\nlayers:\n  - "+tt.entry+"\n"), "t.yaml")
		if err != nil {
			t.Errorf("%s: %v", tt.entry, err)
			continue
		}
		l := s.Layers[0]
		if l.Type != tt.wantType || !reflect.DeepEqual(l.Args, tt.wantArgs) {
			t.Errorf("%s: got %s %#v, want %s %#v", tt.entry, l.Type, l.Args, tt.wantType, tt.wantArgs)
		}
	}
}

func TestParseCompileAndFit(t *testing.T) {
	src := `input: 784
layers: [dense]
compile:
  optimizer: RMSprop
  loss: {binary_crossentropy: {from_logits: true}}
  metrics: accuracy
fit:
  validation_split: 0.1
  shuffle: false
  verbose: 2
  callbacks: [{EarlyStopping: {patience: 3}}, terminate_on_nan]
`
	got, err := Parse([]byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	shuffle, verbose := false, 2
	want := &Spec{
		Input:  []int{784},
		Layers: []Layer{{Type: "dense", Index: 1}},
		Compile: &Compile{
			Optimizer: Named{Name: "rmsprop", Path: "compile.optimizer"},
			Loss:      Named{Name: "binary_crossentropy", Args: Args{{"from_logits", true}}, Path: "compile.loss"},
			Metrics:   []Named{{Name: "accuracy", Path: "compile.metrics"}},
		},
		Fit: &Fit{ValidationSplit: 0.1, Shuffle: &shuffle, Verbose: &verbose, Callbacks: []Named{
			{Name: "early_stopping", Args: Args{{"patience", 3}}, Path: "fit.callbacks"},
			{Name: "terminate_on_nan", Path: "fit.callbacks"},
		}},
	}
	if got := withoutLines(got, ""); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	const head = "input: [2]\nlayers:\n" // lines 1 and 2 of most cases
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", "bad.yaml: the spec is empty"},
		{"only a comment", "# nothing\n", "bad.yaml: the spec is empty"},
		{"syntax", "input: [2\n", "bad.yaml:1: did not find expected ',' or ']'"},
		{"tab", head + "\t- relu\n", "bad.yaml:3: found character that cannot start any token (indent YAML with spaces, not tabs)"},
		{"not a mapping", "[1, 2]", "bad.yaml:1: want a mapping with keys input, layers, compile, fit, got [1, 2]"},
		{"unknown key", head + "  - relu\noptimizer: adam\n", `bad.yaml:4: unknown top-level key "optimizer"; allowed: input, layers, compile, fit`},
		{"unknown key typo", "input: [2]\nlayer: [relu]\n", `bad.yaml:2: unknown top-level key "layer" (did you mean "layers"?); allowed: input, layers, compile, fit`},
		{"missing input", "layers: [relu]\n", "bad.yaml: missing input: one sample's shape without the batch axis, e.g. input: [28, 28]"},
		{"missing layers", "input: [2]\n", "bad.yaml: missing layers: the list of layers, e.g. layers: [flatten, {dense: {units: 10}}]"},
		{"zero dim", "input: [28, 0]\nlayers: [relu]\n", "bad.yaml:1: input: want a list of positive integers such as [28, 28], got [28, 0]"},
		{"negative dim", "input: -3\nlayers: [relu]\n", "bad.yaml:1: input: want a list of positive integers such as [28, 28], got -3"},
		{"empty input", "input: []\nlayers: [relu]\n", "bad.yaml:1: input: want a list of positive integers such as [28, 28], got []"},
		{"text dim", "input: [28, x]\nlayers: [relu]\n", `bad.yaml:1: input: want a list of positive integers such as [28, 28], got [28, "x"]`},
		{"layers not a list", "input: [2]\nlayers: relu\n", `bad.yaml:2: layers: want a list of layers, got "relu"`},
		{"no layers", "input: [2]\nlayers: []\n", "bad.yaml:2: layers: the list is empty; a model needs at least one layer"},
		{"number layer", head + "  - relu\n  - 42\n", "bad.yaml:4: layer 2: want a name or a single-key map {name: {arguments}}, got 42"},
		{"list layer", head + "  - [relu]\n", `bad.yaml:3: layer 1: want a name or a single-key map {name: {arguments}}, got ["relu"]`},
		{"two-key layer", head + "  - dense: {units: 2}\n    relu:\n", `bad.yaml:3: layer 1: want a name or a single-key map {name: {arguments}}, got {dense: {units: 2}, relu: null} (is a "- " missing?)`},
		{"scalar argument", head + "  - dense: 10\n", "bad.yaml:3: layer 1 (dense): want a map of arguments {argument: value, ...}, got 10"},
		{"bad name", head + "  - max-pool\n", `bad.yaml:3: layer 1: want a name made of letters, digits and underscores, got "max-pool"`},
		{"bad class_name", head + "  - {class_name: 7}\n", "bad.yaml:3: layer 1: class_name: want a name made of letters, digits and underscores, got 7"},
		{"class_name extra key", head + "  - {class_name: Dense, confg: {units: 2}}\n", `bad.yaml:3: layer 1 (dense): unknown key "confg" next to class_name (did you mean "config"?); allowed: class_name, config, module, registered_name, build_config`},
		{"duplicate top key", "input: [2]\ninput: [3]\n", `bad.yaml:2: duplicate key "input" (first on line 1)`},
		{"duplicate argument", head + "  - dense:\n      units: 2\n      units: 3\n", `bad.yaml:5: duplicate key "units" (first on line 4)`},
		{"duplicate JSON key", `{"input": [2], "layers": ["relu"], "input": [3]}`, `bad.yaml:1: duplicate key "input" (first on line 1)`},
		{"number key", head + "  - dense: {1: 2}\n", "bad.yaml:3: keys must be names, got 1"},
		{"alias", "input: &a [2]\nlayers: *a\n", "bad.yaml:2: YAML aliases (*name) are not supported; write the value out"},
		{"merge key", head + "  - dense: {<<: {units: 2}}\n", "bad.yaml:3: YAML merge keys (<<) are not supported; write the keys out"},
		{"infinity", head + "  - dense: {units: .inf}\n", "bad.yaml:3: want a finite number, got .inf"},
		{"huge integer", head + "  - dense: {units: 12345678901234567890}\n", "bad.yaml:3: want an integer that fits in 64 bits, got 12345678901234567890"},
		{"custom tag", head + "  - dense: {units: !big 2}\n", `bad.yaml:3: unsupported YAML tag "!big" on "2"`},
		{"two documents", "input: [2]\nlayers: [relu]\n---\ninput: [3]\n", "bad.yaml:3: a spec is one YAML document; remove the second one"},
		{"fit epochs", head + "  - relu\nfit: {epochs: -3}\n", "bad.yaml:4: fit.epochs: want a positive integer, got -3"},
		{"fit batch size", head + "  - relu\nfit:\n  batch_size: 2.5\n", "bad.yaml:5: fit.batch_size: want a positive integer, got 2.5"},
		{"fit split", head + "  - relu\nfit: {validation_split: 1}\n", "bad.yaml:4: fit.validation_split: want a fraction in [0, 1), got 1"},
		{"fit shuffle", head + "  - relu\nfit: {shuffle: yes}\n", `bad.yaml:4: fit.shuffle: want true or false, got "yes"`},
		{"fit verbose", head + "  - relu\nfit: {verbose: 3}\n", `bad.yaml:4: fit.verbose: want 0, 1, 2 or "auto", got 3`},
		{"fit unknown", head + "  - relu\nfit: {epoch: 3}\n", `bad.yaml:4: unknown key fit.epoch (did you mean "epochs"?); allowed: epochs, batch_size, validation_split, shuffle, verbose, callbacks`},
		{"fit not a map", head + "  - relu\nfit: 5\n", "bad.yaml:4: fit: want a mapping with keys epochs, batch_size, validation_split, shuffle, verbose, callbacks, got 5"},
		{"compile unknown", head + "  - relu\ncompile: {optimiser: adam}\n", `bad.yaml:4: unknown key compile.optimiser (did you mean "optimizer"?); allowed: optimizer, loss, metrics`},
		{"optimizer args", head + "  - relu\ncompile: {optimizer: {adam: 0.1}}\n", "bad.yaml:4: compile.optimizer (adam): want a map of arguments {argument: value, ...}, got 0.1"},
		{"metric", head + "  - relu\ncompile:\n  metrics: [accuracy, 3]\n", "bad.yaml:5: compile.metrics: want a name or a single-key map {name: {arguments}}, got 3"},
		{"long value", head + "  - " + strings.Repeat("a", 100) + "-\n",
			`bad.yaml:3: layer 1: want a name made of letters, digits and underscores, got "` + strings.Repeat("a", 79) + "..."},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.src), "bad.yaml")
		if err == nil {
			t.Errorf("%s: got no error, want %q", tt.name, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, err, tt.want)
		}
	}
}

func TestParseJSONSyntaxError(t *testing.T) {
	_, err := Parse([]byte("{\n  \"input\": [2],\n  \"layers\": [\"relu\"\n"), "bad.json")
	want := "bad.json:4: unexpected end of JSON input"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

func TestParseFileMissing(t *testing.T) {
	_, err := ParseFile("testdata/no-such-file.yaml")
	if err == nil || !os.IsNotExist(err) || !strings.Contains(err.Error(), "testdata/no-such-file.yaml") {
		t.Errorf("got %v, want a not-exist error naming the file", err)
	}
}

func TestLayerErrorf(t *testing.T) {
	s, err := ParseFile(mnistPath)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		got  error
		want string
	}{
		{s.Layers[1].Errorf("units %d is too many", 9), mnistPath + ":4: layer 2 (dense): units 9 is too many"},
		{s.Layers[3].Check("units"), mnistPath + `:6: layer 4 (dense): unknown argument "activation"; allowed: units`},
		{s.Layers[1].Check("unit", "use_bias"), mnistPath + `:4: layer 2 (dense): unknown argument "units" (did you mean "unit"?); allowed: unit, use_bias`},
		{s.Layers[1].Check(), mnistPath + `:4: layer 2 (dense): unknown argument "units"; this takes no arguments`},
		{s.Compile.Optimizer.Check("beta_1"), mnistPath + `:10: compile.optimizer (adam): unknown argument "learning_rate"; allowed: beta_1`},
		{Layer{Type: "relu", Index: 3}.Errorf("bad"), "layer 3 (relu): bad"},
		{Named{Name: "adam"}.Errorf("bad"), "adam: bad"},
	}
	for _, tt := range tests {
		if tt.got == nil || tt.got.Error() != tt.want {
			t.Errorf("got %v, want %q", tt.got, tt.want)
		}
	}
	if err := s.Layers[3].Check("units", "activation"); err != nil {
		t.Errorf("Check with every argument allowed: got %v, want nil", err)
	}
}
