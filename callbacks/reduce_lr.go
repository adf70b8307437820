package callbacks

import (
	"fmt"
	"io"
	"math"
)

// ReduceLROnPlateauOptions are the arguments of Keras's
// ReduceLROnPlateau. Start from DefaultReduceLROnPlateauOptions: Keras's
// defaults for Factor, Patience and MinDelta are not zero.
type ReduceLROnPlateauOptions struct {
	// Monitor is the log key to watch; "" means "val_loss".
	Monitor string `json:"monitor" yaml:"monitor"`
	// Factor multiplies the learning rate at each reduction; in (0, 1).
	Factor float64 `json:"factor" yaml:"factor"`
	// Patience is the number of epochs without improvement before a
	// reduction.
	Patience int `json:"patience" yaml:"patience"`
	// Verbose 1 prints a message at each reduction.
	Verbose int `json:"verbose" yaml:"verbose"`
	// Mode is "auto" (or ""), "min" or "max".
	Mode string `json:"mode" yaml:"mode"`
	// MinDelta is the smallest change that counts as an improvement.
	MinDelta float64 `json:"min_delta" yaml:"min_delta"`
	// Cooldown is the number of epochs after a reduction during which
	// epochs without improvement are not counted.
	Cooldown int `json:"cooldown" yaml:"cooldown"`
	// MinLR is the lower bound of the learning rate.
	MinLR float64 `json:"min_lr" yaml:"min_lr"`
	// Writer receives messages and warnings; nil sends messages to
	// os.Stdout and warnings to os.Stderr.
	Writer io.Writer `json:"-" yaml:"-"`
}

// DefaultReduceLROnPlateauOptions returns Keras's defaults: monitor
// "val_loss", factor 0.1, patience 10, mode "auto", min_delta 1e-4,
// cooldown 0, min_lr 0.
func DefaultReduceLROnPlateauOptions() ReduceLROnPlateauOptions {
	return ReduceLROnPlateauOptions{Monitor: "val_loss", Factor: 0.1, Patience: 10, Mode: "auto", MinDelta: 1e-4}
}

// ReduceLROnPlateau multiplies the learning rate by Factor when the
// monitored figure has not improved for Patience epochs, as
// keras.callbacks.ReduceLROnPlateau does. Like Keras it also records the
// learning rate in the epoch logs, under "learning_rate", so that History
// and the progress bar show it when they run after this callback.
type ReduceLROnPlateau struct {
	Base
	opt    ReduceLROnPlateauOptions
	higher bool
	msg    messenger

	// Wait counts epochs without improvement outside cooldown.
	Wait int
	// CooldownCounter counts down the epochs of cooldown left.
	CooldownCounter int
	// Best is the best value seen (±Inf before any).
	Best float64
}

// NewReduceLROnPlateau checks o and returns the callback.
func NewReduceLROnPlateau(o ReduceLROnPlateauOptions) (*ReduceLROnPlateau, error) {
	if o.Monitor == "" {
		o.Monitor = "val_loss"
	}
	if o.Mode == "" {
		o.Mode = "auto"
	}
	switch {
	case !(o.Factor > 0 && o.Factor < 1):
		return nil, fmt.Errorf("reducelronplateau: factor must be in (0, 1), got %v (start from DefaultReduceLROnPlateauOptions)", o.Factor)
	case o.Patience < 0:
		return nil, fmt.Errorf("reducelronplateau: patience must be >= 0, got %d", o.Patience)
	case o.Cooldown < 0:
		return nil, fmt.Errorf("reducelronplateau: cooldown must be >= 0, got %d", o.Cooldown)
	case o.MinLR < 0:
		return nil, fmt.Errorf("reducelronplateau: min_lr must be >= 0, got %v", o.MinLR)
	}
	higher, err := resolveMode("reducelronplateau", o.Mode, o.Monitor)
	if err != nil {
		return nil, err
	}
	r := &ReduceLROnPlateau{opt: o, higher: higher, msg: messenger{w: o.Writer}}
	r.reset()
	return r, nil
}

// Options returns the options in force, defaults filled in.
func (r *ReduceLROnPlateau) Options() ReduceLROnPlateauOptions { return r.opt }

func (r *ReduceLROnPlateau) reset() {
	r.Best = math.Inf(1)
	if r.higher {
		r.Best = math.Inf(-1)
	}
	r.Wait, r.CooldownCounter, r.msg.warned = 0, 0, false
}

// OnTrainBegin resets the counters and the best value, as Keras does.
func (r *ReduceLROnPlateau) OnTrainBegin() error {
	r.reset()
	return nil
}

// improves reports whether v beats ref by more than MinDelta.
func (r *ReduceLROnPlateau) improves(v, ref float64) bool {
	if r.higher {
		return v > ref+r.opt.MinDelta
	}
	return v < ref-r.opt.MinDelta
}

// OnEpochEnd logs the learning rate and reduces it when the plateau has
// lasted Patience epochs.
func (r *ReduceLROnPlateau) OnEpochEnd(epoch int, logs *Logs) error {
	lr := r.Model.LearningRate()
	logs.Set("learning_rate", lr)
	v, ok := logs.Get(r.opt.Monitor)
	if !ok {
		r.msg.warnOnce("Learning rate reduction is conditioned on metric `%s` which is not available. Available metrics are: %s.",
			r.opt.Monitor, keyList(logs))
		return nil
	}
	if r.CooldownCounter > 0 {
		r.CooldownCounter--
		r.Wait = 0
	}
	if r.improves(v, r.Best) {
		r.Best, r.Wait = v, 0
		return nil
	}
	if r.CooldownCounter > 0 {
		return nil
	}
	r.Wait++
	if r.Wait < r.opt.Patience {
		return nil
	}
	// Keras keeps the rate in float32 and compares it with
	// float32(min_lr); comparing in float32 too stops the reductions at
	// the same point.
	if float32(lr) <= float32(r.opt.MinLR) {
		return nil
	}
	newLR := max(lr*r.opt.Factor, r.opt.MinLR)
	if err := r.Model.SetLearningRate(newLR); err != nil {
		return fmt.Errorf("reducelronplateau: epoch %d: %w", epoch+1, err)
	}
	if r.opt.Verbose > 0 {
		r.msg.printf("\nEpoch %d: ReduceLROnPlateau reducing learning rate to %s.\n", epoch+1, pyRepr(newLR))
	}
	r.CooldownCounter, r.Wait = r.opt.Cooldown, 0
	return nil
}
