package optimizers

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// reference is testdata/reference.json, written by testdata/gen_reference.py.
type reference struct {
	Steps     int `json:"steps"`
	Variables []struct {
		Name  string `json:"name"`
		Shape []int  `json:"shape"`
	} `json:"variables"`
	Initial [][]float64   `json:"initial"` // [variable][element]
	Grads   [][][]float64 `json:"grads"`   // [step][variable][element]
	Cases   []struct {
		Name           string         `json:"name"`
		Optimizer      string         `json:"optimizer"`
		Args           map[string]any `json:"args"`
		Reference      string         `json:"reference"`
		Want           [][][]float64  `json:"steps"` // weights after each step
		TorchReference string         `json:"torch_reference"`
		TorchWant      [][][]float64  `json:"torch_steps"`
		TorchTolerance float64        `json:"torch_tolerance"`
	} `json:"cases"`
}

func loadReference(t *testing.T) *reference {
	t.Helper()
	data, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("testdata/reference.json: %v", err)
	}
	if len(r.Cases) == 0 || r.Steps != 5 || len(r.Grads) != r.Steps {
		t.Fatalf("testdata/reference.json: %d cases, %d steps, %d gradient steps", len(r.Cases), r.Steps, len(r.Grads))
	}
	return &r
}

// tolerance is the acceptance criterion: every element of every step within
// 1e-5 of the reference. float64 runs are held to 1e-10, which only rounding
// in the reference's own float64 arithmetic can use up.
func tolerance(dt tensor.DType) float64 {
	if dt == tensor.Float32 {
		return 1e-5
	}
	return 1e-10
}

// TestReference replays every case of testdata/reference.json through Get
// and Apply and compares each weight element after each of the 5 steps.
func TestReference(t *testing.T) {
	ref := loadReference(t)
	for _, c := range ref.Cases {
		for _, dt := range []tensor.DType{tensor.Float32, tensor.Float64} {
			t.Run(c.Name+"/"+dt.String(), func(t *testing.T) {
				opt, err := Get(c.Optimizer, c.Args)
				if err != nil {
					t.Fatalf("Get(%q, %v): %v", c.Optimizer, c.Args, err)
				}
				vars := make([]Variable, len(ref.Variables))
				for i, v := range ref.Variables {
					vars[i] = Variable{Name: v.Name, Value: fromValues(dt, ref.Initial[i], v.Shape), Grad: tensor.New(dt, v.Shape...)}
				}
				for s := range ref.Steps {
					for i := range vars {
						setValues(vars[i].Grad, ref.Grads[s][i])
					}
					if err := opt.Apply(vars); err != nil {
						t.Fatalf("step %d: %v", s+1, err)
					}
					compare(t, fmt.Sprintf("step %d (%s)", s+1, c.Reference), vars, c.Want[s], tolerance(dt))
					if c.TorchWant != nil {
						compare(t, fmt.Sprintf("step %d (%s, looser)", s+1, c.TorchReference), vars, c.TorchWant[s], max(c.TorchTolerance, tolerance(dt)))
					}
				}
				if got := opt.Iterations(); got != int64(ref.Steps) {
					t.Errorf("Iterations() = %d, want %d", got, ref.Steps)
				}
			})
		}
	}
}

func compare(t *testing.T, where string, vars []Variable, want [][]float64, tol float64) {
	t.Helper()
	for i, v := range vars {
		for k, w := range want[i] {
			if got := v.Value.AtFlat(k); !(math.Abs(got-w) <= tol) {
				t.Fatalf("%s: %s[%d]: got %.10g, want %.10g (|diff| %.3g > %g)", where, v.Name, k, got, w, math.Abs(got-w), tol)
			}
		}
	}
}

func fromValues(dt tensor.DType, vals []float64, shape []int) *tensor.Tensor {
	t := tensor.New(dt, shape...)
	setValues(t, vals)
	return t
}

func setValues(t *tensor.Tensor, vals []float64) {
	for i, v := range vals {
		t.SetFlat(i, v)
	}
}

// TestReferenceCoversEveryOptimizer guards the reference file against losing
// cases: every optimizer, every clipping kind and every schedule is in it.
func TestReferenceCoversEveryOptimizer(t *testing.T) {
	ref := loadReference(t)
	seen := map[string]bool{}
	for _, c := range ref.Cases {
		seen[normalize(c.Optimizer)] = true
		for k, v := range c.Args {
			seen[k] = true
			if m, ok := v.(map[string]any); ok {
				seen[m["class_name"].(string)] = true
			}
		}
	}
	for _, want := range []string{"sgd", "adam", "adamw", "rmsprop", "adagrad", "momentum", "nesterov", "amsgrad", "centered",
		"weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
		"ExponentialDecay", "CosineDecay", "PiecewiseConstantDecay", "InverseTimeDecay"} {
		if !seen[want] {
			t.Errorf("testdata/reference.json has no case using %s", want)
		}
	}
}
