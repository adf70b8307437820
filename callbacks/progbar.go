package callbacks

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ANSI escapes of Keras 3's bar: bold for the counts and times, green for
// the steps done, white for the steps to go.
const (
	ansiBold  = "\x1b[1m"
	ansiGreen = "\x1b[32m"
	ansiWhite = "\x1b[37m"
	ansiReset = "\x1b[0m"
	barRune   = "━"
)

// ProgBar prints training progress as Keras 3's ProgbarLogger does.
//
// Verbose 1 (for terminals) redraws one line in place with "\r", at most
// every Interval (Keras: 0.05 s) and once more at the end of the epoch:
//
//	125/469 ━━━━━━━━━━━━━━━━━━━━ 2s 5ms/step - accuracy: 0.9012 - loss: 0.3400
//
// that is the step count, a Width-character bar (done part green, the
// rest white), the estimated time left (the epoch's total time on the final
// line), the time per step and the running figures of the logs (values
// above 1e-3 in magnitude with 4 decimals, others as 1.2340e-04). The
// final line ends in a newline and carries the val_ figures too.
//
// Verbose 2 (for logs and pipes) prints one line per epoch:
//
//	469/469 - 3s - 6ms/step - accuracy: 0.9000 - loss: 0.2000 - val_loss: 0.1500
//
// Both print "Epoch N/EPOCHS" first when there is more than one epoch.
// The time per step leaves out the first step (which includes warm-up)
// once there are two. Keras 3 shows, in the middle of an epoch, the mean
// of the running means it has seen; ProgBar shows the running means as
// logged, so the live figures match History.
type ProgBar struct {
	Base
	w       io.Writer
	verbose int
	now     func() time.Time

	// Width is the number of characters of the bar (Keras: 20).
	Width int
	// Interval is the least time between two redraws (Keras: 0.05 s).
	Interval time.Duration

	target     int // steps per epoch; 0 when unknown
	seen       int
	start      time.Time
	lastUpdate time.Time // zero: nothing drawn yet this epoch
	afterFirst time.Time // time at the end of step 1
	hasFirst   bool
	prevWidth  int
	keys       []string
	vals       []float64
	line       strings.Builder
}

// NewProgBar returns a progress bar printing to w at the given Keras
// verbosity (0 silent, 1 live bar, 2 one line per epoch).
func NewProgBar(w io.Writer, verbose int) *ProgBar {
	return &ProgBar{w: w, verbose: verbose, now: time.Now, Width: 20, Interval: 50 * time.Millisecond}
}

// OnEpochBegin prints the epoch header and starts the epoch's clock.
func (p *ProgBar) OnEpochBegin(epoch int) error {
	p.target, p.seen = p.Params.Steps, 0
	p.start, p.lastUpdate = p.now(), time.Time{}
	p.hasFirst, p.prevWidth = false, 0
	p.keys, p.vals = p.keys[:0], p.vals[:0]
	if p.verbose > 0 && p.Params.Epochs > 1 {
		if _, err := fmt.Fprintf(p.w, "Epoch %d/%d\n", epoch+1, p.Params.Epochs); err != nil {
			return fmt.Errorf("progress bar: %w", err)
		}
	}
	return nil
}

// OnBatchEnd redraws the bar when Interval has passed since the last
// redraw. Between redraws it costs one clock reading.
func (p *ProgBar) OnBatchEnd(step int, logs *Logs) error {
	p.seen = step + 1
	if p.verbose != 1 {
		return nil
	}
	return p.update(p.seen, logs, false)
}

// OnEpochEnd draws the epoch's final line, with the validation figures.
func (p *ProgBar) OnEpochEnd(_ int, logs *Logs) error {
	if p.verbose != 1 && p.verbose != 2 {
		return nil
	}
	if p.target <= 0 {
		p.target = p.seen
	}
	return p.update(p.target, logs, true)
}

// update is Keras's Progbar.update.
func (p *ProgBar) update(current int, logs *Logs, finalize bool) error {
	now := p.now()
	perStep := p.stepDuration(current, now)
	if !finalize && !p.lastUpdate.IsZero() && now.Sub(p.lastUpdate) < p.Interval {
		return nil
	}
	p.lastUpdate = now
	p.record(logs)
	p.line.Reset()
	if p.verbose == 2 {
		p.writeLine2(current, now, perStep)
	} else {
		p.writeLine1(current, now, perStep, finalize)
	}
	if _, err := io.WriteString(p.w, p.line.String()); err != nil {
		return fmt.Errorf("progress bar: %w", err)
	}
	return nil
}

