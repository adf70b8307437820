package callbacks

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestTerminateOnNaN(t *testing.T) {
	tests := []struct {
		loss     float64
		wantStop bool
	}{{0.5, false}, {math.NaN(), true}, {math.Inf(1), true}, {math.Inf(-1), true}}
	for _, tt := range tests {
		var out bytes.Buffer
		m := &fakeModel{}
		cb := NewTerminateOnNaN(TerminateOnNaNOptions{Writer: &out})
		cb.SetModel(m, Params{})
		if err := cb.OnBatchEnd(3, logsOf("loss", tt.loss)); err != nil {
			t.Fatal(err)
		}
		want := ""
		if tt.wantStop {
			want = "Batch 3: Invalid loss, terminating training\n"
		}
		if m.stopped != tt.wantStop || out.String() != want {
			t.Errorf("loss %v: got stopped %v, output %q; want %v, %q", tt.loss, m.stopped, out.String(), tt.wantStop, want)
		}
	}
	cb := NewTerminateOnNaN(TerminateOnNaNOptions{RaiseError: true})
	m := &fakeModel{}
	cb.SetModel(m, Params{})
	err := cb.OnBatchEnd(7, logsOf("loss", math.NaN()))
	if err == nil || err.Error() != "terminateonnan: NaN or Inf loss encountered at batch 7: loss nan" || m.stopped {
		t.Errorf("RaiseError: got %v (stopped %v), want the error and no graceful stop", err, m.stopped)
	}
	if err := cb.OnBatchEnd(0, logsOf("accuracy", math.NaN())); err != nil {
		t.Errorf("got %v for logs without loss, want nil", err)
	}
}

func TestJSONLines(t *testing.T) {
	var out bytes.Buffer
	j := JSONLines(&out)
	epochs := []*Logs{
		logsOf("loss", 0.21, "accuracy", 0.94, "val_loss", 0.11, "val_accuracy", 0.97),
		logsOf("loss", 1e-7, `we"ird`, math.NaN(), "big", 1e21, "inf", math.Inf(-1)),
	}
	if _, err := fit(j, &fakeModel{}, Params{}, epochs); err != nil {
		t.Fatal(err)
	}
	// The first line is INTERFACE.md's example; epochs print 1-based.
	want := `{"epoch":1,"loss":0.21,"accuracy":0.94,"val_loss":0.11,"val_accuracy":0.97}` + "\n" +
		`{"epoch":2,"loss":1e-07,"we\"ird":null,"big":1e+21,"inf":null}` + "\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("got invalid JSON %q", line)
		}
	}
}

func TestHistory(t *testing.T) {
	h := NewHistory()
	epochs := []*Logs{
		logsOf("loss", 0.5, "accuracy", 0.75),
		logsOf("loss", 0.25, "accuracy", 0.875, "learning_rate", 0.001),
		logsOf("loss", math.NaN(), "accuracy", 0.9, "learning_rate", 0.0001),
	}
	if _, err := fit(h, &fakeModel{}, Params{}, epochs); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.Epoch, []int{0, 1, 2}) || !slices.Equal(h.Keys, []string{"loss", "accuracy", "learning_rate"}) || h.Len() != 3 {
		t.Errorf("got epochs %v, keys %q; want [0 1 2], [loss accuracy learning_rate]", h.Epoch, h.Keys)
	}
	// A key first logged at epoch 1 has two values, as in Keras.
	if got := h.Get("learning_rate"); !slices.Equal(got, []float64{0.001, 0.0001}) {
		t.Errorf("got learning_rate %v, want [0.001 0.0001]", got)
	}
	if got := h.Get("val_loss"); got != nil {
		t.Errorf("got %v for a key never logged, want nil", got)
	}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"epoch":[0,1,2],"history":{"loss":[0.5,0.25,null],"accuracy":[0.75,0.875,0.9],"learning_rate":[0.001,0.0001]}}`
	if string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	var back History
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Keys, h.Keys) || !slices.Equal(back.Epoch, h.Epoch) || !math.IsNaN(back.Get("loss")[2]) ||
		!slices.Equal(back.Get("accuracy"), h.Get("accuracy")) {
		t.Errorf("got %+v after a JSON round trip, want %+v", back, h)
	}
	// A new Fit starts a new history.
	fit(h, &fakeModel{}, Params{}, epochs[:1])
	if h.Len() != 1 || len(h.Get("loss")) != 1 {
		t.Errorf("got %d epochs after a second Fit of one epoch, want 1", h.Len())
	}
	for _, bad := range []string{`{"history":[1]}`, `{"history":{"a":[1],"a":[2]}}`, `{"history":{"a":"x"}}`, `[`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("got no error unmarshalling %s", bad)
		}
	}
	var empty History
	if b, _ := json.Marshal(&empty); string(b) != `{"epoch":[],"history":{}}` {
		t.Errorf("got %s for an empty History", b)
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, tt := range []struct {
		name string
		f    *os.File
	}{{"regular file", f}, {"pipe", w}, {"nil", nil}} {
		if IsTerminal(tt.f) {
			t.Errorf("IsTerminal(%s): got true, want false", tt.name)
		}
	}
	// A pseudo-terminal is a terminal, where the system offers one.
	if pty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0); err == nil {
		defer pty.Close()
		if !IsTerminal(pty) {
			t.Errorf("IsTerminal(/dev/ptmx): got false, want true")
		}
	}
}
