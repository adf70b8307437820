package data

import (
	"fmt"
	"math/rand/v2"

	"github.com/deepgo-dev/deepgo/tensor"
)

// TimeseriesOptions are the optional arguments of
// [TimeseriesDatasetFromArray], named after Keras's. The zero value asks for
// Keras's defaults.
type TimeseriesOptions struct {
	// SequenceStride is the period between the starts of successive
	// windows: windows start at rows i, i+s, i+2s, … (0 means 1).
	SequenceStride int
	// SamplingRate is the period between the rows inside one window: a
	// window starting at i holds rows i, i+r, …, i+(sequence_length−1)r
	// (0 means 1).
	SamplingRate int
	// StartIndex and EndIndex restrict the windows to rows [StartIndex,
	// EndIndex) of data, to keep part of a series for validation or test.
	// EndIndex 0 means len(data).
	StartIndex, EndIndex int
	// Shuffle, when not nil, puts the windows in a random order drawn from
	// it; nil keeps them in chronological order (Keras's shuffle=False).
	Shuffle *rand.Rand
}

// TimeseriesDatasetFromArray cuts sliding windows out of a series, as
// Keras's keras.utils.timeseries_dataset_from_array does (without the
// batching: a [Batcher] does that). data's first axis is time. With
// positions p = 0, s, 2s, … counted from StartIndex, window k is rows
// StartIndex+p, StartIndex+p+r, …, StartIndex+p+(sequenceLength−1)r of data,
// and its target is targets[StartIndex+p]: targets[i] must be the target of
// the window that starts at row i. There are
//
//	ceil(m / s) windows, m = min(EndIndex − StartIndex − (sequenceLength−1)·r, len(targets) − StartIndex)
//
// (the second term only when targets is not nil). To predict the value h
// steps after each window, pass data[:n−h] and targets data[sequenceLength+h−1:].
//
// X has shape (windows, sequenceLength, data.shape[1:]…), so a series of
// shape (steps, features) gives the (windows, timesteps, features) a
// recurrent layer expects; a 1-D series gives (windows, sequenceLength), as
// in Keras. Y has shape (windows, targets.shape[1:]…) and is nil when
// targets is nil. Both keep the dtype of their source.
//
// Arguments Keras rejects are errors naming the argument and the value.
// Two cases differ: EndIndex may equal len(data) (Keras requires it to be
// smaller), and when no window fits, or targets run out before the windows
// do (which makes Keras fail while iterating), the error says so at once.
func TimeseriesDatasetFromArray(data, targets *tensor.Tensor, sequenceLength int, opt TimeseriesOptions) (*Dataset, error) {
	if data == nil || data.Rank() == 0 {
		return nil, fmt.Errorf("data: timeseries: data must have a time axis, got %s", shapeOf(data))
	}
	n := data.Dim(0)
	stride, rate := opt.SequenceStride, opt.SamplingRate
	if stride == 0 {
		stride = 1
	}
	if rate == 0 {
		rate = 1
	}
	start, end := opt.StartIndex, opt.EndIndex
	if end == 0 {
		end = n
	}
	switch {
	case sequenceLength <= 0:
		return nil, fmt.Errorf("data: timeseries: sequence_length must be positive, got %d", sequenceLength)
	case start < 0 || start >= n:
		return nil, fmt.Errorf("data: timeseries: start_index %d must be in [0, %d) for data of length %d", start, n, n)
	case end < 0 || end > n:
		return nil, fmt.Errorf("data: timeseries: end_index %d must be in (0, %d] for data of length %d", end, n, n)
	case end <= start:
		return nil, fmt.Errorf("data: timeseries: end_index %d must be higher than start_index %d", end, start)
	case rate < 0 || rate >= n:
		return nil, fmt.Errorf("data: timeseries: sampling_rate %d must be in [1, %d) for data of length %d", rate, n, n)
	case stride < 0 || stride >= n:
		return nil, fmt.Errorf("data: timeseries: sequence_stride %d must be in [1, %d) for data of length %d", stride, n, n)
	}
	span := (sequenceLength-1)*rate + 1 // rows one window covers
	m := end - start - span + 1
	if m <= 0 {
		return nil, fmt.Errorf("data: timeseries: no window fits: sequence_length %d with sampling_rate %d spans %d rows, but rows [%d, %d) are only %d",
			sequenceLength, rate, span, start, end, end-start)
	}
	if targets != nil {
		if targets.Rank() == 0 {
			return nil, fmt.Errorf("data: timeseries: targets must have a time axis, got a scalar")
		}
		if t := targets.Dim(0) - start; t < m {
			if t <= 0 {
				return nil, fmt.Errorf("data: timeseries: targets have %d rows, none at or after start_index %d", targets.Dim(0), start)
			}
			m = t
		}
	}
	pos := make([]int, 0, (m+stride-1)/stride)
	for p := 0; p < m; p += stride {
		pos = append(pos, start+p)
	}
	if opt.Shuffle != nil {
		opt.Shuffle.Shuffle(len(pos), func(i, j int) { pos[i], pos[j] = pos[j], pos[i] })
	}

	x := tensor.New(data.DType(), append([]int{len(pos), sequenceLength}, data.Shape()[1:]...)...)
	row := rowSize(data)
	for k, p := range pos {
		for j := range sequenceLength {
			copyRow(x, k*sequenceLength+j, data, p+j*rate, row)
		}
	}
	ds := &Dataset{X: x, Source: fmt.Sprintf("timeseries(sequence_length=%d)", sequenceLength)}
	if targets != nil {
		ds.Y = tensor.New(targets.DType(), append([]int{len(pos)}, targets.Shape()[1:]...)...)
		row := rowSize(targets)
		for k, p := range pos {
			copyRow(ds.Y, k, targets, p, row)
		}
	}
	return ds, nil
}

// rowSize is the number of elements in one row (first-axis slice) of t.
func rowSize(t *tensor.Tensor) int { return tensor.NumElements(t.Shape()[1:]) }

// copyRow copies row src of from into row dst of to; both rows hold n
// elements and the tensors share a dtype.
func copyRow(to *tensor.Tensor, dst int, from *tensor.Tensor, src, n int) {
	if to.DType() == tensor.Float64 {
		copy(to.Float64s()[dst*n:(dst+1)*n], from.Float64s()[src*n:(src+1)*n])
		return
	}
	copy(to.Float32s()[dst*n:(dst+1)*n], from.Float32s()[src*n:(src+1)*n])
}

// shapeOf writes t's shape for errors, "nil" for a nil tensor.
func shapeOf(t *tensor.Tensor) string {
	if t == nil {
		return "nil"
	}
	return tensor.ShapeString(t.Shape())
}
