package examples_test

import (
	"testing"

	"github.com/deepgo-dev/deepgo/callbacks"
	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/examples"
	"github.com/deepgo-dev/deepgo/models"
	"github.com/deepgo-dev/deepgo/spec"
)

// specModel builds example e's model from its spec, as `deepgo train
// --example` does with models.DefaultSeed, and returns the spec too.
func specModel(t *testing.T, e examples.Example) (*spec.Spec, *models.Sequential) {
	t.Helper()
	src, err := e.Spec()
	if err != nil {
		t.Fatal(err)
	}
	s, err := spec.Parse(src, e.SpecFile)
	if err != nil {
		t.Fatalf("%s: %v", e.Name, err)
	}
	m, err := models.FromSpec(s, models.DefaultSeed)
	if err != nil {
		t.Fatalf("%s: %v", e.Name, err)
	}
	return s, m
}

// loadData loads a data form from the examples' embedded files.
func loadData(t *testing.T, form string) *data.Dataset {
	t.Helper()
	ds, err := data.Load(form, data.LoadOptions{FS: examples.Files})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// fitEvaluate trains m on train with the epochs and batch size of its
// spec s, silently, and returns its loss and metrics on test.
func fitEvaluate(t *testing.T, m *models.Sequential, s *spec.Spec, train, test *data.Dataset) *callbacks.Logs {
	t.Helper()
	if _, err := m.Fit(train.X, train.Y, models.FitOptions{Epochs: s.Fit.Epochs, BatchSize: s.Fit.BatchSize,
		Verbose: models.VerboseSilent}); err != nil {
		t.Fatal(err)
	}
	logs, err := m.Evaluate(test.X, test.Y, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return logs
}
