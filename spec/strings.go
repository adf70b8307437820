package spec

import "fmt"

// StringList returns the argument name as a list of strings (a vocabulary,
// for example), or def when it is absent or null.
func (a Args) StringList(name string, def []string) ([]string, error) {
	return get(a, name, def, func(v any) ([]string, error) {
		if list, ok := v.([]string); ok { // as a layer's Config writes it
			return append([]string(nil), list...), nil
		}
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("want a list of strings, got %s", show(v))
		}
		out := make([]string, len(list))
		for i, e := range list {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("want a list of strings, entry %d is %s", i, show(e))
			}
			out[i] = s
		}
		return out, nil
	})
}

// StringList is Args.StringList.
func (r *Reader) StringList(name string, def []string) []string {
	return read(r, name, def, r.args.StringList)
}

// IsNull reports whether the argument name is written with the value null
// (Keras's None). The getters return their default for null as for an
// absent argument; a layer whose default is not None (TextVectorization's
// standardize and split) uses IsNull to tell the two apart.
func (r *Reader) IsNull(name string) bool {
	v, ok := r.args.Get(name)
	return ok && v == nil
}

// Given reports whether the argument name is present with a value other
// than null.
func (r *Reader) Given(name string) bool {
	v, ok := r.args.Get(name)
	return ok && v != nil
}
