package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/deepgo-dev/deepgo/bench"
)

// runBench runs `deepgo bench`: the workloads of package bench in deepgo and
// in PyTorch, in turn, and the table of their speeds.
func runBench(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("deepgo bench", flag.ContinueOnError)
	rows := fs.String("rows", "", "run only the rows whose name matches this regular expression")
	pairs := fs.Int("pairs", 5, "A/B pairs per row: deepgo, then PyTorch")
	threads := fs.Int("threads", 2, "threads for each side: deepgo's GOMAXPROCS and torch.set_num_threads")
	seconds := fs.Float64("seconds", 0.5, "the length of one measurement, in seconds (rows in s time one call)")
	jsonOut := fs.Bool("json", false, "print the results as one JSON object instead of the table")
	peer := fs.String("peer", "/usr/bin/python3", `the Python with PyTorch that runs the peer; "" for deepgo alone`)
	requirePeer := fs.Bool("require-peer", false, "fail when the PyTorch side cannot run")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if *pairs < 1 || *threads < 1 || !(*seconds > 0) {
		return usageError{fmt.Sprintf("--pairs and --threads must be at least 1 and --seconds positive, got %d, %d and %g", *pairs, *threads, *seconds)}
	}
	if _, err := bench.Select(*rows); err != nil {
		return usageError{err.Error()}
	}
	res, err := bench.Run(bench.Options{
		Rows:     *rows,
		Pairs:    *pairs,
		Threads:  *threads,
		Time:     time.Duration(*seconds * float64(time.Second)),
		Python:   *peer,
		Progress: stderr,
	})
	if err != nil {
		return err
	}
	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(res)
	} else {
		err = res.WriteTable(stdout)
	}
	if err != nil {
		return err
	}
	if *requirePeer && res.Peer == nil {
		return errors.New("the PyTorch peer is missing: " + res.PeerMissing)
	}
	return nil
}
