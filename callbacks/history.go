package callbacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// History records the epoch logs of a Fit, as keras.callbacks.History
// does; Fit returns it. Epoch holds the 0-based epoch numbers, Keys the log
// keys in the order they first appeared, and Get the values of one key.
// As in Keras, a key that appears only from some epoch on has fewer values
// than there are epochs.
type History struct {
	Base
	Epoch  []int
	Keys   []string
	values [][]float64 // parallel to Keys
}

// NewHistory returns an empty History.
func NewHistory() *History { return &History{} }

// Get returns the values recorded for key, one per epoch that logged it,
// or nil when key was never logged. The slice is the History's own.
func (h *History) Get(key string) []float64 {
	if i := slices.Index(h.Keys, key); i >= 0 {
		return h.values[i]
	}
	return nil
}

// Len returns the number of epochs recorded.
func (h *History) Len() int { return len(h.Epoch) }

// Append records one epoch's logs.
func (h *History) Append(epoch int, logs *Logs) {
	h.Epoch = append(h.Epoch, epoch)
	for i, k := range logs.Keys {
		j := slices.Index(h.Keys, k)
		if j < 0 {
			j = len(h.Keys)
			h.Keys = append(h.Keys, k)
			h.values = append(h.values, nil)
		}
		h.values[j] = append(h.values[j], logs.Values[i])
	}
}

// OnTrainBegin empties the History.
func (h *History) OnTrainBegin() error {
	h.Epoch, h.Keys, h.values = nil, nil, nil
	return nil
}

// OnEpochEnd records the epoch's logs.
func (h *History) OnEpochEnd(epoch int, logs *Logs) error {
	h.Append(epoch, logs)
	return nil
}

// MarshalJSON writes {"epoch":[0,1,...],"history":{"loss":[...],...}},
// Keras's history.epoch and history.history, with the keys in order and
// NaN or infinite values as null.
func (h *History) MarshalJSON() ([]byte, error) {
	b := []byte(`{"epoch":[`)
	for i, e := range h.Epoch {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, "%d", e)
	}
	b = append(b, `],"history":{`...)
	for i, k := range h.Keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':', '[')
		for j, v := range h.values[i] {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONNumber(b, v)
		}
		b = append(b, ']')
	}
	return append(b, '}', '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes, keeping the key order; null
// values read as NaN.
func (h *History) UnmarshalJSON(data []byte) error {
	var raw struct {
		Epoch   []int           `json:"epoch"`
		History json.RawMessage `json:"history"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	h.Epoch, h.Keys, h.values = raw.Epoch, nil, nil
	if len(raw.History) == 0 || string(raw.History) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw.History))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("history: \"history\" must be an object of key: [values], got %.40s", raw.History)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("history: %w", err)
		}
		key := t.(string) // object keys are strings
		var vals []*float64
		if err := dec.Decode(&vals); err != nil {
			return fmt.Errorf("history: values of %q: %w", key, err)
		}
		fs := make([]float64, len(vals))
		for i, v := range vals {
			fs[i] = math.NaN()
			if v != nil {
				fs[i] = *v
			}
		}
		if slices.Contains(h.Keys, key) {
			return fmt.Errorf("history: key %q appears twice", key)
		}
		h.Keys = append(h.Keys, key)
		h.values = append(h.values, fs)
	}
	return nil
}
