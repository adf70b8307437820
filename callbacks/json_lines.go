package callbacks

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
)

// JSONLinesLogger writes one JSON object per epoch, for machine readers
// (the command line's --json): {"epoch":1,"loss":0.21,"accuracy":0.94,...}
// with the 1-based epoch first and then the log keys in logs order.
// Numbers are Go's shortest round-trip form; NaN and infinities, which
// JSON lacks, are written as null.
type JSONLinesLogger struct {
	Base
	w   io.Writer
	buf []byte
}

// JSONLines returns a callback that writes a JSON line to w at the end of
// every epoch.
func JSONLines(w io.Writer) *JSONLinesLogger { return &JSONLinesLogger{w: w} }

// OnEpochEnd writes the epoch's line.
func (j *JSONLinesLogger) OnEpochEnd(epoch int, logs *Logs) error {
	b := append(j.buf[:0], `{"epoch":`...)
	b = strconv.AppendInt(b, int64(epoch+1), 10)
	for i, k := range logs.Keys {
		b = append(b, ',')
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONNumber(b, logs.Values[i])
	}
	b = append(b, '}', '\n')
	j.buf = b
	if _, err := j.w.Write(b); err != nil {
		return fmt.Errorf("json lines: epoch %d: %w", epoch+1, err)
	}
	return nil
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// appendJSONNumber appends v in strconv's 'g' shortest form, or null when
// JSON cannot hold it.
func appendJSONNumber(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}
