package callbacks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCSVLogger(t *testing.T) {
	dir := t.TempDir()
	epochs := []*Logs{
		logsOf("loss", 0.5, "accuracy", 0.75, "val_loss", 1.0),
		logsOf("loss", 0.25, "accuracy", 1e-5, "val_loss", 0.125, "val_accuracy", 0.9),
	}
	// Keras sorts the keys of the first epoch and adds the val_ keys the
	// model promises; values are Python reprs ("1.0", "1e-05"), missing
	// ones "NA", epochs 0-based.
	want := "epoch,accuracy,loss,val_loss,val_accuracy\n" +
		"0,0.75,0.5,1.0,NA\n" +
		"1,1e-05,0.25,0.125,0.9\n"
	p := Params{Metrics: []string{"loss", "accuracy", "val_loss", "val_accuracy"}}
	tests := []struct {
		name string
		opt  CSVLoggerOptions
		runs int
		want string
	}{
		{"one run", CSVLoggerOptions{}, 1, want},
		{"overwrite", CSVLoggerOptions{}, 2, want},
		{"append", CSVLoggerOptions{Append: true}, 2, want + want[strings.IndexByte(want, '\n')+1:]},
		{"separator", CSVLoggerOptions{Separator: ";"}, 1, strings.ReplaceAll(want, ",", ";")},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Filename = filepath.Join(dir, "log"+string(rune('a'+i))+".csv")
			c, err := NewCSVLogger(tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			for range tt.runs {
				if _, err := fit(c, &fakeModel{}, p, epochs); err != nil {
					t.Fatal(err)
				}
			}
			got, err := os.ReadFile(tt.opt.Filename)
			if err != nil || string(got) != tt.want {
				t.Errorf("got %q (err %v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestCSVLoggerFlushesEachEpoch(t *testing.T) {
	name := filepath.Join(t.TempDir(), "log.csv")
	c, _ := NewCSVLogger(CSVLoggerOptions{Filename: name})
	c.SetModel(&fakeModel{}, Params{})
	if err := c.OnTrainBegin(); err != nil {
		t.Fatal(err)
	}
	if err := c.OnEpochEnd(0, logsOf("loss", 0.5)); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(name)
	if string(got) != "epoch,loss\n0,0.5\n" {
		t.Errorf("got %q before training ended, want the first row on disk", got)
	}
	if err := c.OnTrainEnd(nil); err != nil {
		t.Fatal(err)
	}
}

func TestCSVLoggerErrors(t *testing.T) {
	for _, tt := range []struct {
		opt  CSVLoggerOptions
		want string
	}{
		{CSVLoggerOptions{}, "filename is empty"},
		{CSVLoggerOptions{Filename: "x.csv", Separator: ";;"}, `separator must be one character other than a quote or newline, got ";;"`},
		{CSVLoggerOptions{Filename: "x.csv", Separator: `"`}, "separator must be one character"},
	} {
		_, err := NewCSVLogger(tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got error %v, want one containing %q", err, tt.want)
		}
	}
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "log.csv")
	c, _ := NewCSVLogger(CSVLoggerOptions{Filename: missing})
	c.SetModel(&fakeModel{}, Params{})
	if err := c.OnTrainBegin(); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("got error %v, want one naming %s", err, missing)
	}
}
