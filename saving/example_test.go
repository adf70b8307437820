package saving_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"

	"github.com/deepgo-dev/deepgo/saving"
	"github.com/deepgo-dev/deepgo/tensor"
)

func Example() {
	dir, _ := os.MkdirTemp("", "deepgo")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.deepgo")

	f := &saving.File{
		Config: []byte(`{"input":[3],"layers":[{"dense":{"units":2}}]}`),
		Weights: []saving.NamedTensor{
			{Name: "dense_1.kernel", T: tensor.FromFloat32([]float32{1, 2, 3, 4, 5, 6}, 3, 2)},
			{Name: "dense_1.bias", T: tensor.FromFloat32([]float32{0.5, -0.5}, 2)},
		},
		Metadata: []byte(`{"deepgo_version":"0.1.0"}`),
	}
	if err := saving.WriteFile(path, f); err != nil {
		fmt.Println(err)
		return
	}
	loaded, err := saving.ReadFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range loaded.Weights {
		fmt.Println(w.Name, tensor.ShapeString(w.T.Shape()), w.T.Values())
	}
	fmt.Println("optimizer saved:", loaded.Optimizer != nil)

	// A model with a differently sized layer reports every mismatch.
	want := []saving.NamedTensor{
		{Name: "dense_1.kernel", T: tensor.Zeros(3, 4)},
		{Name: "dense_1.bias", T: tensor.Zeros(4)},
	}
	fmt.Println(saving.CheckWeights(want, loaded.Weights))
	// Output:
	// dense_1.kernel (3, 2) [1 2 3 4 5 6]
	// dense_1.bias (2,) [0.5 -0.5]
	// optimizer saved: false
	// weights do not match the model: shape mismatch for "dense_1.kernel": the file has (3, 2), the model expects (3, 4); shape mismatch for "dense_1.bias": the file has (2,), the model expects (4,)
}

func ExampleWriteSafetensors() {
	var buf bytes.Buffer
	w := []saving.NamedTensor{{Name: "dense_1.bias", T: tensor.FromFloat32([]float32{1, 2}, 2)}}
	if err := saving.WriteSafetensors(&buf, w, map[string]string{"format": "pt"}); err != nil {
		fmt.Println(err)
		return
	}
	b := buf.Bytes()
	n := binary.LittleEndian.Uint64(b)
	fmt.Println("header length:", n)
	fmt.Printf("header: %s\n", b[8:8+n])
	fmt.Println("data bytes:", len(b)-8-int(n))
	// Output:
	// header length: 96
	// header: {"__metadata__":{"format":"pt"},"dense_1.bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}
	// data bytes: 8
}

func ExampleReadSafetensors() {
	_, _, err := saving.ReadSafetensors([]byte("\x0f\x00\x00\x00\x00\x00\x00\x00{\"w\":[1, 2, 3]}"))
	fmt.Println(err)
	// Output:
	// header: tensor "w": [1, 2, 3] is not a JSON object
}
