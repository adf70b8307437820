package callbacks

import (
	"fmt"
	"io"

	"github.com/deepgo-dev/deepgo/tensor"
)

// EarlyStoppingOptions are the arguments of Keras's EarlyStopping. The
// zero value is Keras's default except for the strings, where "" stands
// for the default.
type EarlyStoppingOptions struct {
	// Monitor is the log key to watch; "" means "val_loss".
	Monitor string `json:"monitor" yaml:"monitor"`
	// MinDelta is the smallest change that counts as an improvement; its
	// sign is ignored.
	MinDelta float64 `json:"min_delta" yaml:"min_delta"`
	// Patience is the number of epochs without improvement after which
	// training stops.
	Patience int `json:"patience" yaml:"patience"`
	// Verbose 1 prints "Epoch N: early stopping" and the restore message.
	Verbose int `json:"verbose" yaml:"verbose"`
	// Mode is "auto" (or ""), "min" or "max".
	Mode string `json:"mode" yaml:"mode"`
	// Baseline, when set, is a value the monitor must beat: until it does,
	// improvements do not reset the patience counter.
	Baseline *float64 `json:"baseline" yaml:"baseline"`
	// RestoreBestWeights puts back the weights of the best epoch when
	// training ends, whether or not it stopped early.
	RestoreBestWeights bool `json:"restore_best_weights" yaml:"restore_best_weights"`
	// StartFromEpoch is the number of warm-up epochs that are not watched.
	StartFromEpoch int `json:"start_from_epoch" yaml:"start_from_epoch"`
	// Writer receives messages and warnings; nil sends messages to
	// os.Stdout and warnings to os.Stderr, as Keras does.
	Writer io.Writer `json:"-" yaml:"-"`
}

// DefaultEarlyStoppingOptions returns Keras's defaults: monitor
// "val_loss", mode "auto", everything else zero.
func DefaultEarlyStoppingOptions() EarlyStoppingOptions {
	return EarlyStoppingOptions{Monitor: "val_loss", Mode: "auto"}
}

// EarlyStopping stops training when the monitored figure has stopped
// improving, as keras.callbacks.EarlyStopping does.
//
// At the end of each epoch (from StartFromEpoch on) the counter Wait goes
// up by one; an epoch whose value v beats the best so far (v - MinDelta <
// best in min mode, v + MinDelta > best in max mode) becomes the new best
// and resets Wait to 0, provided it also beats Baseline. When Wait reaches
// Patience (and this is not the first epoch) training stops. A missing
// monitor key prints a warning listing the keys present, once per Fit,
// and training goes on, as in Keras.
type EarlyStopping struct {
	Base
	opt    EarlyStoppingOptions
	higher bool
	msg    messenger

	// Wait is the number of epochs since the last improvement.
	Wait int
	// StoppedEpoch is the 0-based epoch at which training was stopped, 0
	// if it was not.
	StoppedEpoch int
	// BestEpoch is the 0-based epoch with the best value.
	BestEpoch int
	// Best is the best value seen; valid when HasBest.
	Best    float64
	HasBest bool

	bestWeights []*tensor.Tensor
}

// NewEarlyStopping checks o and returns the callback.
func NewEarlyStopping(o EarlyStoppingOptions) (*EarlyStopping, error) {
	if o.Monitor == "" {
		o.Monitor = "val_loss"
	}
	if o.Mode == "" {
		o.Mode = "auto"
	}
	if o.Patience < 0 {
		return nil, fmt.Errorf("earlystopping: patience must be >= 0, got %d", o.Patience)
	}
	if o.StartFromEpoch < 0 {
		return nil, fmt.Errorf("earlystopping: start_from_epoch must be >= 0, got %d", o.StartFromEpoch)
	}
	higher, err := resolveMode("earlystopping", o.Mode, o.Monitor)
	if err != nil {
		return nil, err
	}
	if o.MinDelta < 0 {
		o.MinDelta = -o.MinDelta
	}
	return &EarlyStopping{opt: o, higher: higher, msg: messenger{w: o.Writer}}, nil
}

// Options returns the options in force, defaults filled in.
func (e *EarlyStopping) Options() EarlyStoppingOptions { return e.opt }

// OnTrainBegin resets the state so that one EarlyStopping can serve
// several Fit calls.
func (e *EarlyStopping) OnTrainBegin() error {
	e.Wait, e.StoppedEpoch, e.BestEpoch = 0, 0, 0
	e.HasBest, e.bestWeights = false, nil
	e.msg.warned = false
	return nil
}

// improves reports whether v beats ref by more than MinDelta.
func (e *EarlyStopping) improves(v, ref float64) bool {
	if e.higher {
		return v-e.opt.MinDelta > ref
	}
	return v+e.opt.MinDelta < ref
}

// OnEpochEnd updates the counters and stops training when patience has
// run out.
func (e *EarlyStopping) OnEpochEnd(epoch int, logs *Logs) error {
	v, ok := logs.Get(e.opt.Monitor)
	if !ok {
		e.msg.warnOnce("Early stopping conditioned on metric `%s` which is not available. Available metrics are: %s",
			e.opt.Monitor, keyList(logs))
		return nil
	}
	if epoch < e.opt.StartFromEpoch {
		return nil
	}
	if e.opt.RestoreBestWeights && e.bestWeights == nil {
		// The first watched epoch is the best until another beats it.
		e.bestWeights, e.BestEpoch = e.Model.GetWeights(), epoch
	}
	e.Wait++
	if !e.HasBest || e.improves(v, e.Best) {
		e.Best, e.HasBest, e.BestEpoch = v, true, epoch
		if e.opt.RestoreBestWeights {
			e.bestWeights = e.Model.GetWeights()
		}
		if e.opt.Baseline == nil || e.improves(v, *e.opt.Baseline) {
			e.Wait = 0
		}
		return nil
	}
	if e.Wait >= e.opt.Patience && epoch > 0 {
		e.StoppedEpoch = epoch
		e.Model.StopTraining()
	}
	return nil
}

// OnTrainEnd reports the stop and restores the best weights.
func (e *EarlyStopping) OnTrainEnd(*Logs) error {
	if e.StoppedEpoch > 0 && e.opt.Verbose > 0 {
		e.msg.printf("Epoch %d: early stopping\n", e.StoppedEpoch+1)
	}
	if e.opt.RestoreBestWeights && e.bestWeights != nil {
		if e.opt.Verbose > 0 {
			e.msg.printf("Restoring model weights from the end of the best epoch: %d.\n", e.BestEpoch+1)
		}
		if err := e.Model.SetWeights(e.bestWeights); err != nil {
			return fmt.Errorf("earlystopping: restoring the weights of epoch %d: %w", e.BestEpoch+1, err)
		}
	}
	return nil
}
