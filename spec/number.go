package spec

import "encoding/json"

// ToFloat converts any Go number, and a json.Number, to float64, reporting
// false for anything else. Packages that take Keras arguments as a
// map[string]any (metrics, optimizers) use it, because such a map may come
// from a spec (int and float64), from encoding/json with UseNumber
// (json.Number) or from Go code (any numeric type).
func ToFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}
