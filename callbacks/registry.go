package callbacks

import (
	"io"
	"strings"

	"github.com/deepgo-dev/deepgo/spec"
)

// callbackNames are the spec names FromSpec accepts (Keras class names in
// snake_case).
var callbackNames = []string{"early_stopping", "model_checkpoint", "reduce_lr_on_plateau", "csv_logger", "terminate_on_nan"}

// FromSpec builds a callback from a spec file's fit.callbacks entry, such
// as {early_stopping: {patience: 3, restore_best_weights: true}}, with
// Keras's argument names and defaults. Messages go to w.
func FromSpec(n spec.Named, w io.Writer) (Callback, error) {
	r := n.Reader()
	var (
		cb  Callback
		err error
	)
	switch n.Name {
	case "early_stopping":
		if err := n.Check("monitor", "min_delta", "patience", "verbose", "mode", "baseline", "restore_best_weights", "start_from_epoch"); err != nil {
			return nil, err
		}
		o := DefaultEarlyStoppingOptions()
		o.Monitor, o.MinDelta, o.Patience = r.String("monitor", o.Monitor), r.Float("min_delta", o.MinDelta), r.Int("patience", o.Patience)
		o.Verbose, o.Mode = r.Int("verbose", o.Verbose), r.String("mode", o.Mode)
		o.RestoreBestWeights, o.StartFromEpoch = r.Bool("restore_best_weights", o.RestoreBestWeights), r.Int("start_from_epoch", o.StartFromEpoch)
		if raw, ok := n.Args.Get("baseline"); ok && raw != nil { // null is Keras's None: no baseline
			b := r.Float("baseline", 0)
			o.Baseline = &b
		}
		o.Writer = w
		if err := r.Err(); err != nil {
			return nil, err
		}
		cb, err = NewEarlyStopping(o)
	case "model_checkpoint":
		if err := n.Check("filepath", "monitor", "verbose", "save_best_only", "mode", "initial_value_threshold"); err != nil {
			return nil, err
		}
		o := ModelCheckpointOptions{}
		o.Filepath, o.Monitor = r.String("filepath", ""), r.String("monitor", o.Monitor)
		o.Verbose, o.SaveBestOnly, o.Mode = r.Int("verbose", o.Verbose), r.Bool("save_best_only", o.SaveBestOnly), r.String("mode", o.Mode)
		if raw, ok := n.Args.Get("initial_value_threshold"); ok && raw != nil { // null: none
			v := r.Float("initial_value_threshold", 0)
			o.InitialValueThreshold = &v
		}
		o.Writer = w
		if err := r.Err(); err != nil {
			return nil, err
		}
		cb, err = NewModelCheckpoint(o)
	case "reduce_lr_on_plateau":
		if err := n.Check("monitor", "factor", "patience", "verbose", "mode", "min_delta", "cooldown", "min_lr"); err != nil {
			return nil, err
		}
		o := DefaultReduceLROnPlateauOptions()
		o.Monitor, o.Factor, o.Patience = r.String("monitor", o.Monitor), r.Float("factor", o.Factor), r.Int("patience", o.Patience)
		o.Verbose, o.Mode, o.MinDelta = r.Int("verbose", o.Verbose), r.String("mode", o.Mode), r.Float("min_delta", o.MinDelta)
		o.Cooldown, o.MinLR = r.Int("cooldown", o.Cooldown), r.Float("min_lr", o.MinLR)
		o.Writer = w
		if err := r.Err(); err != nil {
			return nil, err
		}
		cb, err = NewReduceLROnPlateau(o)
	case "csv_logger":
		if err := n.Check("filename", "separator", "append"); err != nil {
			return nil, err
		}
		o := CSVLoggerOptions{Separator: ","}
		o.Filename, o.Separator, o.Append = r.String("filename", ""), r.String("separator", o.Separator), r.Bool("append", o.Append)
		if err := r.Err(); err != nil {
			return nil, err
		}
		cb, err = NewCSVLogger(o)
	case "terminate_on_nan":
		if err := n.Check(); err != nil {
			return nil, err
		}
		cb = NewTerminateOnNaN(TerminateOnNaNOptions{Writer: w})
	default:
		return nil, n.Errorf("unknown callback %q; known callbacks: %s", n.Name, strings.Join(callbackNames, ", "))
	}
	if err != nil {
		return nil, n.Errorf("%v", err)
	}
	return cb, nil
}
