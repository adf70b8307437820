package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// MarshalJSON writes the spec as JSON with keys in a fixed order: input,
// layers, compile (optimizer, loss, metrics), fit (epochs, batch_size,
// validation_split, shuffle, verbose, callbacks). A layer or named entry
// without arguments is written as its name, one with arguments as
// {"name": {arguments}}; floats always carry a decimal point or exponent, so
// Parse reads the output back to an equal Spec (Line aside). Source is not
// written. Values of other Go types than Parse produces are written as
// encoding/json writes them; NaN and infinities are errors.
func (s *Spec) MarshalJSON() ([]byte, error) {
	w := &jsonWriter{}
	w.str("{\"input\":")
	w.value(intsToAny(s.Input))
	w.str(",\"layers\":[")
	for i, l := range s.Layers {
		w.comma(i)
		w.named(l.Type, l.Args)
	}
	w.str("]")
	if c := s.Compile; c != nil {
		w.str(",\"compile\":{")
		n := 0
		if c.Optimizer.Name != "" {
			w.key(&n, "optimizer")
			w.named(c.Optimizer.Name, c.Optimizer.Args)
		}
		if c.Loss.Name != "" {
			w.key(&n, "loss")
			w.named(c.Loss.Name, c.Loss.Args)
		}
		if len(c.Metrics) > 0 {
			w.key(&n, "metrics")
			w.namedList(c.Metrics)
		}
		w.str("}")
	}
	if f := s.Fit; f != nil {
		w.str(",\"fit\":{")
		n := 0
		if f.Epochs != 0 {
			w.key(&n, "epochs")
			w.value(f.Epochs)
		}
		if f.BatchSize != 0 {
			w.key(&n, "batch_size")
			w.value(f.BatchSize)
		}
		if f.ValidationSplit != 0 {
			w.key(&n, "validation_split")
			w.value(f.ValidationSplit)
		}
		if f.Shuffle != nil {
			w.key(&n, "shuffle")
			w.value(*f.Shuffle)
		}
		if f.Verbose != nil {
			w.key(&n, "verbose")
			w.value(*f.Verbose)
		}
		if len(f.Callbacks) > 0 {
			w.key(&n, "callbacks")
			w.namedList(f.Callbacks)
		}
		w.str("}")
	}
	w.str("}")
	if w.err != nil {
		return nil, w.err
	}
	return w.buf.Bytes(), nil
}

func intsToAny(dims []int) []any {
	out := make([]any, len(dims))
	for i, d := range dims {
		out[i] = d
	}
	return out
}

// jsonWriter appends JSON to a buffer and keeps the first error.
type jsonWriter struct {
	buf bytes.Buffer
	err error
}

func (w *jsonWriter) str(s string) { w.buf.WriteString(s) }

func (w *jsonWriter) comma(i int) {
	if i > 0 {
		w.buf.WriteByte(',')
	}
}

// key writes the n-th key of an object, with the comma before it.
func (w *jsonWriter) key(n *int, k string) {
	w.comma(*n)
	*n++
	w.value(k)
	w.buf.WriteByte(':')
}

// named writes "name" or {"name": {arguments}}.
func (w *jsonWriter) named(name string, args Args) {
	if len(args) == 0 {
		w.value(name)
		return
	}
	w.buf.WriteByte('{')
	w.value(name)
	w.buf.WriteByte(':')
	w.value(args)
	w.buf.WriteByte('}')
}

func (w *jsonWriter) namedList(list []Named) {
	w.buf.WriteByte('[')
	for i, n := range list {
		w.comma(i)
		w.named(n.Name, n.Args)
	}
	w.buf.WriteByte(']')
}

func (w *jsonWriter) value(v any) {
	switch x := v.(type) {
	case nil:
		w.str("null")
	case bool:
		w.str(strconv.FormatBool(x))
	case int:
		w.str(strconv.Itoa(x))
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			w.fail(fmt.Errorf("spec: cannot write %v as JSON", x))
			return
		}
		w.str(formatFloat(x))
	case string:
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // keep "<" and "&" readable
		if err := enc.Encode(x); err != nil {
			w.fail(err)
			return
		}
		w.buf.Write(bytes.TrimSuffix(b.Bytes(), []byte{'\n'}))
	case []any:
		w.buf.WriteByte('[')
		for i, e := range x {
			w.comma(i)
			w.value(e)
		}
		w.buf.WriteByte(']')
	case Args:
		w.buf.WriteByte('{')
		for i, a := range x {
			w.comma(i)
			w.value(a.Name)
			w.buf.WriteByte(':')
			w.value(a.Value)
		}
		w.buf.WriteByte('}')
	default:
		b, err := json.Marshal(x)
		if err != nil {
			w.fail(fmt.Errorf("spec: cannot write %T as JSON: %w", x, err))
			return
		}
		w.buf.Write(b)
	}
}

func (w *jsonWriter) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}
