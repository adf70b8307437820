// Command deepgo trains, evaluates and runs deepgo models from spec files
// and model files; see INTERFACE.md for the contract and README.md for a
// tour.
//
//	deepgo train --example mnist-mlp
//	deepgo train --model spec.yaml --data csv:train.csv --out model.deepgo
//	deepgo eval --model model.deepgo --data csv:test.csv
//	deepgo predict --model model.deepgo --data csv:new.csv --out pred.csv
//	deepgo summary --model spec.yaml
//	deepgo graph --model spec.yaml | dot -Tpng -o graph.png
//	deepgo examples
//	deepgo bench --rows 'sgemm|mlp' --pairs 5 --threads 2
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// usageError marks bad command-line usage (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

var commands = []struct {
	name, help string
	run        func(args []string, stdout, stderr io.Writer) error
}{
	{"train", "train a model from a spec (or continue a saved one), or a built-in example", runTrain},
	{"eval", "loss and metrics of a saved model on data", runEval},
	{"predict", "model outputs for data, as CSV or NPY", runPredict},
	{"summary", "the Keras-style table of a spec or saved model", runSummary},
	{"graph", "the computational graph of a model's forward pass, in Graphviz DOT", runGraph},
	{"examples", "list the built-in examples", runExamples},
	{"bench", "deepgo against PyTorch on the same workloads, as a table", runBench},
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: deepgo COMMAND [flags]   (deepgo COMMAND -h for its flags)")
	fmt.Fprintln(w, "commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.help)
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the exit status: 0 on success, 1
// on an error in the input, 2 on bad usage. Errors are printed as one line.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(args[1:], stdout, stderr)
		if err == nil {
			return 0
		}
		if errors.Is(err, errHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "deepgo %s: %s\n", c.name, oneLine(err.Error()))
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	fmt.Fprintf(stderr, "deepgo: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

// oneLine folds a multi-line message so every error is one line.
func oneLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := range lines {
		lines[i] = strings.Join(strings.Fields(lines[i]), " ")
	}
	return strings.Join(lines, "; ")
}
