package bench

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Units of a row's figures.
const (
	GFLOPS  = "GFLOP/s"   // 1e9 floating-point operations per second (an FMA is two)
	Samples = "samples/s" // training or inference samples per second
	Seconds = "s"         // seconds per call of the step, lower is better
)

// A Row is one workload of the table, run by deepgo in this process and by
// PyTorch in peer.py under the same Name.
type Row struct {
	Name  string // what --rows matches and what peer.py knows the workload by
	Unit  string // GFLOPS or Samples (higher is better), or Seconds (lower)
	About string // one line on what is measured, for --json and the docs
	// Setup builds the deepgo side of the workload: its data, its model
	// and the Step that is timed. It may leave files for the peer in
	// env.Dir and name them in env.PeerArgs.
	Setup func(env *Env) (*Step, error)
}

// A Step is the timed unit of a workload.
type Step struct {
	Run  func() error
	Work float64 // what one call of Run does: GFLOP for a GFLOPS row, samples for a Samples row; unused for Seconds rows
}

// Env is what a row's Setup may use besides its own data.
type Env struct {
	Dir      string   // a temporary folder, removed after the run, for files the peer reads
	PeerArgs []string // extra words for the peer's run line (no white space inside a word)
	Note     string   // a remark printed under the table, such as where the data came from
}

// lowerIsBetter reports whether the row's figure is a time, so that
// deepgo's advantage is the peer's figure over deepgo's.
func (r *Row) lowerIsBetter() bool { return r.Unit == Seconds }

// measure times step: calls of Run until d has passed (at least one), and
// returns the figure in the row's unit. A Seconds row is timed one call at
// a time whatever d is, since one call (an epoch) is already long.
func measure(step *Step, unit string, d time.Duration) (float64, error) {
	start := time.Now()
	calls := 0
	for {
		if err := step.Run(); err != nil {
			return 0, err
		}
		calls++
		if unit == Seconds || time.Since(start) >= d {
			break
		}
	}
	elapsed := time.Since(start).Seconds()
	if unit == Seconds {
		return elapsed / float64(calls), nil
	}
	return step.Work * float64(calls) / elapsed, nil
}

// warmUp runs step untimed for half of d and at least once, so that buffers
// are sized, caches filled and worker goroutines started before the first
// measurement. peer.py warms up by the same rule.
func warmUp(step *Step, unit string, d time.Duration) error {
	_, err := measure(step, unit, d/2)
	return err
}

// Select returns the rows whose name matches the regular expression expr,
// in table order; an empty expr selects every row.
func Select(expr string) ([]Row, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("--rows %q: %v", expr, err)
	}
	var out []Row
	var names []string
	for _, r := range Rows {
		names = append(names, r.Name)
		if re.MatchString(r.Name) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--rows %q matches no row (rows: %s)", expr, strings.Join(names, ", "))
	}
	return out, nil
}
