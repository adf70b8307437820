package callbacks

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// resolveMode checks a Keras mode ("auto", "min" or "max"; "" means
// "auto") and returns whether larger values of monitor are better. In
// "auto" mode a name (without its "val_" prefix) containing "acc", "auc",
// "precision" or "recall" is maximised and anything else (losses, errors)
// minimised; Keras 3 asks the metric object for its direction, and these
// are the metrics whose direction is "up".
func resolveMode(who, mode, monitor string) (higherIsBetter bool, err error) {
	switch mode {
	case "min":
		return false, nil
	case "max":
		return true, nil
	case "", "auto":
		name := strings.TrimPrefix(monitor, "val_")
		for _, up := range []string{"acc", "auc", "precision", "recall"} {
			if strings.Contains(name, up) {
				return true, nil
			}
		}
		return false, nil
	}
	return false, fmt.Errorf("%s: mode %q is unknown; use \"auto\", \"min\" or \"max\"", who, mode)
}

// messenger prints a callback's messages and warnings. Keras prints
// messages with print (stdout) and warnings with warnings.warn (stderr,
// once per place); with w set, both go to w.
type messenger struct {
	w      io.Writer
	warned bool
}

func (m *messenger) printf(format string, args ...any) {
	w := m.w
	if w == nil {
		w = os.Stdout
	}
	fmt.Fprintf(w, format, args...)
}

// warnOnce prints a warning the first time it is called after reset.
func (m *messenger) warnOnce(format string, args ...any) {
	if m.warned {
		return
	}
	m.warned = true
	w := m.w
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintf(w, "warning: "+format+"\n", args...)
}

// keyList joins the keys of logs as Keras's warnings do.
func keyList(logs *Logs) string {
	if logs == nil {
		return ""
	}
	return strings.Join(logs.Keys, ",")
}
