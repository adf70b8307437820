package losses_test

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

type refCase struct {
	Name         string         `json:"name"`
	Loss         string         `json:"loss"`
	Args         map[string]any `json:"args"`
	Pre          string         `json:"pre"`
	X            []float64      `json:"x"`
	XShape       []int          `json:"x_shape"`
	Y            []float64      `json:"y"`
	YShape       []int          `json:"y_shape"`
	Value        float64        `json:"value"`
	Grad         []float64      `json:"grad"`
	SampleWeight []float64      `json:"sample_weight"`
}

func argsOf(m map[string]any) spec.Args {
	var a spec.Args
	for _, k := range []string{"from_logits", "label_smoothing", "delta"} { // fixed order
		if v, ok := m[k]; ok {
			a = append(a, spec.Arg{Name: k, Value: v})
		}
	}
	return a
}

// TestMatchesPyTorch checks each loss value and its gradient against
// PyTorch (testdata/torch_reference.json, from gen_reference.py), in float64
// and float32, including logits of ±1e4.
func TestMatchesPyTorch(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Cases []refCase }
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) < 20 {
		t.Fatalf("only %d reference cases", len(ref.Cases))
	}
	for _, dtype := range []tensor.DType{tensor.Float64, tensor.Float32} {
		tol := 1e-9 // float64: the same formulas as PyTorch's, summed in another order
		if dtype == tensor.Float32 {
			tol = 2e-5 // float32: a few ulp (1.2e-7 each) over the sums of a row and a batch
		}
		for _, c := range ref.Cases {
			t.Run(dtype.String()+"/"+c.Name, func(t *testing.T) {
				l, err := losses.Get(c.Loss, argsOf(c.Args))
				if err != nil {
					t.Fatal(err)
				}
				x := autograd.Param(tensor.FromFloat64(c.X, c.XShape...).AsType(dtype), "x")
				pred := x
				switch c.Pre {
				case "softmax":
					pred = autograd.Softmax(x)
				case "sigmoid":
					pred = autograd.Sigmoid(x)
				}
				y := tensor.FromFloat64(c.Y, c.YShape...)
				if err := l.CheckTargets(y.Shape(), pred.Shape()); err != nil {
					t.Fatal(err)
				}
				var sw *tensor.Tensor
				if c.SampleWeight != nil {
					sw = tensor.FromFloat64(c.SampleWeight).AsType(dtype)
				}
				v := losses.Compute(l, y, pred, sw)
				got := v.Data.Item()
				if math.IsNaN(got) || math.IsInf(got, 0) || math.Abs(got-c.Value) > tol*(1+math.Abs(c.Value)) {
					t.Fatalf("loss = %.12g, want %.12g (PyTorch)", got, c.Value)
				}
				autograd.Backward(v)
				for i, g := range x.Grad.Values() {
					if math.IsNaN(g) || math.Abs(g-c.Grad[i]) > tol*(1+math.Abs(c.Grad[i])) {
						t.Fatalf("grad[%d] = %.12g, want %.12g (PyTorch)", i, g, c.Grad[i])
					}
				}
			})
		}
	}
}

// TestGradCheck runs the shared finite-difference checker on every loss.
func TestGradCheck(t *testing.T) {
	probs := tensor.FromFloat64([]float64{0.2, 0.5, 0.3, 0.6, 0.1, 0.3}, 2, 3)
	cases := []struct {
		loss string
		args spec.Args
		x    *tensor.Tensor
		y    *tensor.Tensor
		pre  string
	}{
		{"sparse_categorical_crossentropy", spec.Args{{Name: "from_logits", Value: true}}, tensor.FromFloat64([]float64{1, -2, 0.5, 0.3, 2, -1}, 2, 3), tensor.FromFloat64([]float64{2, 0}), ""},
		{"sparse_categorical_crossentropy", nil, probs, tensor.FromFloat64([]float64{2, 0}), ""},
		{"categorical_crossentropy", nil, probs, tensor.FromFloat64([]float64{0, 0, 1, 0.5, 0.5, 0}, 2, 3), ""},
		{"categorical_crossentropy", spec.Args{{Name: "from_logits", Value: true}}, tensor.FromFloat64([]float64{1, -2, 0.5, 0.3, 2, -1}, 2, 3), tensor.FromFloat64([]float64{0, 0, 1, 1, 0, 0}, 2, 3), ""},
		{"binary_crossentropy", nil, probs, tensor.FromFloat64([]float64{0, 1, 1, 0, 0, 1}, 2, 3), ""},
		{"binary_crossentropy", nil, tensor.FromFloat64([]float64{1, -2, 0.5, 0.3, 2, -1}, 2, 3), tensor.FromFloat64([]float64{0, 1, 1, 0, 0, 1}, 2, 3), "sigmoid"},
		{"mean_squared_error", nil, probs, tensor.FromFloat64([]float64{0, 1, 1, 0, 0, 1}, 2, 3), ""},
		{"mean_absolute_error", nil, probs, tensor.FromFloat64([]float64{0, 1, 1, 0, 0, 1}, 2, 3), ""},
		{"huber", spec.Args{{Name: "delta", Value: 0.4}}, probs, tensor.FromFloat64([]float64{0, 1, 1, 0, 0, 1}, 2, 3), ""},
	}
	for _, c := range cases {
		l, err := losses.Get(c.loss, c.args)
		if err != nil {
			t.Fatal(err)
		}
		err = autograd.GradCheck(func(in []*autograd.Value) *autograd.Value {
			p := in[0]
			if c.pre == "sigmoid" {
				p = autograd.Sigmoid(p)
			}
			return losses.Compute(l, c.y, p, nil)
		}, []*tensor.Tensor{c.x}, autograd.GradCheckOptions{})
		if err != nil {
			t.Errorf("%s %v: %v", c.loss, c.args, err)
		}
	}
}

func TestGetErrors(t *testing.T) {
	cases := []struct {
		name string
		args spec.Args
		want string
	}{
		{"crossentropy", nil, `unknown loss "crossentropy"`},
		{"mse", spec.Args{{Name: "from_logits", Value: true}}, `unknown argument "from_logits"`},
		{"huber", spec.Args{{Name: "delta", Value: -1}}, "delta must be positive"},
		{"binary_crossentropy", spec.Args{{Name: "from_logits", Value: "yes"}}, `"yes"`},
	}
	for _, c := range cases {
		_, err := losses.Get(c.name, c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Get(%q, %v) = %v, want error containing %q", c.name, c.args, err, c.want)
		}
	}
}

func TestCheckTargets(t *testing.T) {
	scce, _ := losses.Get("sparse_categorical_crossentropy", nil)
	if err := scce.CheckTargets([]int{8}, []int{8, 10}); err != nil {
		t.Error(err)
	}
	if err := scce.CheckTargets([]int{8, 10}, []int{8, 10}); err == nil {
		t.Error("one-hot targets accepted by sparse cross-entropy")
	}
	if err := losses.CheckLabels(tensor.FromFloat32([]float32{0, 9, 10}), 10); err == nil || !strings.Contains(err.Error(), "sample 2") {
		t.Errorf("CheckLabels: got %v, want an error naming sample 2", err)
	}
}
