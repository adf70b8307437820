package callbacks

import (
	"github.com/deepgo-dev/deepgo/tensor"
)

// Logs are the named figures of a step or an epoch ("loss", "accuracy",
// "val_loss", …) in a fixed order: training figures first, in compile
// order, then validation figures.
type Logs struct {
	Keys   []string
	Values []float64
}

// Get returns the value of key and whether it is present.
func (l *Logs) Get(key string) (float64, bool) {
	for i, k := range l.Keys {
		if k == key {
			return l.Values[i], true
		}
	}
	return 0, false
}

// Set sets key to v, appending it when new.
func (l *Logs) Set(key string, v float64) {
	for i, k := range l.Keys {
		if k == key {
			l.Values[i] = v
			return
		}
	}
	l.Keys = append(l.Keys, key)
	l.Values = append(l.Values, v)
}

// Reset empties the logs, keeping their storage.
func (l *Logs) Reset() { l.Keys, l.Values = l.Keys[:0], l.Values[:0] }

// Model is what callbacks may do to the model being trained. The models
// package implements it; callbacks do not import models.
type Model interface {
	// StopTraining ends Fit after the current epoch.
	StopTraining()
	// GetWeights returns copies of every weight, in model order.
	GetWeights() []*tensor.Tensor
	// SetWeights restores weights returned by GetWeights.
	SetWeights(ws []*tensor.Tensor) error
	// Save writes the model file (atomically).
	Save(path string) error
	// LearningRate is the optimizer's current learning rate.
	LearningRate() float64
	// SetLearningRate changes it (an error when a schedule drives it).
	SetLearningRate(lr float64) error
}

// Params describes the run a callback takes part in.
type Params struct {
	Epochs       int
	InitialEpoch int // epochs are numbered from InitialEpoch (0-based)
	Steps        int // steps per epoch: ceil(samples / batch_size)
	Samples      int
	Verbose      int      // 0 silent, 1 progress bar, 2 one line per epoch
	Metrics      []string // the keys the logs will carry, training then validation
}

// Callback receives the events of Fit, in Keras's order. Epoch numbers are
// 0-based, as in Keras's on_epoch_end; step numbers within an epoch too.
// An error from a callback stops training and is returned by Fit.
type Callback interface {
	SetModel(m Model, p Params)
	OnTrainBegin() error
	OnEpochBegin(epoch int) error
	OnBatchEnd(step int, logs *Logs) error
	OnEpochEnd(epoch int, logs *Logs) error
	OnTrainEnd(logs *Logs) error
}

// Base implements every method as a no-op; callbacks embed it and override
// the events they need.
type Base struct {
	Model  Model
	Params Params
}

func (b *Base) SetModel(m Model, p Params) { b.Model, b.Params = m, p }
func (*Base) OnTrainBegin() error          { return nil }
func (*Base) OnEpochBegin(int) error       { return nil }
func (*Base) OnBatchEnd(int, *Logs) error  { return nil }
func (*Base) OnEpochEnd(int, *Logs) error  { return nil }
func (*Base) OnTrainEnd(*Logs) error       { return nil }
