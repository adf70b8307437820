package metrics

import (
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// FuzzUpdate feeds every metric tensors of arbitrary small shapes and values
// and checks that Update returns (an error or nil) instead of panicking.
func FuzzUpdate(f *testing.F) {
	f.Add(uint8(0), []byte{2, 3}, []byte{2, 3}, float32(0.4))
	f.Add(uint8(3), []byte{2}, []byte{2, 3}, float32(1))
	f.Add(uint8(13), []byte{4, 0}, []byte{4, 1}, float32(-2))
	f.Fuzz(func(t *testing.T, which uint8, trueDims, predDims []byte, v float32) {
		names := Names()
		id := names[int(which)%len(names)]
		argSets := []map[string]any{nil, {"multi_label": true}, {"top_k": 2}, {"class_id": 1}, {"k": 1}}
		args := argSets[int(which)/len(names)%len(argSets)]
		m, err := Get(id, args, Context{})
		if err != nil {
			return // an argument set the metric does not take
		}
		shape := func(dims []byte) []int {
			s := []int{}
			for i, d := range dims {
				if i == 4 {
					break
				}
				s = append(s, int(d%5))
			}
			return s
		}
		yt, yp := tensor.Zeros(shape(trueDims)...), tensor.Zeros(shape(predDims)...)
		for i := 0; i < yp.Len(); i++ {
			yp.SetFlat(i, float64(v)*float64(i%3))
		}
		for i := 0; i < yt.Len(); i++ {
			yt.SetFlat(i, float64(i%2))
		}
		_ = m.Update(yt, yp)
		_ = m.Result()
		_ = m.Config()
	})
}
