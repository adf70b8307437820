package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// Arg is one argument of a layer or named entry.
type Arg struct {
	Name string
	// Value is nil (YAML null), bool, int, float64, string, []any or Args
	// (a nested map, in the order written).
	Value any
}

// Args are arguments in the order they were written.
//
// The typed getters return def when the argument is absent or null (Keras's
// None), and otherwise an error such as
// `argument "units": want a positive integer, got "abc"` when the value has
// the wrong type; Layer.Errorf or a Reader adds the layer's place.
type Args []Arg

// Get returns the value of the first argument called name.
func (a Args) Get(name string) (any, bool) {
	for _, arg := range a {
		if arg.Name == name {
			return arg.Value, true
		}
	}
	return nil, false
}

// Names returns the argument names in order.
func (a Args) Names() []string {
	names := make([]string, len(a))
	for i, arg := range a {
		names[i] = arg.Name
	}
	return names
}

// Check returns an error naming the first argument that is not in allowed,
// with a suggestion when it looks like a typo and the list of allowed names.
func (a Args) Check(allowed ...string) error {
	for _, arg := range a {
		if !contains(allowed, arg.Name) {
			if len(allowed) == 0 {
				return fmt.Errorf("unknown argument %q; this takes no arguments", arg.Name)
			}
			return fmt.Errorf("unknown argument %q%s; allowed: %s", arg.Name, suggest(arg.Name, allowed), strings.Join(allowed, ", "))
		}
	}
	return nil
}

// lookup returns the value of name and whether the getter should read it
// (false when it is absent or null).
func (a Args) lookup(name string) (any, bool) {
	v, ok := a.Get(name)
	return v, ok && v != nil
}

func argError(name string, err error) error {
	return fmt.Errorf("argument %q: %w", name, err)
}

// Int returns the integer argument name, or def.
func (a Args) Int(name string, def int) (int, error) {
	return get(a, name, def, wantInt)
}

// PositiveInt returns the argument name, which must be an integer above
// zero, or def.
func (a Args) PositiveInt(name string, def int) (int, error) {
	return get(a, name, def, wantPositiveInt)
}

// Float returns the numeric argument name (an integer is accepted), or def.
func (a Args) Float(name string, def float64) (float64, error) {
	return get(a, name, def, wantFloat)
}

// Bool returns the boolean argument name, or def.
func (a Args) Bool(name string, def bool) (bool, error) {
	return get(a, name, def, wantBool)
}

// String returns the string argument name, or def.
func (a Args) String(name string, def string) (string, error) {
	return get(a, name, def, wantString)
}

// OneOf returns the string argument name, which must be one of choices, or
// def.
func (a Args) OneOf(name string, def string, choices ...string) (string, error) {
	return get(a, name, def, func(v any) (string, error) {
		if s, ok := v.(string); ok && contains(choices, s) {
			return s, nil
		}
		quoted := make([]string, len(choices))
		for i, c := range choices {
			quoted[i] = strconv.Quote(c)
		}
		return "", fmt.Errorf("want one of %s, got %s", strings.Join(quoted, ", "), show(v))
	})
}

// IntList returns the argument name as n integers, or def. A single integer
// stands for n copies of itself (kernel_size: 3 is [3, 3] when n is 2); a
// list must have n entries. With n = 0 a list of any length is accepted.
func (a Args) IntList(name string, n int, def []int) ([]int, error) {
	return get(a, name, def, func(v any) ([]int, error) { return wantIntList(v, n, false) })
}

// PositiveIntList is IntList for integers above zero, such as kernel_size,
// strides and pool_size.
func (a Args) PositiveIntList(name string, n int, def []int) ([]int, error) {
	return get(a, name, def, func(v any) ([]int, error) { return wantIntList(v, n, true) })
}

// Named returns the argument name read as a named entry, for arguments such
// as kernel_initializer that take "glorot_uniform", {glorot_uniform: {seed: 1}}
// or {class_name: GlorotUniform, config: {seed: 1}}. When the argument is
// absent or null it returns Named{Name: def}. The result's Path is the
// argument name; it has no Source or Line.
func (a Args) Named(name string, def string) (Named, error) {
	return get(a, name, Named{Name: def}, func(v any) (Named, error) {
		n, args, err := nameAndArgs(v, nil)
		return Named{Name: n, Args: args, Path: name}, err
	})
}

func get[T any](a Args, name string, def T, want func(any) (T, error)) (T, error) {
	v, ok := a.lookup(name)
	if !ok {
		return def, nil
	}
	x, err := want(v)
	if err != nil {
		var zero T
		return zero, argError(name, err)
	}
	return x, nil
}

func wantInt(v any) (int, error) {
	if i, ok := v.(int); ok {
		return i, nil
	}
	return 0, fmt.Errorf("want an integer, got %s", show(v))
}

func wantPositiveInt(v any) (int, error) {
	if i, ok := v.(int); ok && i > 0 {
		return i, nil
	}
	return 0, fmt.Errorf("want a positive integer, got %s", show(v))
}

func wantFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int:
		return float64(x), nil
	}
	return 0, fmt.Errorf("want a number, got %s", show(v))
}

func wantBool(v any) (bool, error) {
	if b, ok := v.(bool); ok {
		return b, nil
	}
	return false, fmt.Errorf("want true or false, got %s", show(v))
}

func wantString(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", fmt.Errorf("want a string, got %s", show(v))
}

// wantIntList reads an integer or a list of integers; n > 0 fixes the
// length, and a single integer is repeated n times (once when n is 0).
func wantIntList(v any, n int, positive bool) ([]int, error) {
	kind := "an integer"
	if positive {
		kind = "a positive integer"
	}
	fail := func() ([]int, error) {
		if n > 0 {
			return nil, fmt.Errorf("want %s or a list of %d, got %s", kind, n, show(v))
		}
		return nil, fmt.Errorf("want %s or a list of them, got %s", kind, show(v))
	}
	ok := func(i int) bool { return !positive || i > 0 }
	switch x := v.(type) {
	case int:
		if !ok(x) {
			return fail()
		}
		out := make([]int, max(n, 1))
		for i := range out {
			out[i] = x
		}
		return out, nil
	case []any:
		if n > 0 && len(x) != n {
			return fail()
		}
		out := make([]int, len(x))
		for i, e := range x {
			d, isInt := e.(int)
			if !isInt || !ok(d) {
				return fail()
			}
			out[i] = d
		}
		return out, nil
	}
	return fail()
}

// maxShown bounds how much of a value an error message quotes.
const maxShown = 80

// show renders a value for an error message in YAML flow style: strings
// quoted, lists in [], maps in {}, long values cut with "...".
func show(v any) string {
	var b strings.Builder
	writeShown(&b, v)
	s := b.String()
	if len(s) > maxShown {
		cut := maxShown
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func writeShown(b *strings.Builder, v any) {
	if b.Len() > maxShown { // the rest would be cut anyway
		return
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		b.WriteString(strconv.Quote(x))
	case float64:
		b.WriteString(formatFloat(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeShown(b, e)
		}
		b.WriteByte(']')
	case Args:
		b.WriteByte('{')
		for i, a := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			if validName(a.Name) {
				b.WriteString(a.Name)
			} else {
				b.WriteString(strconv.Quote(a.Name))
			}
			b.WriteString(": ")
			writeShown(b, a.Value)
		}
		b.WriteByte('}')
	default:
		fmt.Fprint(b, x)
	}
}

// formatFloat writes f so that it reads back as a float: 1 becomes "1.0".
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") { // "n": NaN and Inf are left as they are
		s += ".0"
	}
	return s
}
