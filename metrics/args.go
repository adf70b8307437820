package metrics

import (
	"math"
	"slices"
	"strings"

	"github.com/deepgo-dev/deepgo/spec"
)

// args reads the keyword arguments of one metric, as they come from a spec
// file (JSON or YAML numbers, strings, booleans, lists) or from Go code. A
// key that is absent or nil takes the default.
type args struct {
	metric string
	vals   map[string]any
	name   string // args["name"], or the identifier
	dtype  string // args["dtype"], or "float32"
}

// newArgs checks that every key of vals is "name", "dtype" or one of valid,
// and reads name and dtype.
func newArgs(id string, vals map[string]any, valid []string) (args, error) {
	a := args{metric: id, vals: vals, name: id, dtype: "float32"}
	all := append([]string{"name", "dtype"}, valid...)
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(all, k) {
			return a, argErrorf(id, "unknown argument %q; valid arguments: %s", k, strings.Join(all, ", "))
		}
	}
	if v, ok := vals["name"]; ok && v != nil {
		s, isStr := v.(string)
		if !isStr || s == "" {
			return a, argErrorf(id, "name must be a non-empty string, got %v", v)
		}
		a.name = s
	}
	if v, ok := vals["dtype"]; ok && v != nil {
		if v != "float32" && v != "float64" {
			return a, argErrorf(id, "dtype must be \"float32\" or \"float64\", got %v", v)
		}
		a.dtype = v.(string)
	}
	return a, nil
}

// get returns the value of key, or nil when it is absent.
func (a args) get(key string) any { return a.vals[key] }

func (a args) float(key string, def float64) (float64, error) {
	v := a.get(key)
	if v == nil {
		return def, nil
	}
	f, ok := spec.ToFloat(v)
	if !ok {
		return 0, argErrorf(a.metric, "%s must be a number, got %v (%T)", key, v, v)
	}
	return f, nil
}

func (a args) int(key string, def int) (int, error) {
	v := a.get(key)
	if v == nil {
		return def, nil
	}
	f, ok := spec.ToFloat(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<31 {
		return 0, argErrorf(a.metric, "%s must be an integer, got %v", key, v)
	}
	return int(f), nil
}

// optInt is int for an argument without a default: nil when unset.
func (a args) optInt(key string) (*int, error) {
	if a.get(key) == nil {
		return nil, nil
	}
	i, err := a.int(key, 0)
	return &i, err
}

func (a args) str(key, def string) (string, error) {
	v := a.get(key)
	if v == nil {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", argErrorf(a.metric, "%s must be a string, got %v", key, v)
	}
	return s, nil
}

func (a args) boolean(key string, def bool) (bool, error) {
	v := a.get(key)
	if v == nil {
		return def, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, argErrorf(a.metric, "%s must be true or false, got %v", key, v)
	}
	return b, nil
}

// floats reads a list of numbers (a single number is a list of one); nil when
// unset.
func (a args) floats(key string) ([]float64, error) {
	v := a.get(key)
	if v == nil {
		return nil, nil
	}
	if f, ok := spec.ToFloat(v); ok {
		return []float64{f}, nil
	}
	var items []any
	switch x := v.(type) {
	case []any:
		items = x
	case []float64:
		return slices.Clone(x), nil
	case []int:
		for _, i := range x {
			items = append(items, i)
		}
	default:
		return nil, argErrorf(a.metric, "%s must be a list of numbers, got %v", key, v)
	}
	out := make([]float64, len(items))
	for i, it := range items {
		f, ok := spec.ToFloat(it)
		if !ok {
			return nil, argErrorf(a.metric, "%s must be a list of numbers, got %v", key, v)
		}
		out[i] = f
	}
	return out, nil
}

// confusionOptions reads Precision's and Recall's arguments.
func (a args) confusionOptions() (ConfusionOptions, error) {
	var o ConfusionOptions
	if a.get("thresholds") != nil && a.get("threshold") != nil {
		return o, argErrorf(a.metric, "give thresholds or threshold, not both")
	}
	key := "thresholds"
	if a.get("threshold") != nil {
		key = "threshold"
	}
	ts, err := a.floats(key)
	if err != nil {
		return o, err
	}
	switch len(ts) {
	case 0:
		if ts != nil {
			return o, argErrorf(a.metric, "%s is an empty list", key)
		}
	case 1:
		o.Threshold = &ts[0]
	default:
		return o, argErrorf(a.metric, "only one threshold is supported (the result is one number), got %v", ts)
	}
	topK, err := a.int("top_k", 0)
	if err != nil {
		return o, err
	}
	if a.get("top_k") != nil && topK < 1 {
		return o, argErrorf(a.metric, "top_k must be at least 1, got %d", topK)
	}
	o.TopK = topK
	o.ClassID, err = a.optInt("class_id")
	return o, err
}

// aucOptions reads AUC's arguments.
func (a args) aucOptions() (AUCOptions, error) {
	var o AUCOptions
	var err error
	if o.NumThresholds, err = a.int("num_thresholds", 200); err != nil {
		return o, err
	}
	if o.NumThresholds == 0 {
		return o, argErrorf(a.metric, "num_thresholds must be an integer > 1, got 0")
	}
	if o.Curve, err = a.str("curve", "ROC"); err != nil {
		return o, err
	}
	if o.SummationMethod, err = a.str("summation_method", "interpolation"); err != nil {
		return o, err
	}
	if o.Thresholds, err = a.floats("thresholds"); err != nil {
		return o, err
	}
	if o.MultiLabel, err = a.boolean("multi_label", false); err != nil {
		return o, err
	}
	if o.NumLabels, err = a.int("num_labels", 0); err != nil {
		return o, err
	}
	if a.get("num_labels") != nil && o.NumLabels < 1 {
		return o, argErrorf(a.metric, "num_labels must be at least 1, got %d", o.NumLabels)
	}
	if o.LabelWeights, err = a.floats("label_weights"); err != nil {
		return o, err
	}
	o.FromLogits, err = a.boolean("from_logits", false)
	return o, err
}
