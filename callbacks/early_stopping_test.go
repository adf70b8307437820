package callbacks

import (
	"bytes"
	"strings"
	"testing"
)

func ptr(v float64) *float64 { return &v }

// The expected epochs were traced by hand through Keras 3's
// EarlyStopping.on_epoch_end (keras/src/callbacks/early_stopping.py).
func TestEarlyStopping(t *testing.T) {
	tests := []struct {
		name       string
		opt        EarlyStoppingOptions
		key        string
		vals       []float64
		wantEpochs int // epochs run
		wantStop   int // StoppedEpoch (0 when not stopped)
		wantBest   int // BestEpoch
		wantWeight float64
	}{
		{"patience 0 stops at first worse epoch", EarlyStoppingOptions{}, "val_loss",
			[]float64{1, 0.9, 0.95, 0.8}, 3, 2, 1, 2},
		{"patience 2 waits two epochs", EarlyStoppingOptions{Patience: 2}, "val_loss",
			[]float64{1, 0.9, 0.95, 0.91, 0.8}, 4, 3, 1, 3},
		{"improvement resets wait", EarlyStoppingOptions{Patience: 2}, "val_loss",
			[]float64{1, 0.9, 0.95, 0.85, 0.86, 0.87}, 6, 5, 3, 5},
		// 0.96 + 0.05 = 1.01 is not below 1.0: no improvement.
		{"min_delta", EarlyStoppingOptions{MinDelta: 0.05, Patience: 1}, "val_loss",
			[]float64{1, 0.96, 0.90}, 2, 1, 0, 1},
		{"negative min_delta counts as positive", EarlyStoppingOptions{MinDelta: -0.05, Patience: 1}, "val_loss",
			[]float64{1, 0.96, 0.90}, 2, 1, 0, 1},
		// 0.94 + 0.05 = 0.99 < 1.0: an improvement.
		{"min_delta met", EarlyStoppingOptions{MinDelta: 0.05, Patience: 1}, "val_loss",
			[]float64{1, 0.94, 0.93}, 3, 2, 1, 2},
		{"auto mode maximises accuracy", EarlyStoppingOptions{Monitor: "val_accuracy"}, "val_accuracy",
			[]float64{0.5, 0.6, 0.55, 0.7}, 3, 2, 1, 2},
		{"auto mode maximises auc", EarlyStoppingOptions{Monitor: "auc"}, "auc",
			[]float64{0.5, 0.6, 0.55, 0.7}, 3, 2, 1, 2},
		{"auto mode minimises mae", EarlyStoppingOptions{Monitor: "val_mae"}, "val_mae",
			[]float64{0.5, 0.6, 0.55, 0.7}, 2, 1, 0, 1},
		{"max mode", EarlyStoppingOptions{Monitor: "val_loss", Mode: "max"}, "val_loss",
			[]float64{0.5, 0.6, 0.55}, 3, 2, 1, 2},
		{"min mode on accuracy", EarlyStoppingOptions{Monitor: "val_accuracy", Mode: "min"}, "val_accuracy",
			[]float64{0.5, 0.6, 0.55}, 2, 1, 0, 1},
		// Without baseline the third epoch only raises wait to 1.
		{"no baseline", EarlyStoppingOptions{Patience: 2}, "val_loss",
			[]float64{0.9, 0.8, 0.85}, 3, 0, 1, 2},
		// With baseline 0.5 never beaten, wait is never reset: 1, 2, 3.
		{"baseline not beaten", EarlyStoppingOptions{Patience: 2, Baseline: ptr(0.5)}, "val_loss",
			[]float64{0.9, 0.8, 0.85}, 3, 2, 1, 2},
		// An improving epoch returns before the patience check.
		{"baseline, still improving", EarlyStoppingOptions{Patience: 1, Baseline: ptr(0.5)}, "val_loss",
			[]float64{0.9, 0.8, 0.7, 0.6}, 4, 0, 3, 3},
		{"baseline beaten", EarlyStoppingOptions{Patience: 1, Baseline: ptr(0.5)}, "val_loss",
			[]float64{0.4, 0.45, 0.3}, 2, 1, 0, 1},
		{"start_from_epoch", EarlyStoppingOptions{StartFromEpoch: 2}, "val_loss",
			[]float64{1, 2, 3, 4, 5}, 4, 3, 2, 3},
		{"restore after stop", EarlyStoppingOptions{Patience: 2, RestoreBestWeights: true}, "val_loss",
			[]float64{1.0, 0.5, 0.7, 0.8, 0.1}, 4, 3, 1, 1},
		// Keras 3 restores the best weights even when training runs out.
		{"restore without stop", EarlyStoppingOptions{Patience: 5, RestoreBestWeights: true}, "val_loss",
			[]float64{1.0, 0.5, 0.7}, 3, 0, 1, 1},
		{"restore, first epoch best", EarlyStoppingOptions{Patience: 5, RestoreBestWeights: true}, "val_loss",
			[]float64{0.1, 0.5, 0.7}, 3, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, err := NewEarlyStopping(tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			m := &fakeModel{}
			n, err := fit(es, m, Params{}, series(tt.key, tt.vals...))
			if err != nil {
				t.Fatal(err)
			}
			if n != tt.wantEpochs || es.StoppedEpoch != tt.wantStop || es.BestEpoch != tt.wantBest {
				t.Errorf("got %d epochs, stopped at %d, best %d; want %d, %d, %d",
					n, es.StoppedEpoch, es.BestEpoch, tt.wantEpochs, tt.wantStop, tt.wantBest)
			}
			if m.stopped != (tt.wantStop > 0) {
				t.Errorf("got StopTraining called %v, want %v", m.stopped, tt.wantStop > 0)
			}
			if m.weight != tt.wantWeight {
				t.Errorf("got final weight %v (the epoch it came from), want %v", m.weight, tt.wantWeight)
			}
			if !tt.opt.RestoreBestWeights && len(m.restored) > 0 {
				t.Errorf("got weights restored %v without RestoreBestWeights", m.restored)
			}
		})
	}
}

