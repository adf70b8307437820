package callbacks

import (
	"bytes"
	"strings"
	"testing"
)

// bar is the expected 20-character bar with done steps green.
func bar(done int) string {
	s := ""
	if done > 0 {
		s = ansiGreen + strings.Repeat("━", done) + ansiReset
	}
	return s + ansiWhite + strings.Repeat("━", 20-done) + ansiReset
}

func bold(s string) string { return ansiBold + s + ansiReset }

// runEpoch feeds one epoch of 4 steps to p at fixed times (ms): step 1
// takes 1.5 s (warm-up), step 2 1 s, step 3 20 ms (inside the 50 ms
// redraw interval), step 4 980 ms; the epoch ends 100 ms later.
func runEpoch(t *testing.T, p *ProgBar, clock *fakeClock, epoch int) {
	t.Helper()
	clock.at(0)
	if err := p.OnEpochBegin(epoch); err != nil {
		t.Fatal(err)
	}
	times := []int64{1500, 2500, 2520, 3500}
	loss := []float64{0.9, 0.8, 0.7, 0.6}
	acc := []float64{0.5, 0.6, 0.7, 0.75}
	for i, ms := range times {
		clock.at(ms)
		if err := p.OnBatchEnd(i, logsOf("loss", loss[i], "accuracy", acc[i])); err != nil {
			t.Fatal(err)
		}
	}
	clock.at(3600)
	end := logsOf("loss", 0.6, "accuracy", 0.75, "val_loss", 0.00042, "val_accuracy", 0.8)
	if err := p.OnEpochEnd(epoch, end); err != nil {
		t.Fatal(err)
	}
}

func newTestBar(verbose int, p Params) (*ProgBar, *bytes.Buffer, *fakeClock) {
	var out bytes.Buffer
	clock := &fakeClock{}
	b := NewProgBar(&out, verbose)
	b.now = clock.now
	b.SetModel(&fakeModel{}, p)
	return b, &out, clock
}

// The expected lines follow Keras 3's Progbar.update
// (keras/src/utils/progbar.py); the times are worked out beside each.
func TestProgBarVerbose1(t *testing.T) {
	p, out, clock := newTestBar(1, Params{Epochs: 2, Steps: 4})
	runEpoch(t, p, clock, 0)
	want := "Epoch 1/2\n" +
		// Step 1 at 1.5 s: 1.5 s/step rounds to 2 s; ETA 1.5*3 = 4.5 s shows 4s.
		"\r" + bold("1/4") + " " + bar(5) + " " + bold("4s") + " 2s/step - loss: 0.9000 - accuracy: 0.5000" +
		// Step 2 at 2.5 s: (2.5-1.5)/1 = 1 s/step without the first step; ETA 2 s.
		"\r" + bold("2/4") + " " + bar(10) + " " + bold("2s") + " 1s/step - loss: 0.8000 - accuracy: 0.6000" +
		// Step 3 is 20 ms after step 2: not drawn. Step 4 at 3.5 s: 2/3 s/step.
		"\r" + bold("4/4") + " " + bar(20) + " " + bold("0s") + " 667ms/step - loss: 0.6000 - accuracy: 0.7500" +
		// End at 3.6 s: 2.1/3 = 0.7 s/step, 3.6 s total rounds to 4s.
		"\r" + bold("4/4") + " " + bar(20) + " " + bold("4s") + " 700ms/step - loss: 0.6000 - accuracy: 0.7500" +
		" - val_loss: 4.2000e-04 - val_accuracy: 0.8000\n"
	if out.String() != want {
		t.Errorf("got\n%q\nwant\n%q", out.String(), want)
	}
	out.Reset()
	runEpoch(t, p, clock, 1)
	if !strings.HasPrefix(out.String(), "Epoch 2/2\n\r"+bold("1/4")+" "+bar(5)+" "+bold("4s")+" 2s/step") {
		t.Errorf("got second epoch %q, want it to start afresh", out.String())
	}
}

func TestProgBarVerbose2(t *testing.T) {
	p, out, clock := newTestBar(2, Params{Epochs: 2, Steps: 4})
	runEpoch(t, p, clock, 0)
	// Only the end is timed: 3.6 s for 4 steps is 900 ms/step.
	want := "Epoch 1/2\n4/4 - 4s - 900ms/step - loss: 0.6000 - accuracy: 0.7500 - val_loss: 4.2000e-04 - val_accuracy: 0.8000\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestProgBarOneEpochNoHeader(t *testing.T) {
	for _, v := range []int{1, 2} {
		p, out, clock := newTestBar(v, Params{Epochs: 1, Steps: 4})
		runEpoch(t, p, clock, 0)
		if strings.Contains(out.String(), "Epoch") {
			t.Errorf("verbose %d: got %q, want no epoch header for a single epoch (as Keras)", v, out.String())
		}
	}
}

func TestProgBarSilent(t *testing.T) {
	p, out, clock := newTestBar(0, Params{Epochs: 2, Steps: 4})
	runEpoch(t, p, clock, 0)
	if out.Len() != 0 {
		t.Errorf("got %q, want nothing at verbose 0", out.String())
	}
}

// countingWriter counts the writes it gets.
type countingWriter struct{ n int }

