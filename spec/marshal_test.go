package spec

import (
	"os"
	"reflect"
	"testing"
)

// roundTripSpecs are valid specs that exercise every part of MarshalJSON.
var roundTripSpecs = []string{
	`input: [2]
layers: [relu]
`,
	`input: [32, 32, 3]
layers:
  - {class_name: Conv2D, config: {filters: 8, kernel_size: [3, 3], padding: same, use_bias: true}}
  - MaxPooling2D: {pool_size: 2, strides: null}
  - dense: {units: 10, kernel_initializer: {glorot_uniform: {seed: 42}}, note: "<&> \u00e9", empty: {}, list: []}
  - dropout: {rate: 1.0}
  - dense: {units: 1, bias: -0.0, tiny: 1e-300, big: 1e300, whole: 100000000.0}
compile:
  optimizer: adam
  metrics: [accuracy, {class_name: AUC, config: {num_thresholds: 200}}]
fit:
  epochs: 1
  batch_size: 2
  validation_split: 0.25
  shuffle: true
  verbose: 0
  callbacks: [{early_stopping: {patience: 3, monitor: val_loss}}]
`,
	`input: 5
layers: [dense]
compile: {}
fit: {verbose: auto}
`,
}

func TestRoundTrip(t *testing.T) {
	for i, src := range roundTripSpecs {
		s, err := Parse([]byte(src), "rt.yaml")
		if err != nil {
			t.Fatalf("spec %d: %v", i, err)
		}
		js, err := s.MarshalJSON()
		if err != nil {
			t.Fatalf("spec %d: MarshalJSON: %v", i, err)
		}
		back, err := Parse(js, "rt.yaml")
		if err != nil {
			t.Fatalf("spec %d: reading back %s: %v", i, js, err)
		}
		if got, want := withoutLines(back, ""), withoutLines(s, ""); !reflect.DeepEqual(got, want) {
			t.Errorf("spec %d: got %+v, want %+v (JSON %s)", i, got, want, js)
		}
	}
}

func TestMarshalJSONExample(t *testing.T) {
	s, err := ParseFile(mnistPath)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"input":[28,28],"layers":["flatten",{"dense":{"units":256}},"relu",` +
		`{"dense":{"units":128,"activation":"relu"}},{"dense":{"units":10}},"softmax"],` +
		`"compile":{"optimizer":{"adam":{"learning_rate":0.001}},"loss":"sparse_categorical_crossentropy","metrics":["accuracy"]},` +
		`"fit":{"epochs":5,"batch_size":128}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestMarshalJSONErrors(t *testing.T) {
	s := &Spec{Input: []int{1}, Layers: []Layer{{Type: "dense", Args: Args{{"x", func() {}}}}}}
	if _, err := s.MarshalJSON(); err == nil {
		t.Errorf("a func value: got no error, want one")
	}
	s.Layers[0].Args[0].Value = []int{3, 3} // a Go type Parse never makes, written by encoding/json
	got, err := s.MarshalJSON()
	if want := `{"input":[1],"layers":[{"dense":{"x":[3,3]}}]}`; err != nil || string(got) != want {
		t.Errorf("got %s, %v, want %s", got, err, want)
	}
}

// TestExampleSpecFile checks the committed example that the CLI's
// documentation points to.
func TestExampleSpecFile(t *testing.T) {
	data, err := os.ReadFile(mnistPath)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(data, "mnist-mlp.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Layers) != 6 || s.Fit == nil || s.Fit.Epochs != 5 {
		t.Errorf("got %d layers and fit %+v, want 6 layers and 5 epochs", len(s.Layers), s.Fit)
	}
}