func TestEarlyStoppingMessages(t *testing.T) {
	var out bytes.Buffer
	es, err := NewEarlyStopping(EarlyStoppingOptions{Patience: 1, RestoreBestWeights: true, Verbose: 1, Writer: &out})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fit(es, &fakeModel{}, Params{}, series("val_loss", 1, 0.5, 0.6, 0.7)); err != nil {
		t.Fatal(err)
	}
	// Keras prints epochs 1-based: the stop came at epoch index 2.
	want := "Epoch 3: early stopping\nRestoring model weights from the end of the best epoch: 2.\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestEarlyStoppingMissingMonitor(t *testing.T) {
	var out bytes.Buffer
	es, _ := NewEarlyStopping(EarlyStoppingOptions{Writer: &out})
	m := &fakeModel{}
	epochs := []*Logs{logsOf("loss", 1.0, "accuracy", 0.5), logsOf("loss", 2.0, "accuracy", 0.4)}
	n, err := fit(es, m, Params{}, epochs)
	if err != nil || n != 2 || m.stopped {
		t.Errorf("got %d epochs, stopped %v, err %v; want 2 epochs, not stopped, no error", n, m.stopped, err)
	}
	want := "warning: Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss,accuracy\n"
	if out.String() != want {
		t.Errorf("got %q, want the warning once: %q", out.String(), want)
	}
}

func TestEarlyStoppingReuse(t *testing.T) {
	es, _ := NewEarlyStopping(EarlyStoppingOptions{Patience: 0})
	if _, err := fit(es, &fakeModel{}, Params{}, series("val_loss", 0.1, 0.2)); err != nil {
		t.Fatal(err)
	}
	// A second Fit starts afresh: 0.5 is the new best, not worse than 0.1.
	m := &fakeModel{}
	n, _ := fit(es, m, Params{}, series("val_loss", 0.5, 0.4))
	if n != 2 || m.stopped {
		t.Errorf("got %d epochs, stopped %v; want 2, false", n, m.stopped)
	}
}

func TestNewEarlyStoppingErrors(t *testing.T) {
	tests := []struct {
		opt  EarlyStoppingOptions
		want string
	}{
		{EarlyStoppingOptions{Mode: "biggest"}, `mode "biggest" is unknown`},
		{EarlyStoppingOptions{Patience: -1}, "patience must be >= 0, got -1"},
		{EarlyStoppingOptions{StartFromEpoch: -2}, "start_from_epoch must be >= 0, got -2"},
	}
	for _, tt := range tests {
		_, err := NewEarlyStopping(tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewEarlyStopping(%+v): got error %v, want one containing %q", tt.opt, err, tt.want)
		}
	}
	es, _ := NewEarlyStopping(EarlyStoppingOptions{})
	if got := es.Options(); got.Monitor != "val_loss" || got.Mode != "auto" {
		t.Errorf("got defaults %q, %q; want val_loss, auto", got.Monitor, got.Mode)
	}
	if d := DefaultEarlyStoppingOptions(); d.Monitor != "val_loss" || d.Mode != "auto" || d.Patience != 0 {
		t.Errorf("got DefaultEarlyStoppingOptions %+v", d)
	}
}