func (w *countingWriter) Write(b []byte) (int, error) { w.n++; return len(b), nil }

func TestProgBarRedrawInterval(t *testing.T) {
	var w countingWriter
	clock := &fakeClock{}
	p := NewProgBar(&w, 1)
	p.now = clock.now
	p.SetModel(&fakeModel{}, Params{Epochs: 1, Steps: 1000})
	clock.at(0)
	p.OnEpochBegin(0)
	logs := logsOf("loss", 0.5)
	for i := range 1000 {
		clock.at(int64(i + 1)) // one step per ms
		p.OnBatchEnd(i, logs)
	}
	p.OnEpochEnd(0, logs)
	// Redraws at 1, 51, …, 951 ms (20 of them), plus the final line.
	if w.n != 21 {
		t.Errorf("got %d writes for 1000 steps of 1 ms, want 21", w.n)
	}
}

func TestProgBarPadsShorterLine(t *testing.T) {
	p, out, clock := newTestBar(1, Params{Epochs: 1, Steps: 100})
	clock.at(0)
	p.OnEpochBegin(0)
	logs := logsOf("loss", 0.5)
	clock.at(1000)
	p.OnBatchEnd(0, logs)
	// At 1 s per step, step 39 leaves 61 s ("1:01"), step 41 leaves 59 s
	// ("59s"), one character shorter.
	clock.at(39000)
	p.OnBatchEnd(38, logs)
	out.Reset()
	clock.at(41000)
	p.OnBatchEnd(40, logs)
	want := "\r" + bold(" 41/100") + " " + bar(8) + " " + bold("59s") + " 1s/step - loss: 0.5000 "
	if out.String() != want {
		t.Errorf("got %q, want %q (one space of padding)", out.String(), want)
	}
}

func TestProgBarUnknownSteps(t *testing.T) {
	p, out, clock := newTestBar(1, Params{Epochs: 1})
	clock.at(0)
	p.OnEpochBegin(0)
	for i := range 3 {
		clock.at(int64(i+1) * 1000)
		p.OnBatchEnd(i, logsOf("loss", 0.5))
	}
	clock.at(3000)
	p.OnEpochEnd(0, logsOf("loss", 0.5))
	want := "\r      1/Unknown " + bold("1s") + " 1s/step - loss: 0.5000" +
		"\r      2/Unknown " + bold("2s") + " 1s/step - loss: 0.5000" +
		"\r      3/Unknown " + bold("3s") + " 1s/step - loss: 0.5000" +
		"\r" + bold("3/3") + " " + bar(20) + " " + bold("3s") + " 1s/step - loss: 0.5000\n"
	if out.String() != want {
		t.Errorf("got\n%q\nwant\n%q", out.String(), want)
	}
}

// Python: f"{-0.5:.4f}" is "-0.5000" and f"{-0.5:.4e}" is "-5.0000e-01";
// Keras tests abs(v) > 1e-3 in verbose 1 but v > 1e-3 in verbose 2.
func TestProgBarValueFormat(t *testing.T) {
	p := NewProgBar(nil, 1)
	p.record(logsOf("a", -0.5, "b", 1e-4, "c", 0.0, "d", 1234.5))
	if got, want := p.metrics(true), " - a: -0.5000 - b: 1.0000e-04 - c: 0.0000e+00 - d: 1234.5000"; got != want {
		t.Errorf("verbose 1: got %q, want %q", got, want)
	}
	if got, want := p.metrics(false), " - a: -5.0000e-01 - b: 1.0000e-04 - c: 0.0000e+00 - d: 1234.5000"; got != want {
		t.Errorf("verbose 2: got %q, want %q", got, want)
	}
}

// Each want is what Keras's own expressions print in Python 3.11.
func TestProgBarTimeFormat(t *testing.T) {
	etas := []struct {
		s    float64
		want string
	}{{0, "0s"}, {59.9, "59s"}, {60, "60s"}, {61.5, "1:01"}, {3600, "60:00"}, {3661, "1:01:01"}, {7322.7, "2:02:02"}}
	for _, tt := range etas {
		if got := formatETA(tt.s); got != tt.want {
			t.Errorf("formatETA(%v): got %q, want %q", tt.s, got, tt.want)
		}
	}
	steps := []struct {
		s    float64
		want string
	}{{0, "0s/step"}, {2.4, "2s/step"}, {2.5, "2s/step"}, {1, "1s/step"}, {0.0054, "5ms/step"},
		{0.00008, "80us/step"}, {0.0015, "2ms/step"}, {0.9, "900ms/step"}}
	for _, tt := range steps {
		if got := formatStepTime(tt.s); got != tt.want {
			t.Errorf("formatStepTime(%v): got %q, want %q", tt.s, got, tt.want)
		}
	}
}

// BenchmarkProgBarBatch measures the per-step cost of the live bar with
// the real clock; most steps fall inside the redraw interval.
func BenchmarkProgBarBatch(b *testing.B) {
	var w countingWriter
	p := NewProgBar(&w, 1)
	p.SetModel(&fakeModel{}, Params{Epochs: 1, Steps: 1 << 30})
	p.OnEpochBegin(0)
	logs := logsOf("loss", 0.5, "accuracy", 0.9)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.OnBatchEnd(i, logs)
	}
}
