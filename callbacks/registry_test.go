package callbacks

import (
	"io"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/spec"
)

func TestFromSpec(t *testing.T) {
	src := `input: [2]
layers: [dense: {units: 1}]
fit:
  callbacks:
    - early_stopping: {monitor: val_accuracy, patience: 3, restore_best_weights: true, baseline: 0.5}
    - reduce_lr_on_plateau: {factor: 0.5, patience: 2}
    - model_checkpoint: {filepath: "best.deepgo", save_best_only: true}
    - csv_logger: {filename: log.csv}
    - terminate_on_nan
`
	s, err := spec.Parse([]byte(src), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got []Callback
	for _, n := range s.Fit.Callbacks {
		cb, err := FromSpec(n, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, cb)
	}
	es := got[0].(*EarlyStopping).Options()
	if es.Monitor != "val_accuracy" || es.Patience != 3 || !es.RestoreBestWeights || es.Baseline == nil || *es.Baseline != 0.5 {
		t.Errorf("early_stopping options %+v", es)
	}
	if lr := got[1].(*ReduceLROnPlateau).Options(); lr.Factor != 0.5 || lr.Patience != 2 || lr.Monitor != "val_loss" {
		t.Errorf("reduce_lr_on_plateau options %+v (Keras default monitor val_loss)", lr)
	}
	if _, ok := got[4].(*TerminateOnNaN); !ok {
		t.Errorf("terminate_on_nan built %T", got[4])
	}
}

func TestFromSpecErrors(t *testing.T) {
	for _, c := range []struct{ entry, want string }{
		{"early_stoping: {patience: 3}", `unknown callback "early_stoping"`},
		{"early_stopping: {patiense: 3}", `unknown argument "patiense"`},
		{"early_stopping: {patience: soon}", `"soon"`},
		{"reduce_lr_on_plateau: {factor: 2}", "factor"},
	} {
		s, err := spec.Parse([]byte("input: [2]\nlayers: [flatten]\nfit:\n  callbacks:\n    - "+c.entry+"\n"), "s.yaml")
		if err != nil {
			t.Fatal(err)
		}
		_, err = FromSpec(s.Fit.Callbacks[0], io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "s.yaml:5") {
			t.Errorf("%s: got %v, want an error at s.yaml:5 containing %q", c.entry, err, c.want)
		}
	}
}

// TestFromSpecNullMeansNone: baseline: null and initial_value_threshold:
// null are Keras's None (no baseline, no threshold), not 0 — with 0 an
// early stopping on loss would never see an improvement.
func TestFromSpecNullMeansNone(t *testing.T) {
	src := `input: [2]
layers: [dense: {units: 1}]
fit:
  callbacks:
    - early_stopping: {baseline: null}
    - model_checkpoint: {filepath: "best.deepgo", initial_value_threshold: null}
`
	s, err := spec.Parse([]byte(src), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	es, err := FromSpec(s.Fit.Callbacks[0], io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if b := es.(*EarlyStopping).Options().Baseline; b != nil {
		t.Errorf("early_stopping baseline: null gave baseline %v, want none", *b)
	}
	mc, err := FromSpec(s.Fit.Callbacks[1], io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if v := mc.(*ModelCheckpoint).Options().InitialValueThreshold; v != nil {
		t.Errorf("model_checkpoint initial_value_threshold: null gave %v, want none", *v)
	}
}
