package callbacks

import (
	"fmt"
	"io"
	"math"
)

// TerminateOnNaNOptions are the arguments of Keras's TerminateOnNaN.
type TerminateOnNaNOptions struct {
	// RaiseError makes OnBatchEnd return an error, so that Fit fails at
	// once, instead of stopping training gracefully.
	RaiseError bool `json:"raise_error" yaml:"raise_error"`
	// Writer receives the message; nil means os.Stdout.
	Writer io.Writer `json:"-" yaml:"-"`
}

// TerminateOnNaN stops training as soon as the running loss of a batch is
// NaN or infinite, printing "Batch N: Invalid loss, terminating training"
// (N is the 0-based step), as keras.callbacks.TerminateOnNaN does.
type TerminateOnNaN struct {
	Base
	opt TerminateOnNaNOptions
	msg messenger
}

// NewTerminateOnNaN returns the callback.
func NewTerminateOnNaN(o TerminateOnNaNOptions) *TerminateOnNaN {
	return &TerminateOnNaN{opt: o, msg: messenger{w: o.Writer}}
}

// OnBatchEnd checks the loss.
func (t *TerminateOnNaN) OnBatchEnd(step int, logs *Logs) error {
	loss, ok := logs.Get("loss")
	if !ok || !(math.IsNaN(loss) || math.IsInf(loss, 0)) {
		return nil
	}
	if t.opt.RaiseError {
		return fmt.Errorf("terminateonnan: NaN or Inf loss encountered at batch %d: loss %s", step, pyRepr(loss))
	}
	t.msg.printf("Batch %d: Invalid loss, terminating training\n", step)
	t.Model.StopTraining()
	return nil
}
