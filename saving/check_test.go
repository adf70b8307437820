package saving

import (
	"errors"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

func TestCheckWeights(t *testing.T) {
	w := func(name string, shape ...int) NamedTensor { return NamedTensor{name, tensor.Zeros(shape...)} }
	// The course's MLP: 784 inputs (28×28 pixels), 256 hidden units, 10 classes.
	model := []NamedTensor{w("dense_1.kernel", 784, 256), w("dense_1.bias", 256), w("dense_2.kernel", 256, 10), w("dense_2.bias", 10)}
	tests := []struct {
		name string
		got  []NamedTensor
		want string // "" for no error
	}{
		{"exact", model, ""},
		{"other order, other dtype", []NamedTensor{model[3], model[2],
			{"dense_1.bias", tensor.New(tensor.Float64, 256)}, model[0]}, ""},
		{"missing", model[:2], `weights do not match the model: missing "dense_2.kernel", "dense_2.bias"`},
		{"unexpected", append(model[:4:4], w("dense_3.bias", 3), w("x", 1)),
			`weights do not match the model: unexpected "dense_3.bias", "x"`},
		{"mismatch", []NamedTensor{w("dense_1.kernel", 784, 128), model[1], model[2], w("dense_2.bias", 10, 1)},
			`weights do not match the model: shape mismatch for "dense_1.kernel": the file has (784, 128), the model expects (784, 256); ` +
				`shape mismatch for "dense_2.bias": the file has (10, 1), the model expects (10,)`},
		{"all at once", []NamedTensor{w("dense_1.kernel", 256, 784), model[1], model[1], w("extra", 2), w("extra", 2)},
			`weights do not match the model: missing "dense_2.kernel", "dense_2.bias"; unexpected "extra"; ` +
				`duplicate "dense_1.bias", "extra"; shape mismatch for "dense_1.kernel": the file has (256, 784), the model expects (784, 256)`},
		{"nothing loaded", nil, `weights do not match the model: missing "dense_1.kernel", "dense_1.bias", "dense_2.kernel", "dense_2.bias"`},
	}
	for _, tc := range tests {
		err := CheckWeights(model, tc.got)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: got error %v, want none", tc.name, err)
			}
			continue
		}
		var we *WeightsError
		if err == nil || err.Error() != tc.want || !errors.As(err, &we) {
			t.Errorf("%s: got error %v, want *WeightsError %q", tc.name, err, tc.want)
		}
	}
}
