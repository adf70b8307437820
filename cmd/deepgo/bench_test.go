package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestBench runs `deepgo bench` on one small row without the PyTorch peer,
// as the table, as JSON, and with the flags' failure cases.
func TestBench(t *testing.T) {
	small := []string{"bench", "--rows", "^sgemm-256$", "--pairs", "1", "--seconds", "0.005", "--peer", ""}
	cases := []struct {
		name     string
		args     []string
		status   int
		stdout   string // a part of stdout
		stderrIn string // a part of stderr
	}{
		{"table", small, 0, "sgemm-256", "bench: sgemm-256 done"},
		{"json", append(small, "--json"), 0, `"peer_missing": "no Python given`, ""},
		{"require peer", append(small, "--require-peer"), 1, "peer:    missing", "the PyTorch peer is missing"},
		{"no such row", []string{"bench", "--rows", "resnet"}, 2, "", `--rows "resnet" matches no row`},
		{"bad pairs", []string{"bench", "--pairs", "0"}, 2, "", "--pairs and --threads must be at least 1"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		status := run(c.args, &stdout, &stderr)
		if status != c.status || !strings.Contains(stdout.String(), c.stdout) || !strings.Contains(stderr.String(), c.stderrIn) {
			t.Errorf("%s: status %d, stdout:\n%s\nstderr:\n%s\nwant status %d, stdout with %q, stderr with %q",
				c.name, status, stdout.String(), stderr.String(), c.status, c.stdout, c.stderrIn)
		}
		if c.name == "json" {
			var v struct{ Rows []struct{ Deepgo []float64 } }
			if err := json.Unmarshal(stdout.Bytes(), &v); err != nil || len(v.Rows) != 1 || len(v.Rows[0].Deepgo) != 1 {
				t.Errorf("json: %v, %+v; want one row with one figure", err, v)
			}
		}
	}
}