// record keeps the latest value of each key, in first-seen order.
func (p *ProgBar) record(logs *Logs) {
	if logs == nil {
		return
	}
	for i, k := range logs.Keys {
		j := 0
		for j < len(p.keys) && p.keys[j] != k {
			j++
		}
		if j == len(p.keys) {
			p.keys = append(p.keys, k)
			p.vals = append(p.vals, 0)
		}
		p.vals[j] = logs.Values[i]
	}
}

// stepDuration is Keras's _estimate_step_duration, in seconds: after step
// 1 the first step's time is left out.
func (p *ProgBar) stepDuration(current int, now time.Time) float64 {
	if current == 0 {
		return 0
	}
	var d float64
	if p.hasFirst && current > 1 {
		d = now.Sub(p.afterFirst).Seconds() / float64(current-1)
	} else {
		d = now.Sub(p.start).Seconds() / float64(current)
	}
	if current == 1 {
		p.afterFirst, p.hasFirst = now, true
	}
	return d
}

// writeLine1 builds the live line of verbose 1.
func (p *ProgBar) writeLine1(current int, now time.Time, perStep float64, finalize bool) {
	b := &p.line
	b.WriteString("\r")
	width := 0
	if p.target > 0 {
		count := p.count(current)
		b.WriteString(ansiBold + count + ansiReset + " ")
		done := min(max(int(float64(p.Width)*float64(current)/float64(p.target)), 0), p.Width)
		if done > 0 {
			b.WriteString(ansiGreen + strings.Repeat(barRune, done) + ansiReset)
		}
		b.WriteString(ansiWhite + strings.Repeat(barRune, p.Width-done) + ansiReset)
		width += len(count) + 1 + p.Width
	} else {
		count := fmt.Sprintf("%7d/Unknown", current)
		b.WriteString(count)
		width += len(count)
	}
	var t string
	if p.target > 0 && !finalize {
		t = formatETA(perStep * float64(p.target-current))
	} else {
		t = pyFloat(now.Sub(p.start).Seconds(), 'f', 0) + "s"
	}
	info := " " + formatStepTime(perStep) + p.metrics(true)
	b.WriteString(" " + ansiBold + t + ansiReset + info)
	width += 1 + len(t) + utf8.RuneCountInString(info)
	if p.prevWidth > width {
		b.WriteString(strings.Repeat(" ", p.prevWidth-width))
	}
	if finalize {
		b.WriteString("\n")
	}
	p.prevWidth = width
}

// writeLine2 builds the one line per epoch of verbose 2.
func (p *ProgBar) writeLine2(current int, now time.Time, perStep float64) {
	if p.target <= 0 {
		return
	}
	b := &p.line
	b.WriteString(p.count(current))
	b.WriteString(" - " + pyFloat(now.Sub(p.start).Seconds(), 'f', 0) + "s")
	b.WriteString(" - " + formatStepTime(perStep))
	b.WriteString(p.metrics(false))
	b.WriteString("\n")
}

// count is "current/target" with current padded to target's width.
func (p *ProgBar) count(current int) string {
	n := len(strconv.Itoa(p.target))
	return fmt.Sprintf("%*d/%d", n, current, p.target)
}

// metrics formats " - key: value" for every key. Keras compares the
// magnitude with 1e-3 in verbose 1 but the signed value in verbose 2.
func (p *ProgBar) metrics(useAbs bool) string {
	var b strings.Builder
	for i, k := range p.keys {
		v := p.vals[i]
		m := v
		if useAbs {
			m = math.Abs(v)
		}
		b.WriteString(" - " + k + ": ")
		if m > 1e-3 {
			b.WriteString(pyFloat(v, 'f', 4))
		} else {
			b.WriteString(pyFloat(v, 'e', 4))
		}
	}
	return b.String()
}

// formatETA is Keras's estimate of the time left: "2s", "1:05" or
// "1:01:05", with seconds truncated.
func formatETA(eta float64) string {
	switch {
	case eta > 3600:
		return fmt.Sprintf("%d:%02d:%02d", int(eta/3600), int(math.Mod(eta, 3600)/60), int(math.Mod(eta, 60)))
	case eta > 60:
		return fmt.Sprintf("%d:%02d", int(eta/60), int(math.Mod(eta, 60)))
	}
	return fmt.Sprintf("%ds", int(eta))
}

// formatStepTime is Keras's _format_time: "2s/step", "5ms/step" or
// "80us/step", rounded.
func formatStepTime(d float64) string {
	switch {
	case d >= 1 || d == 0:
		return pyFloat(d, 'f', 0) + "s/step"
	case d >= 1e-3:
		return pyFloat(d*1e3, 'f', 0) + "ms/step"
	}
	return pyFloat(d*1e6, 'f', 0) + "us/step"
}
