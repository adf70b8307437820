package callbacks

import (
	"math"
	"strings"
	"testing"
)

// Every want below is what Python 3.11 prints for repr(v).
func TestPyRepr(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{1, "1.0"}, {0.1, "0.1"}, {1e-5, "1e-05"}, {1e16, "1e+16"}, {1e22, "1e+22"},
		{1234567890123456, "1234567890123456.0"}, {0.0001, "0.0001"}, {math.Copysign(0, -1), "-0.0"},
		{123.456, "123.456"}, {2.5e-7, "2.5e-07"}, {0.30000000000000004, "0.30000000000000004"},
		{math.NaN(), "nan"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"},
	}
	for _, tt := range tests {
		if got := pyRepr(tt.v); got != tt.want {
			t.Errorf("pyRepr(%v): got %q, want %q", tt.v, got, tt.want)
		}
	}
}

// Every want below is what Python 3.11 prints for format(v, spec).
func TestFormatSpec(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		spec  string
		v     any // int or float64
		want  string
		isErr bool
	}{
		{"02d", 5, "05", false}, {"02d", 123, "123", false}, {"", 7, "7", false},
		{".2f", 0.456, "0.46", false}, {".2f", inf, "inf", false}, {"", 0.5, "0.5", false},
		{".3", 1.0, "1.0", false}, {".3", 1234.0, "1.23e+03", false}, {".1e", 12345.0, "1.2e+04", false},
		{".1%", 0.256, "25.6%", false}, {"+.1f", 2.0, "+2.0", false}, {"06.2f", -3.14159, "-03.14", false},
		{">6.1f", 2.25, "   2.2", false}, {"*^7d", 42, "**42***", false}, {"E", inf, "INF", false},
		{"g", 1e-5, "1e-05", false}, {".2f", 5, "5.00", false}, {"<5d", 7, "7    ", false},
		{"=+5d", 7, "+   7", false}, {" d", 7, " 7", false}, {".0f", 2.5, "2", false},
		{"", math.NaN(), "nan", false}, {".2f", -0.001, "-0.00", false},
		{"<05d", 7, "70000", false}, {"*<05d", 7, "7****", false}, {"^05d", 7, "00700", false},
		{"05", 2.5, "002.5", false}, {"-05d", -7, "-0007", false}, {"+06.1f", 2.0, "+002.0", false},
		{"d", 1.5, "", true}, {"x", 5, "", true}, {".f", 1.0, "", true}, {".2d", 3, "", true},
		{"999999999999d", 3, "", true}, {".1000f", 1.0, "", true},
	}
	for _, tt := range tests {
		f, err := parseFormatSpec(tt.spec)
		var got string
		if err == nil {
			switch v := tt.v.(type) {
			case int:
				got, err = f.formatInt(v)
			case float64:
				got, err = f.formatFloat(v)
			}
		}
		if tt.isErr {
			if err == nil {
				t.Errorf("format(%v, %q): got %q, want an error", tt.v, tt.spec, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("format(%v, %q): got %q (err %v), want %q", tt.v, tt.spec, got, err, tt.want)
		}
	}
}

func TestPathTemplate(t *testing.T) {
	logs := logsOf("loss", 0.25, "val_loss", 0.4)
	tests := []struct {
		tmpl  string
		want  string
		isErr string // substring of the error; "" for none
	}{
		// Python: "{epoch:02d}-{val_loss:.2f}".format(epoch=3, val_loss=0.4) == "03-0.40".
		{"ckpt/{epoch:02d}-{val_loss:.2f}.deepgo", "ckpt/03-0.40.deepgo", ""},
		{"m{epoch}_{loss}.deepgo", "m3_0.25.deepgo", ""},
		{"{{literal}}-{epoch}", "{literal}-3", ""},
		{"plain.deepgo", "plain.deepgo", ""},
		{"m-{val_acc:.2f}", "", "names {val_acc}, which the logs lack (they have epoch, loss, val_loss)"},
		{"m-{epoch", "", "is never closed"},
		{"m-}", "", "single '}'"},
		{"m-{}", "", "must name a log key"},
		{"m-{a.b}", "", "must name a log key"},
		{"m-{epoch:q}", "", "unsupported"},
		{"m-{loss:d}", "", "unknown format code 'd'"},
	}
	for _, tt := range tests {
		p, err := parsePathTemplate(tt.tmpl)
		var got string
		if err == nil {
			got, err = p.format(3, logs)
		}
		if tt.isErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.isErr) {
				t.Errorf("%q: got %q, error %v; want an error containing %q", tt.tmpl, got, err, tt.isErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: got %q (err %v), want %q", tt.tmpl, got, err, tt.want)
		}
	}
}

func FuzzPathTemplate(f *testing.F) {
	for _, s := range []string{"ckpt/{epoch:02d}-{val_loss:.2f}.deepgo", "{{x}}", "{loss:*^+08.3%}", "{", "}{"} {
		f.Add(s)
	}
	logs := logsOf("loss", 0.25, "val_loss", math.Inf(1))
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePathTemplate(s)
		if err != nil {
			return
		}
		p.format(7, logs) // must not panic
	})
}
