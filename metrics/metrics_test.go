package metrics

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

func f32(shape []int, v ...float32) *tensor.Tensor { return tensor.FromFloat32(v, shape...) }

func mustGet(t *testing.T, id string, args map[string]any, ctx Context) Metric {
	t.Helper()
	m, err := Get(id, args, ctx)
	if err != nil {
		t.Fatalf("Get(%q, %v): %v", id, args, err)
	}
	return m
}

// TestKnownValues checks small cases whose values come from the examples in
// Keras 3's docstrings (keras/src/metrics/*.py) or from hand computation.
func TestKnownValues(t *testing.T) {
	tests := []struct {
		name, id string
		args     map[string]any
		yTrue    *tensor.Tensor
		yPred    *tensor.Tensor
		want     float64
	}{
		// BinaryAccuracy docstring: 0.75.
		{"binary docstring", "binary_accuracy", nil,
			f32([]int{4, 1}, 1, 1, 0, 0), f32([]int{4, 1}, 0.98, 1, 0, 0.6), 0.75},
		// Hand: 0.5 is not > 0.5, so it predicts 0: matches label 0, misses label 1.
		{"binary at threshold", "binary_accuracy", nil,
			f32([]int{2, 1}, 0, 1), f32([]int{2, 1}, 0.5, 0.5), 0.5},
		// Hand: threshold 0.7 turns 0.6 into 0: rows (1,0)->(0,1)? row 1: 0.6->0 vs 1 miss,
		// 0.8->1 vs 1 hit = 0.5; row 2: 0.1->0 vs 0 hit, 0.9->1 vs 0 miss = 0.5.
		{"binary threshold 0.7", "binary_accuracy", map[string]any{"threshold": 0.7},
			f32([]int{2, 2}, 1, 1, 0, 0), f32([]int{2, 2}, 0.6, 0.8, 0.1, 0.9), 0.5},
		// CategoricalAccuracy docstring: 0.5.
		{"categorical docstring", "categorical_accuracy", nil,
			f32([]int{2, 3}, 0, 0, 1, 0, 1, 0), f32([]int{2, 3}, 0.1, 0.9, 0.8, 0.05, 0.95, 0), 0.5},
		// Hand: a tie goes to the first index (argmax), 0, not the label 1.
		{"categorical tie", "categorical_accuracy", nil,
			f32([]int{1, 3}, 0, 1, 0), f32([]int{1, 3}, 0.5, 0.5, 0), 0},
		// SparseCategoricalAccuracy docstring: 0.5.
		{"sparse docstring", "sparse_categorical_accuracy", nil,
			f32([]int{2, 1}, 2, 1), f32([]int{2, 3}, 0.1, 0.6, 0.3, 0.05, 0.95, 0), 0.5},
		// Hand: labels as (n,) work the same; 2.5 never equals an index.
		{"sparse rank-1 and non-integer", "sparse_categorical_accuracy", nil,
			f32([]int{2}, 1, 2.5), f32([]int{2, 3}, 0.1, 0.6, 0.3, 0.05, 0.05, 0.9), 0.5},
		// TopKCategoricalAccuracy docstring (k=1): 0.5.
		{"top-k docstring", "top_k_categorical_accuracy", map[string]any{"k": 1},
			f32([]int{2, 3}, 0, 0, 1, 0, 1, 0), f32([]int{2, 3}, 0.1, 0.9, 0.8, 0.05, 0.95, 0), 0.5},
		// Hand: in_top_k counts classes tied with the k-th score as in: label 1
		// ties the top score 0.5 with k=1.
		{"top-k tie counts", "top_k_categorical_accuracy", map[string]any{"k": 1},
			f32([]int{1, 3}, 0, 1, 0), f32([]int{1, 3}, 0.5, 0.5, 0), 1},
		// SparseTopKCategoricalAccuracy docstring (k=1): 0.5.
		{"sparse top-k docstring", "sparse_top_k_categorical_accuracy", map[string]any{"k": 1},
			f32([]int{2}, 2, 1), f32([]int{2, 3}, 0.1, 0.9, 0.8, 0.05, 0.95, 0), 0.5},
		// Hand: default k=5 with 3 classes always hits; label 3 is out of range and misses.
		{"sparse top-k default k", "sparse_top_k_categorical_accuracy", nil,
			f32([]int{2}, 0, 3), f32([]int{2, 3}, 0.1, 0.2, 0.7, 0.3, 0.3, 0.4), 0.5},
		// MeanSquaredError docstring: 0.25.
		{"mse docstring", "mse", nil,
			f32([]int{2, 2}, 0, 1, 0, 0), f32([]int{2, 2}, 1, 1, 0, 0), 0.25},
		// MeanAbsoluteError docstring: 0.25.
		{"mae docstring", "mean_absolute_error", nil,
			f32([]int{2, 2}, 0, 1, 0, 0), f32([]int{2, 2}, 1, 1, 0, 0), 0.25},
		// Hand: (n,) targets against (n, 1) outputs: errors 1 and 3, squared 1 and 9.
		{"mse rank-1 labels", "mean_squared_error", nil,
			f32([]int{2}, 1, 2), f32([]int{2, 1}, 0, 5), 5},
		// Precision docstring: 2/3 (0.6666667).
		{"precision docstring", "precision", nil,
			f32([]int{4}, 0, 1, 1, 1), f32([]int{4}, 1, 0, 1, 1), 2.0 / 3},
		// Precision docstring, top_k=2: 0.0.
		{"precision top_k 2", "precision", map[string]any{"top_k": 2},
			f32([]int{4}, 0, 0, 1, 1), f32([]int{4}, 1, 1, 1, 1), 0},
		// Precision docstring, top_k=4: 0.5.
		{"precision top_k 4", "precision", map[string]any{"top_k": 4},
			f32([]int{4}, 0, 0, 1, 1), f32([]int{4}, 1, 1, 1, 1), 0.5},
		// Recall docstring: 2/3 (0.6666667).
		{"recall docstring", "recall", nil,
			f32([]int{4}, 0, 1, 1, 1), f32([]int{4}, 1, 0, 1, 1), 2.0 / 3},
		// Hand: thresholds 0 (from_logits usage): logits 0.2 and 0 vs labels 1, 1: tp 1, fn 1.
		{"recall threshold 0", "recall", map[string]any{"thresholds": 0.0},
			f32([]int{2, 1}, 1, 1), f32([]int{2, 1}, 0.2, 0), 0.5},
		// Hand: class_id 2 looks at the last column only: tp 1 (row 1), fp 1 (row 2).
		{"precision class_id", "precision", map[string]any{"class_id": 2},
			f32([]int{2, 3}, 0, 0, 1, 0, 1, 0), f32([]int{2, 3}, 0.1, 0.1, 0.8, 0.1, 0.3, 0.6), 0.5},
		// AUC docstring (num_thresholds=3): 0.75.
		{"auc docstring", "auc", map[string]any{"num_thresholds": 3},
			f32([]int{4}, 0, 0, 1, 1), f32([]int{4}, 0, 0.5, 0.3, 0.9), 0.75},
		// Hand: perfectly separated scores give area 1 with the default 200 thresholds.
		{"auc separated", "auc", nil,
			f32([]int{4, 1}, 0, 0, 1, 1), f32([]int{4, 1}, 0.1, 0.2, 0.8, 0.9), 1},
		// Hand: predictions 0 and 1 land in the first and last bucket; recall
		// [1, 0.5, ..., 0.5, 0], fpr [1, 0, ..., 0] gives (1 + 0.5)/2 = 0.75.
		{"auc endpoints", "auc", nil,
			f32([]int{3}, 0, 1, 1), f32([]int{3}, 0, 1, 0), 0.75},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustGet(t, tc.id, tc.args, Context{})
			if err := m.Update(tc.yTrue, tc.yPred); err != nil {
				t.Fatal(err)
			}
			if got := m.Result(); math.Abs(got-tc.want) > 1e-7 {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestAccumulatesSumsNotMeans checks that batches of different sizes are
// weighted by their samples: 3 of 4 right, then 0 of 1 is 3/5 = 0.6, not the
// mean of batch means (0.75 + 0) / 2 = 0.375.
func TestAccumulatesSumsNotMeans(t *testing.T) {
	for _, id := range []string{"accuracy", "binary_accuracy"} {
		m := mustGet(t, id, nil, Context{})
		if err := m.Update(f32([]int{4, 1}, 1, 1, 0, 0), f32([]int{4, 1}, 0.9, 0.8, 0.1, 0.7)); err != nil {
			t.Fatal(err)
		}
		if err := m.Update(f32([]int{1, 1}, 1), f32([]int{1, 1}, 0.2)); err != nil {
			t.Fatal(err)
		}
		if got := m.Result(); math.Abs(got-0.6) > 1e-12 {
			t.Errorf("%s: got %v, want 0.6", id, got)
		}
	}
}

func TestFloat64Inputs(t *testing.T) {
	m := mustGet(t, "categorical_accuracy", nil, Context{})
	yt := tensor.FromFloat64([]float64{0, 1, 1, 0}, 2, 2)
	yp := tensor.FromFloat64([]float64{0.2, 0.8, 0.3, 0.7}, 2, 2)
	if err := m.Update(yt, yp); err != nil {
		t.Fatal(err)
	}
	// Hand: row 1 argmax 1 = label 1, row 2 argmax 1 != label 0.
	if got := m.Result(); got != 0.5 {
		t.Errorf("got %v, want 0.5", got)
	}
}

// TestThresholdComparedInFloat32 checks Keras's cast of the threshold to
// y_pred's dtype. float32(0.3) is 0.30000001192...: a float32 prediction of
// 0.3 equals the float32 threshold, so it is not above it (predicts 0, right
// for label 0), while the same value held in float64 is above the float64
// threshold 0.3 (predicts 1, wrong).
func TestThresholdComparedInFloat32(t *testing.T) {
	tests := []struct {
		name  string
		yPred *tensor.Tensor
		want  float64
	}{
		{"float32", f32([]int{1}, 0.3), 1},
		{"float64", tensor.FromFloat64([]float64{float64(float32(0.3))}, 1), 0},
	}
	for _, tc := range tests {
		m := mustGet(t, "binary_accuracy", map[string]any{"threshold": 0.3}, Context{})
		if err := m.Update(f32([]int{1}, 0), tc.yPred); err != nil {
			t.Fatal(err)
		}
		if got := m.Result(); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestResultBeforeAnyData(t *testing.T) {
	for _, id := range Names() {
		m := mustGet(t, id, nil, Context{})
		if got := m.Result(); got != 0 {
			t.Errorf("%s: got %v before any data, want 0", id, got)
		}
	}
}

func TestReset(t *testing.T) {
	yt := f32([]int{4, 1}, 1, 0, 1, 0)
	yp := f32([]int{4, 1}, 0.9, 0.6, 0.4, 0.1)
	for _, id := range Names() {
		t.Run(id, func(t *testing.T) {
			fresh := mustGet(t, id, nil, Context{})
			used := mustGet(t, id, nil, Context{})
			if err := used.Update(f32([]int{2, 1}, 0, 0), f32([]int{2, 1}, 0.8, 0.9)); err != nil {
				t.Fatal(err)
			}
			used.Reset()
			if got := used.Result(); got != 0 {
				t.Errorf("after Reset: got %v, want 0", got)
			}
			if err := fresh.Update(yt, yp); err != nil {
				t.Fatal(err)
			}
			if err := used.Update(yt, yp); err != nil {
				t.Fatal(err)
			}
			if got, want := used.Result(), fresh.Result(); got != want {
				t.Errorf("after Reset and one batch: got %v, want %v (a fresh metric)", got, want)
			}
		})
	}
}

func TestNames(t *testing.T) {
	tests := []struct{ id, want string }{
		{"accuracy", "accuracy"},
		{"acc", "acc"},
		{"Accuracy", "Accuracy"},
		{"mse", "mse"},
		{"MSE", "MSE"},
		{"mean_squared_error", "mean_squared_error"},
		{"MeanAbsoluteError", "MeanAbsoluteError"},
		{"auc", "auc"},
		{"AUC", "AUC"},
		{"sparse_top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy"},
	}
	for _, tc := range tests {
		if got := mustGet(t, tc.id, nil, Context{}).Name(); got != tc.want {
			t.Errorf("Get(%q).Name(): got %q, want %q", tc.id, got, tc.want)
		}
	}
	m := mustGet(t, "precision", map[string]any{"name": "prec"}, Context{})
	if got := m.Name(); got != "prec" {
		t.Errorf("name argument: got %q, want %q", got, "prec")
	}
}

func TestAccuracyResolution(t *testing.T) {
	tests := []struct {
		name        string
		ctx         Context
		atGet       string
		yTrue       []int
		yPred       []int
		afterUpdate string
	}{
		{"sparse loss", Context{"sparse_categorical_crossentropy", []int{10}}, "sparse_categorical_accuracy",
			[]int{2}, []int{2, 10}, "sparse_categorical_accuracy"},
		{"sparse class name", Context{"SparseCategoricalCrossentropy", []int{10}}, "sparse_categorical_accuracy",
			[]int{2, 1}, []int{2, 10}, "sparse_categorical_accuracy"},
		{"categorical loss", Context{"categorical_crossentropy", []int{10}}, "categorical_accuracy",
			[]int{2, 10}, []int{2, 10}, "categorical_accuracy"},
		{"binary loss one unit", Context{"binary_crossentropy", []int{1}}, "binary_accuracy",
			[]int{2, 1}, []int{2, 1}, "binary_accuracy"},
		// Keras 3 decides by shapes only: multi-label binary crossentropy gets
		// categorical accuracy (tf.keras 2 chose binary accuracy by the loss).
		{"binary loss multi-label", Context{"binary_crossentropy", []int{3}}, "categorical_accuracy",
			[]int{2, 3}, []int{2, 3}, "categorical_accuracy"},
		{"unknown loss, one unit", Context{"my_loss", []int{1}}, "binary_accuracy",
			[]int{2}, []int{2, 1}, "binary_accuracy"},
		{"no context, labels", Context{}, "", []int{2}, []int{2, 4}, "sparse_categorical_accuracy"},
		{"no context, one-hot", Context{}, "", []int{2, 4}, []int{2, 4}, "categorical_accuracy"},
		{"no context, labels (n, 1)", Context{}, "", []int{2, 1}, []int{2, 4}, "sparse_categorical_accuracy"},
		{"data overrides context", Context{"categorical_crossentropy", []int{4}}, "categorical_accuracy",
			[]int{2}, []int{2, 4}, "sparse_categorical_accuracy"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustGet(t, "accuracy", nil, tc.ctx).(*AutoAccuracy)
			if got := m.Resolved(); got != tc.atGet {
				t.Errorf("at Get: got %q, want %q", got, tc.atGet)
			}
			yt := tensor.Zeros(tc.yTrue...)
			yp := tensor.Zeros(tc.yPred...)
			if err := m.Update(yt, yp); err != nil {
				t.Fatal(err)
			}
			if got := m.Resolved(); got != tc.afterUpdate {
				t.Errorf("after Update: got %q, want %q", got, tc.afterUpdate)
			}
			if got := m.Config()["name"]; got != "accuracy" {
				t.Errorf("config name: got %v, want accuracy", got)
			}
		})
	}
}

func TestUpdateShapeErrors(t *testing.T) {
	tests := []struct {
		id           string
		args         map[string]any
		yTrue, yPred []int
	}{
		{"binary_accuracy", nil, []int{4, 2}, []int{4, 1}},
		{"categorical_accuracy", nil, []int{4, 3}, []int{4, 2}},
		{"categorical_accuracy", nil, []int{4}, []int{4, 3}},
		{"sparse_categorical_accuracy", nil, []int{4, 3}, []int{4, 3}},
		{"sparse_categorical_accuracy", nil, []int{5}, []int{4, 3}},
		{"sparse_categorical_accuracy", nil, []int{}, []int{}},
		{"top_k_categorical_accuracy", nil, []int{4, 2}, []int{4, 3}},
		{"sparse_top_k_categorical_accuracy", nil, []int{4, 3}, []int{4, 3}},
		{"mse", nil, []int{4, 3}, []int{4, 2}},
		{"mae", nil, []int{3}, []int{4}},
		{"precision", nil, []int{4, 2}, []int{4, 3}},
		{"recall", nil, []int{4, 2}, []int{4, 3}},
		{"precision", map[string]any{"top_k": 4}, []int{4, 3}, []int{4, 3}},
		{"recall", map[string]any{"class_id": 3}, []int{4, 3}, []int{4, 3}},
		{"auc", nil, []int{4, 2}, []int{4, 3}},
		{"auc", map[string]any{"multi_label": true}, []int{4, 3, 1, 2}, []int{4, 3, 1, 2}},
		{"auc", map[string]any{"label_weights": []any{1, 2}}, []int{4, 3}, []int{4, 3}},
		{"accuracy", nil, []int{4, 3}, []int{4, 2}},
		{"accuracy", nil, []int{}, []int{}},
	}
	for _, tc := range tests {
		m := mustGet(t, tc.id, tc.args, Context{})
		err := m.Update(tensor.Zeros(tc.yTrue...), tensor.Zeros(tc.yPred...))
		if err == nil {
			t.Errorf("%s %v: y_true %v, y_pred %v: got no error, want one", tc.id, tc.args, tc.yTrue, tc.yPred)
			continue
		}
		want := tensor.ShapeString(tc.yPred)
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), tc.id) {
			t.Errorf("%s: got error %q, want it to name %q and %s", tc.id, err, tc.id, want)
		}
		if got := m.Result(); got != 0 {
			t.Errorf("%s: got result %v after a failed Update, want 0", tc.id, got)
		}
	}
	for _, id := range Names() {
		m := mustGet(t, id, nil, Context{})
		if err := m.Update(nil, tensor.Zeros(2, 1)); err == nil {
			t.Errorf("%s: Update(nil, ...) got no error, want one", id)
		}
	}
}

func TestMultiLabelAUCKeepsLabelCount(t *testing.T) {
	m := mustGet(t, "auc", map[string]any{"multi_label": true}, Context{})
	if err := m.Update(tensor.Zeros(2, 3), tensor.Zeros(2, 3)); err != nil {
		t.Fatal(err)
	}
	err := m.Update(tensor.Zeros(2, 4), tensor.Zeros(2, 4))
	if err == nil || !strings.Contains(err.Error(), "3 labels") {
		t.Errorf("got %v, want an error about 3 labels", err)
	}
}

func TestGetErrors(t *testing.T) {
	tests := []struct {
		id       string
		args     map[string]any
		contains []string
	}{
		{"acuracy", nil, []string{`"acuracy"`, "accuracy", "sparse_categorical_accuracy", "auc", "mse"}},
		{"f1_score", nil, []string{`"f1_score"`, "valid metrics"}},
		{"top_k_categorical_accuracy", map[string]any{"kk": 3}, []string{`"kk"`, "name, dtype, k"}},
		{"accuracy", map[string]any{"k": 3}, []string{`"k"`, "threshold"}},
		{"top_k_categorical_accuracy", map[string]any{"k": 0}, []string{"k must be at least 1", "0"}},
		{"top_k_categorical_accuracy", map[string]any{"k": 2.5}, []string{"integer", "2.5"}},
		{"binary_accuracy", map[string]any{"threshold": 1.5}, []string{`"binary_accuracy"`, "1.5"}},
		{"acc", map[string]any{"threshold": 0.0}, []string{`"acc"`, "threshold"}},
		{"binary_accuracy", map[string]any{"threshold": "high"}, []string{"number", "high"}},
		{"precision", map[string]any{"thresholds": []any{0.3, 0.6}}, []string{"one threshold", "0.3"}},
		{"precision", map[string]any{"thresholds": 0.3, "threshold": 0.3}, []string{"not both"}},
		{"recall", map[string]any{"thresholds": 2}, []string{`"recall"`, "[0, 1]", "2"}},
		{"auc", map[string]any{"num_thresholds": 1}, []string{"num_thresholds", "1"}},
		{"auc", map[string]any{"curve": "PRGAIN"}, []string{"curve", "PRGAIN"}},
		{"auc", map[string]any{"summation_method": "trapezoid"}, []string{"trapezoid"}},
		{"auc", map[string]any{"num_labels": 3}, []string{"num_labels", "multi_label"}},
		{"auc", map[string]any{"thresholds": []any{0.5, 1.2}}, []string{"1.2"}},
		{"mse", map[string]any{"dtype": "int8"}, []string{"dtype", "int8"}},
		{"mse", map[string]any{"name": 3}, []string{"name", "3"}},
	}
	for _, tc := range tests {
		_, err := Get(tc.id, tc.args, Context{})
		if err == nil {
			t.Errorf("Get(%q, %v): got no error, want one", tc.id, tc.args)
			continue
		}
		for _, s := range tc.contains {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("Get(%q, %v): got error %q, want it to contain %q", tc.id, tc.args, err, s)
			}
		}
		if msg := err.Error(); strings.ToLower(msg[:1]) != msg[:1] {
			t.Errorf("Get(%q): error %q does not start lowercase", tc.id, msg)
		}
	}
}

// TestConfigRoundTrip rebuilds every metric from its Config and checks that
// the copy has the same configuration and computes the same result.
func TestConfigRoundTrip(t *testing.T) {
	tests := []struct {
		id   string
		args map[string]any
	}{
		{"accuracy", nil},
		{"acc", map[string]any{"dtype": "float64", "threshold": 0.6}},
		{"binary_accuracy", map[string]any{"threshold": 0.7}},
		{"categorical_accuracy", nil},
		{"sparse_categorical_accuracy", nil},
		{"top_k_categorical_accuracy", map[string]any{"k": 2}},
		{"sparse_top_k_categorical_accuracy", nil},
		{"mse", nil},
		{"MAE", map[string]any{"dtype": "float64"}},
		{"precision", map[string]any{"thresholds": 0.4, "class_id": 1}},
		{"recall", map[string]any{"top_k": 2}},
		{"auc", map[string]any{"curve": "pr", "summation_method": "Majoring", "num_thresholds": 50}},
		{"auc", map[string]any{"thresholds": []any{0.7, 0.2}, "from_logits": true}},
		{"auc", map[string]any{"multi_label": true, "num_labels": 2, "label_weights": []any{1, 3}}},
	}
	yt := f32([]int{3, 2}, 1, 0, 0, 1, 1, 1)
	yp := f32([]int{3, 2}, 0.8, 0.3, 0.6, 0.65, 0.2, 0.9)
	for _, tc := range tests {
		a := mustGet(t, tc.id, tc.args, Context{Loss: "binary_crossentropy", OutputShape: []int{2}})
		b := mustGet(t, tc.id, a.Config(), Context{})
		if !reflect.DeepEqual(a.Config(), b.Config()) {
			t.Errorf("%s: config after a round trip: got %v, want %v", tc.id, b.Config(), a.Config())
		}
		yt := yt
		if strings.HasPrefix(tc.id, "sparse") {
			yt = f32([]int{3}, 0, 1, 1)
		}
		if err := a.Update(yt, yp); err != nil {
			t.Fatal(err)
		}
		if err := b.Update(yt, yp); err != nil {
			t.Fatal(err)
		}
		if a.Result() != b.Result() {
			t.Errorf("%s: rebuilt metric got %v, want %v", tc.id, b.Result(), a.Result())
		}
	}
}

func TestKerasConfigKeys(t *testing.T) {
	m := mustGet(t, "auc", nil, Context{})
	want := map[string]any{
		"name": "auc", "dtype": "float32", "num_thresholds": 200, "curve": "ROC",
		"summation_method": "interpolation", "multi_label": false, "num_labels": nil,
		"label_weights": nil, "from_logits": false,
	}
	if got := m.Config(); !reflect.DeepEqual(got, want) {
		t.Errorf("auc config: got %v, want %v", got, want)
	}
	p := mustGet(t, "precision", nil, Context{})
	wantP := map[string]any{"name": "precision", "dtype": "float32", "thresholds": nil, "top_k": nil, "class_id": nil}
	if got := p.Config(); !reflect.DeepEqual(got, wantP) {
		t.Errorf("precision config: got %v, want %v", got, wantP)
	}
}

func TestMean(t *testing.T) {
	m := NewMean("loss")
	// Hand: batch of 32 with mean loss 0.5 and batch of 16 with mean 1.0:
	// (16 + 16) / 48 = 2/3, not (0.5 + 1.0) / 2 = 0.75.
	m.Add(0.5, 32)
	m.Add(1.0, 16)
	if got := m.Result(); math.Abs(got-2.0/3) > 1e-15 {
		t.Errorf("got %v, want %v", got, 2.0/3)
	}
	if got := m.Name(); got != "loss" {
		t.Errorf("name: got %q, want loss", got)
	}
	m.Reset()
	if got := m.Result(); got != 0 {
		t.Errorf("after Reset: got %v, want 0", got)
	}
}

func TestNamesListed(t *testing.T) {
	want := []string{"accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
		"top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "mean_squared_error", "mse",
		"mean_absolute_error", "mae", "precision", "recall", "auc"}
	if got := Names(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestSqueezeOrExpand follows Keras's squeeze_or_expand_to_same_rank.
func TestSqueezeOrExpand(t *testing.T) {
	tests := []struct{ a, b, wantA, wantB []int }{
		{[]int{4}, []int{4, 1}, []int{4, 1}, []int{4, 1}},
		{[]int{4, 1}, []int{4}, []int{4, 1}, []int{4, 1}},
		{[]int{4, 2, 1}, []int{4, 2}, []int{4, 2}, []int{4, 2}},
		{[]int{4, 2}, []int{4, 2, 1}, []int{4, 2}, []int{4, 2}},
		{[]int{4, 3}, []int{4}, []int{4, 3}, []int{4}},
		{[]int{4, 3}, []int{4, 3}, []int{4, 3}, []int{4, 3}},
	}
	for _, tc := range tests {
		gotA, gotB := squeezeOrExpand(tc.a, tc.b)
		if !reflect.DeepEqual(gotA, tc.wantA) || !reflect.DeepEqual(gotB, tc.wantB) {
			t.Errorf("squeezeOrExpand(%v, %v): got %v, %v, want %v, %v", tc.a, tc.b, gotA, gotB, tc.wantA, tc.wantB)
		}
	}
}

// TestArgumentTypes checks the number forms a JSON or YAML decoder, or Go
// code, may hand to Get.
func TestArgumentTypes(t *testing.T) {
	tests := []struct {
		id   string
		args map[string]any
		key  string
		want any
	}{
		{"top_k_categorical_accuracy", map[string]any{"k": int64(3)}, "k", 3},
		{"top_k_categorical_accuracy", map[string]any{"k": 3.0}, "k", 3},
		{"top_k_categorical_accuracy", map[string]any{"k": json.Number("3")}, "k", 3},
		{"binary_accuracy", map[string]any{"threshold": float32(0.25)}, "threshold", 0.25},
		{"binary_accuracy", map[string]any{"threshold": nil}, "threshold", 0.5},
		{"precision", map[string]any{"threshold": []float64{0.25}}, "thresholds", 0.25},
		{"auc", map[string]any{"label_weights": []int{1, 2}}, "label_weights", []float64{1, 2}},
		{"auc", map[string]any{"thresholds": []any{0.5, int32(0)}}, "thresholds", []float64{0, 0.5}},
		{"auc", map[string]any{"thresholds": []any{0.5, int32(0)}}, "num_thresholds", 4},
	}
	for _, tc := range tests {
		m := mustGet(t, tc.id, tc.args, Context{})
		if got := m.Config()[tc.key]; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Get(%q, %v): %s: got %v (%T), want %v (%T)", tc.id, tc.args, tc.key, got, got, tc.want, tc.want)
		}
	}
}
