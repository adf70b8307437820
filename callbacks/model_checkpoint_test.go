package callbacks

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestModelCheckpoint(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "ckpt", "m-{epoch:02d}-{val_loss:.2f}.deepgo")
	name := func(s string) string { return filepath.Join(dir, "ckpt", s) }
	tests := []struct {
		name string
		opt  ModelCheckpointOptions
		key  string
		vals []float64
		want []string
	}{
		{"every epoch", ModelCheckpointOptions{}, "val_loss", []float64{0.5, 0.6, 0.4},
			[]string{name("m-01-0.50.deepgo"), name("m-02-0.60.deepgo"), name("m-03-0.40.deepgo")}},
		{"best only", ModelCheckpointOptions{SaveBestOnly: true}, "val_loss", []float64{0.5, 0.6, 0.4, 0.4},
			[]string{name("m-01-0.50.deepgo"), name("m-03-0.40.deepgo")}},
		{"best only, max mode", ModelCheckpointOptions{SaveBestOnly: true, Mode: "max"}, "val_loss", []float64{0.5, 0.6, 0.4},
			[]string{name("m-01-0.50.deepgo"), name("m-02-0.60.deepgo")}},
		{"best only, threshold", ModelCheckpointOptions{SaveBestOnly: true, InitialValueThreshold: ptr(0.45)}, "val_loss",
			[]float64{0.5, 0.6, 0.4}, []string{name("m-03-0.40.deepgo")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Filepath = tmpl
			c, err := NewModelCheckpoint(tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			m := &fakeModel{}
			if _, err := fit(c, m, Params{}, series(tt.key, tt.vals...)); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m.saves, tt.want) {
				t.Errorf("got saves %q, want %q", m.saves, tt.want)
			}
		})
	}
	if fi, err := os.Stat(filepath.Join(dir, "ckpt")); err != nil || !fi.IsDir() {
		t.Errorf("got %v, want the checkpoint directory created", err)
	}
}

func TestModelCheckpointMessages(t *testing.T) {
	var out bytes.Buffer
	c, err := NewModelCheckpoint(ModelCheckpointOptions{Filepath: "best.deepgo", SaveBestOnly: true, Verbose: 1, Writer: &out})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fit(c, &fakeModel{}, Params{}, series("val_loss", 0.5, 0.6)); err != nil {
		t.Fatal(err)
	}
	// Keras's texts, best formatted with .5f ("inf" before the first).
	want := "\nEpoch 1: val_loss improved from inf to 0.50000, saving model to best.deepgo\n" +
		"\nEpoch 1: finished saving model to best.deepgo\n" +
		"\nEpoch 2: val_loss did not improve from 0.50000\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}

	out.Reset()
	c, _ = NewModelCheckpoint(ModelCheckpointOptions{Filepath: "m{epoch}.deepgo", Verbose: 1, Writer: &out})
	m := &fakeModel{}
	fit(c, m, Params{}, series("val_loss", 0.5))
	want = "\nEpoch 1: saving model to m1.deepgo\n\nEpoch 1: finished saving model to m1.deepgo\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestModelCheckpointMissingMonitor(t *testing.T) {
	var out bytes.Buffer
	c, _ := NewModelCheckpoint(ModelCheckpointOptions{Filepath: "m.deepgo", SaveBestOnly: true, Writer: &out})
	m := &fakeModel{}
	fit(c, m, Params{}, series("loss", 0.5, 0.6))
	// Keras saves anyway and warns.
	if len(m.saves) != 2 || out.String() != "warning: Can save best model only with val_loss available.\n" {
		t.Errorf("got saves %q and output %q; want 2 saves and one warning", m.saves, out.String())
	}
}

func TestModelCheckpointErrors(t *testing.T) {
	tests := []struct {
		opt  ModelCheckpointOptions
		want string
	}{
		{ModelCheckpointOptions{}, "filepath is empty"},
		{ModelCheckpointOptions{Filepath: "m-{epoch", Mode: "min"}, `filepath "m-{epoch": '{' at byte 2 is never closed`},
		{ModelCheckpointOptions{Filepath: "m", Mode: "up"}, `mode "up" is unknown`},
	}
	for _, tt := range tests {
		_, err := NewModelCheckpoint(tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewModelCheckpoint(%+v): got error %v, want one containing %q", tt.opt, err, tt.want)
		}
	}
	c, _ := NewModelCheckpoint(ModelCheckpointOptions{Filepath: "m-{val_acc:.2f}.deepgo"})
	_, err := fit(c, &fakeModel{}, Params{}, series("val_loss", 0.5))
	if err == nil || !strings.Contains(err.Error(), "names {val_acc}, which the logs lack (they have epoch, loss, val_loss)") {
		t.Errorf("got error %v, want one naming the missing key", err)
	}
	dir := t.TempDir()
	c, _ = NewModelCheckpoint(ModelCheckpointOptions{Filepath: dir})
	_, err = fit(c, &fakeModel{}, Params{}, series("val_loss", 0.5))
	if err == nil || !strings.Contains(err.Error(), "is an existing directory") {
		t.Errorf("got error %v, want one saying the filepath is a directory", err)
	}
}
