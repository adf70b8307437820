package spec

// Reader reads typed arguments one after another and keeps the first error,
// so that a registry reads all of a layer's arguments and checks once:
//
//	r := layer.Reader()
//	units := r.PositiveInt("units", 0)
//	activation := r.String("activation", "")
//	if err := r.Err(); err != nil {
//		return nil, err
//	}
//
// After an error every getter returns its zero value. Errors carry the place
// of the layer or entry the Reader came from.
type Reader struct {
	args Args
	wrap func(error) error
	err  error
}

// Err returns the first error met, or nil.
func (r *Reader) Err() error { return r.err }

// Int is Args.Int.
func (r *Reader) Int(name string, def int) int { return read(r, name, def, r.args.Int) }

// PositiveInt is Args.PositiveInt.
func (r *Reader) PositiveInt(name string, def int) int {
	return read(r, name, def, r.args.PositiveInt)
}

// Float is Args.Float.
func (r *Reader) Float(name string, def float64) float64 { return read(r, name, def, r.args.Float) }

// Bool is Args.Bool.
func (r *Reader) Bool(name string, def bool) bool { return read(r, name, def, r.args.Bool) }

// String is Args.String.
func (r *Reader) String(name string, def string) string { return read(r, name, def, r.args.String) }

// OneOf is Args.OneOf.
func (r *Reader) OneOf(name string, def string, choices ...string) string {
	return read(r, name, def, func(name string, def string) (string, error) {
		return r.args.OneOf(name, def, choices...)
	})
}

// IntList is Args.IntList.
func (r *Reader) IntList(name string, n int, def []int) []int {
	return read(r, name, def, func(name string, def []int) ([]int, error) {
		return r.args.IntList(name, n, def)
	})
}

// PositiveIntList is Args.PositiveIntList.
func (r *Reader) PositiveIntList(name string, n int, def []int) []int {
	return read(r, name, def, func(name string, def []int) ([]int, error) {
		return r.args.PositiveIntList(name, n, def)
	})
}

// Named is Args.Named.
func (r *Reader) Named(name string, def string) Named { return read(r, name, def, r.args.Named) }

func read[T, D any](r *Reader, name string, def D, get func(string, D) (T, error)) T {
	var zero T
	if r.err != nil {
		return zero
	}
	v, err := get(name, def)
	if err != nil {
		r.err = err
		if r.wrap != nil {
			r.err = r.wrap(err)
		}
		return zero
	}
	return v
}
