package spec

import "fmt"

// IntPairs returns the argument name as n pairs of non-negative integers,
// or def, in the three forms Keras accepts for paddings and croppings
// (ZeroPadding2D, Cropping2D):
//
//	1                 every pair is (1, 1)
//	[1, 2]            n entries, each a symmetric pair: (1, 1), (2, 2)
//	[[0, 1], [2, 3]]  n explicit (before, after) pairs
//
// Entries of a list may mix the last two forms, as Keras's do.
func (a Args) IntPairs(name string, n int, def [][2]int) ([][2]int, error) {
	return get(a, name, def, func(v any) ([][2]int, error) { return wantIntPairs(v, n) })
}

// IntPairs is Args.IntPairs.
func (r *Reader) IntPairs(name string, n int, def [][2]int) [][2]int {
	return read(r, name, def, func(name string, def [][2]int) ([][2]int, error) {
		return r.args.IntPairs(name, n, def)
	})
}

func wantIntPairs(v any, n int) ([][2]int, error) {
	fail := func() ([][2]int, error) {
		return nil, fmt.Errorf("want a non-negative integer, a list of %d, or a list of %d [before, after] pairs, got %s", n, n, show(v))
	}
	pair := func(e any) ([2]int, bool) {
		switch x := e.(type) {
		case int:
			return [2]int{x, x}, x >= 0
		case []any:
			if len(x) != 2 {
				return [2]int{}, false
			}
			b, ok1 := x[0].(int)
			c, ok2 := x[1].(int)
			return [2]int{b, c}, ok1 && ok2 && b >= 0 && c >= 0
		}
		return [2]int{}, false
	}
	out := make([][2]int, n)
	switch x := v.(type) {
	case int:
		p, ok := pair(x)
		if !ok {
			return fail()
		}
		for i := range out {
			out[i] = p
		}
		return out, nil
	case []any:
		if len(x) != n {
			return fail()
		}
		for i, e := range x {
			p, ok := pair(e)
			if !ok {
				return fail()
			}
			out[i] = p
		}
		return out, nil
	}
	return fail()
}
