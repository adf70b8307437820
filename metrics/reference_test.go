package metrics

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// referenceCase is one case of testdata/reference.json, written by
// testdata/gen_reference.py (a NumPy transcription of Keras 3's metrics).
type referenceCase struct {
	Name    string         `json:"name"`
	ID      string         `json:"id"`
	Args    map[string]any `json:"args"`
	DType   string         `json:"dtype"`
	Batches []int          `json:"batches"`
	YTrue   refArray       `json:"y_true"`
	YPred   refArray       `json:"y_pred"`
	Want    float64        `json:"want"`
	Context *struct {
		Loss        string `json:"loss"`
		OutputShape []int  `json:"output_shape"`
	} `json:"context"`
}

type refArray struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

func (a refArray) tensor(dtype string) *tensor.Tensor {
	if dtype == "float64" {
		return tensor.FromFloat64(append([]float64(nil), a.Data...), a.Shape...)
	}
	f := make([]float32, len(a.Data))
	for i, v := range a.Data {
		f[i] = float32(v) // exact: the script wrote float32 values
	}
	return tensor.FromFloat32(f, a.Shape...)
}

// TestReference feeds every reference case in uneven batches and as one
// batch, and checks both against the value the script computed over the
// whole set.
func TestReference(t *testing.T) {
	raw, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases []referenceCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) < 30 {
		t.Fatalf("reference.json has %d cases, want at least 30", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		t.Run(c.Name, func(t *testing.T) {
			var ctx Context
			if c.Context != nil {
				ctx = Context{Loss: c.Context.Loss, OutputShape: c.Context.OutputShape}
			}
			m, err := Get(c.ID, c.Args, ctx)
			if err != nil {
				t.Fatal(err)
			}
			yt, yp := c.YTrue.tensor(c.DType), c.YPred.tensor(c.DType)
			start := 0
			for _, b := range c.Batches {
				if err := m.Update(yt.Rows(start, start+b), yp.Rows(start, start+b)); err != nil {
					t.Fatal(err)
				}
				start += b
			}
			batched := m.Result()
			if math.Abs(batched-c.Want) > 1e-6 {
				t.Errorf("over batches %v: got %.10g, want %.10g", c.Batches, batched, c.Want)
			}
			m.Reset()
			if err := m.Update(yt, yp); err != nil {
				t.Fatal(err)
			}
			if whole := m.Result(); math.Abs(whole-c.Want) > 1e-6 || math.Abs(whole-batched) > 1e-6 {
				t.Errorf("as one batch: got %.10g, want %.10g (batched %.10g)", whole, c.Want, batched)
			}
		})
	}
}
