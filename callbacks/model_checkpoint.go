package callbacks

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
)

// ModelCheckpointOptions are the arguments of Keras's ModelCheckpoint
// (saving the whole model at the end of each epoch).
type ModelCheckpointOptions struct {
	// Filepath is where the model is saved. It may hold Python format
	// fields filled from the epoch (1-based) and the epoch logs, e.g.
	// "ckpt/{epoch:02d}-{val_loss:.2f}.deepgo".
	Filepath string `json:"filepath" yaml:"filepath"`
	// Monitor is the log key that decides the best model; "" means
	// "val_loss".
	Monitor string `json:"monitor" yaml:"monitor"`
	// Verbose 1 prints a message for each save decision.
	Verbose int `json:"verbose" yaml:"verbose"`
	// SaveBestOnly saves only when the monitored value beats the best so
	// far.
	SaveBestOnly bool `json:"save_best_only" yaml:"save_best_only"`
	// Mode is "auto" (or ""), "min" or "max".
	Mode string `json:"mode" yaml:"mode"`
	// InitialValueThreshold, when set, is the value the first saved model
	// must beat under SaveBestOnly.
	InitialValueThreshold *float64 `json:"initial_value_threshold" yaml:"initial_value_threshold"`
	// Writer receives messages and warnings; nil sends messages to
	// os.Stdout and warnings to os.Stderr.
	Writer io.Writer `json:"-" yaml:"-"`
}

// ModelCheckpoint saves the model at the end of every epoch, or only when
// it is the best so far, as keras.callbacks.ModelCheckpoint does. The
// directory of the file is created when missing. Saving weights only and
// saving every N batches are not offered.
type ModelCheckpoint struct {
	Base
	opt    ModelCheckpointOptions
	tmpl   *pathTemplate
	higher bool
	msg    messenger

	// Best is the best monitored value saved so far (±Inf before any).
	Best float64
}

// NewModelCheckpoint checks o (the mode and the syntax of Filepath) and
// returns the callback.
func NewModelCheckpoint(o ModelCheckpointOptions) (*ModelCheckpoint, error) {
	if o.Filepath == "" {
		return nil, fmt.Errorf("modelcheckpoint: filepath is empty")
	}
	if o.Monitor == "" {
		o.Monitor = "val_loss"
	}
	if o.Mode == "" {
		o.Mode = "auto"
	}
	higher, err := resolveMode("modelcheckpoint", o.Mode, o.Monitor)
	if err != nil {
		return nil, err
	}
	t, err := parsePathTemplate(o.Filepath)
	if err != nil {
		return nil, fmt.Errorf("modelcheckpoint: %w", err)
	}
	c := &ModelCheckpoint{opt: o, tmpl: t, higher: higher, msg: messenger{w: o.Writer}}
	c.resetBest()
	return c, nil
}

func (c *ModelCheckpoint) resetBest() {
	switch {
	case c.opt.InitialValueThreshold != nil:
		c.Best = *c.opt.InitialValueThreshold
	case c.higher:
		c.Best = math.Inf(-1)
	default:
		c.Best = math.Inf(1)
	}
}

// Options returns the options in force, defaults filled in.
func (c *ModelCheckpoint) Options() ModelCheckpointOptions { return c.opt }

// OnTrainBegin clears the once-per-Fit warning. The best value is kept,
// as in Keras, so that a second Fit does not overwrite a better model.
func (c *ModelCheckpoint) OnTrainBegin() error {
	c.msg.warned = false
	return nil
}

// OnEpochEnd saves the model when it should.
func (c *ModelCheckpoint) OnEpochEnd(epoch int, logs *Logs) error {
	path, err := c.tmpl.format(epoch+1, logs)
	if err != nil {
		return fmt.Errorf("modelcheckpoint: %w", err)
	}
	if !c.shouldSave(epoch, logs, path) {
		return nil
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("modelcheckpoint: %w", err)
		}
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("modelcheckpoint: filepath %q is an existing directory; name a file", path)
	}
	if err := c.Model.Save(path); err != nil {
		return fmt.Errorf("modelcheckpoint: epoch %d: %w", epoch+1, err)
	}
	if c.opt.Verbose > 0 {
		c.msg.printf("\nEpoch %d: finished saving model to %s\n", epoch+1, path)
	}
	return nil
}

// shouldSave applies SaveBestOnly and prints Keras's messages.
func (c *ModelCheckpoint) shouldSave(epoch int, logs *Logs, path string) bool {
	if !c.opt.SaveBestOnly {
		if c.opt.Verbose > 0 {
			c.msg.printf("\nEpoch %d: saving model to %s\n", epoch+1, path)
		}
		return true
	}
	v, ok := logs.Get(c.opt.Monitor)
	if !ok {
		c.msg.warnOnce("Can save best model only with %s available.", c.opt.Monitor)
		return true
	}
	best := pyFloat(c.Best, 'f', 5)
	better := v < c.Best
	if c.higher {
		better = v > c.Best
	}
	if !better {
		if c.opt.Verbose > 0 {
			c.msg.printf("\nEpoch %d: %s did not improve from %s\n", epoch+1, c.opt.Monitor, best)
		}
		return false
	}
	if c.opt.Verbose > 0 {
		c.msg.printf("\nEpoch %d: %s improved from %s to %s, saving model to %s\n",
			epoch+1, c.opt.Monitor, best, pyFloat(v, 'f', 5), path)
	}
	c.Best = v
	return true
}
