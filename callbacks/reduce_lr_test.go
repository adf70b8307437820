package callbacks

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
)

// The learning rates were traced by hand through Keras 3's
// ReduceLROnPlateau.on_epoch_end (keras/src/callbacks/reduce_lr_on_plateau.py).
func TestReduceLROnPlateau(t *testing.T) {
	flat := []float64{1, 1, 1, 1, 1, 1}
	tests := []struct {
		name   string
		opt    func(*ReduceLROnPlateauOptions)
		vals   []float64
		wantLR []float64 // learning rate after each epoch
		logged []float64 // "learning_rate" in each epoch's logs
	}{
		// Patience 1: every flat epoch after the first reduces 0.1 -> 0.05 -> …,
		// down to min_lr 0.02, where it stays.
		{"factor and min_lr", func(o *ReduceLROnPlateauOptions) { o.Factor, o.Patience, o.MinLR = 0.5, 1, 0.02 },
			flat, []float64{0.1, 0.05, 0.025, 0.02, 0.02, 0.02}, []float64{0.1, 0.1, 0.05, 0.025, 0.02, 0.02}},
		// Cooldown 2: after a reduction one epoch is not counted, so
		// reductions come every other epoch (1, 3, 5).
		{"cooldown", func(o *ReduceLROnPlateauOptions) { o.Factor, o.Patience, o.Cooldown = 0.5, 1, 2 },
			flat, []float64{0.1, 0.05, 0.05, 0.025, 0.025, 0.0125}, nil},
		{"patience 3", func(o *ReduceLROnPlateauOptions) { o.Factor, o.Patience = 0.5, 3 },
			flat, []float64{0.1, 0.1, 0.1, 0.05, 0.05, 0.05}, nil},
		// 0.99995 is not below 1 - 1e-4 (the default min_delta): no
		// improvement; 0.9 is.
		{"min_delta", func(o *ReduceLROnPlateauOptions) { o.Factor, o.Patience = 0.5, 2 },
			[]float64{1, 0.99995, 0.9, 0.89995, 0.89995}, []float64{0.1, 0.1, 0.1, 0.1, 0.05}, nil},
		{"max mode on accuracy", func(o *ReduceLROnPlateauOptions) { o.Monitor, o.Factor, o.Patience = "val_accuracy", 0.5, 1 },
			[]float64{0.5, 0.6, 0.55, 0.7}, []float64{0.1, 0.1, 0.05, 0.05}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultReduceLROnPlateauOptions()
			tt.opt(&o)
			r, err := NewReduceLROnPlateau(o)
			if err != nil {
				t.Fatal(err)
			}
			m := &fakeModel{lr: 0.1}
			r.SetModel(m, Params{})
			r.OnTrainBegin()
			for e, v := range tt.vals {
				logs := logsOf("loss", 1.0, o.Monitor, v)
				if err := r.OnEpochEnd(e, logs); err != nil {
					t.Fatal(err)
				}
				if math.Abs(m.lr-tt.wantLR[e]) > 1e-12 {
					t.Errorf("epoch %d: got lr %v, want %v", e, m.lr, tt.wantLR[e])
				}
				got, ok := logs.Get("learning_rate")
				if tt.logged != nil && (!ok || got != tt.logged[e]) {
					t.Errorf("epoch %d: got learning_rate %v in logs, want %v", e, got, tt.logged[e])
				}
			}
		})
	}
}

func TestReduceLROnPlateauMessage(t *testing.T) {
	var out bytes.Buffer
	o := DefaultReduceLROnPlateauOptions()
	o.Patience, o.Factor, o.Verbose, o.Writer = 1, 0.5, 1, &out
	r, _ := NewReduceLROnPlateau(o)
	fit(r, &fakeModel{lr: 0.1}, Params{}, series("val_loss", 1, 1))
	want := "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.05.\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestReduceLROnPlateauErrors(t *testing.T) {
	tests := []struct {
		change func(*ReduceLROnPlateauOptions)
		want   string
	}{
		{func(o *ReduceLROnPlateauOptions) { o.Factor = 1 }, "factor must be in (0, 1), got 1"},
		{func(o *ReduceLROnPlateauOptions) { o.Factor = 0 }, "factor must be in (0, 1), got 0"},
		{func(o *ReduceLROnPlateauOptions) { o.Patience = -1 }, "patience must be >= 0, got -1"},
		{func(o *ReduceLROnPlateauOptions) { o.Cooldown = -1 }, "cooldown must be >= 0, got -1"},
		{func(o *ReduceLROnPlateauOptions) { o.MinLR = -1 }, "min_lr must be >= 0, got -1"},
		{func(o *ReduceLROnPlateauOptions) { o.Mode = "lowest" }, `mode "lowest" is unknown`},
	}
	for _, tt := range tests {
		o := DefaultReduceLROnPlateauOptions()
		tt.change(&o)
		_, err := NewReduceLROnPlateau(o)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got error %v, want one containing %q", err, tt.want)
		}
	}
	o := DefaultReduceLROnPlateauOptions()
	o.Patience = 0
	r, _ := NewReduceLROnPlateau(o)
	m := &fakeModel{lr: 0.1, lrErr: errors.New("a schedule drives the learning rate")}
	_, err := fit(r, m, Params{}, series("val_loss", 1, 1))
	if err == nil || !strings.Contains(err.Error(), "epoch 2: a schedule drives the learning rate") {
		t.Errorf("got error %v, want the model's error for epoch 2", err)
	}
}

func TestReduceLROnPlateauMissingMonitor(t *testing.T) {
	var out bytes.Buffer
	o := DefaultReduceLROnPlateauOptions()
	o.Writer = &out
	r, _ := NewReduceLROnPlateau(o)
	fit(r, &fakeModel{lr: 0.1}, Params{}, []*Logs{logsOf("loss", 1.0), logsOf("loss", 1.0)})
	want := "warning: Learning rate reduction is conditioned on metric `val_loss` which is not available. Available metrics are: loss,learning_rate.\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}
