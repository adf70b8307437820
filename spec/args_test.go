package spec

import (
	"reflect"
	"testing"
)

// testArgs covers every value type Parse produces.
var testArgs = Args{
	{"units", 256},
	{"zero", 0},
	{"rate", 0.5},
	{"name", "abc"},
	{"flag", true},
	{"none", nil},
	{"size", []any{3, 5}},
	{"bad_size", []any{3, 0}},
	{"mixed", []any{3, "x"}},
	{"init", Args{{"class_name", "GlorotUniform"}, {"config", Args{{"seed", 1}}}}},
}

func TestArgsGet(t *testing.T) {
	if v, ok := testArgs.Get("rate"); !ok || v != 0.5 {
		t.Errorf("Get(rate): got %v, %v, want 0.5, true", v, ok)
	}
	if v, ok := testArgs.Get("none"); !ok || v != nil {
		t.Errorf("Get(none): got %v, %v, want nil, true", v, ok)
	}
	if _, ok := testArgs.Get("missing"); ok {
		t.Errorf("Get(missing): got true, want false")
	}
	if got, want := (Args{{"a", 1}, {"b", 2}}).Names(), []string{"a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names: got %v, want %v", got, want)
	}
}

func TestArgsGetters(t *testing.T) {
	tests := []struct {
		name    string
		get     func() (any, error)
		want    any
		wantErr string
	}{
		{"Int", func() (any, error) { return testArgs.Int("units", 1) }, 256, ""},
		{"Int zero", func() (any, error) { return testArgs.Int("zero", 1) }, 0, ""},
		{"Int default", func() (any, error) { return testArgs.Int("missing", 7) }, 7, ""},
		{"Int null", func() (any, error) { return testArgs.Int("none", 7) }, 7, ""},
		{"Int float", func() (any, error) { return testArgs.Int("rate", 1) }, 0, `argument "rate": want an integer, got 0.5`},
		{"PositiveInt", func() (any, error) { return testArgs.PositiveInt("units", 1) }, 256, ""},
		{"PositiveInt zero", func() (any, error) { return testArgs.PositiveInt("zero", 1) }, 0, `argument "zero": want a positive integer, got 0`},
		{"PositiveInt text", func() (any, error) { return testArgs.PositiveInt("name", 1) }, 0, `argument "name": want a positive integer, got "abc"`},
		{"Float", func() (any, error) { return testArgs.Float("rate", 0) }, 0.5, ""},
		{"Float from int", func() (any, error) { return testArgs.Float("units", 0) }, 256.0, ""},
		{"Float bool", func() (any, error) { return testArgs.Float("flag", 0) }, 0.0, `argument "flag": want a number, got true`},
		{"Bool", func() (any, error) { return testArgs.Bool("flag", false) }, true, ""},
		{"Bool default", func() (any, error) { return testArgs.Bool("missing", true) }, true, ""},
		{"Bool int", func() (any, error) { return testArgs.Bool("units", false) }, false, `argument "units": want true or false, got 256`},
		{"String", func() (any, error) { return testArgs.String("name", "") }, "abc", ""},
		{"String list", func() (any, error) { return testArgs.String("size", "") }, "", `argument "size": want a string, got [3, 5]`},
		{"OneOf", func() (any, error) { return testArgs.OneOf("name", "x", "abc", "def") }, "abc", ""},
		{"OneOf default", func() (any, error) { return testArgs.OneOf("missing", "valid", "valid", "same") }, "valid", ""},
		{"OneOf wrong", func() (any, error) { return testArgs.OneOf("name", "valid", "valid", "same") }, "", `argument "name": want one of "valid", "same", got "abc"`},
		{"IntList scalar", func() (any, error) { return testArgs.IntList("units", 2, nil) }, []int{256, 256}, ""},
		{"IntList scalar any length", func() (any, error) { return testArgs.IntList("units", 0, nil) }, []int{256}, ""},
		{"IntList list", func() (any, error) { return testArgs.IntList("size", 2, nil) }, []int{3, 5}, ""},
		{"IntList default", func() (any, error) { return testArgs.IntList("missing", 2, []int{1, 1}) }, []int{1, 1}, ""},
		{"IntList length", func() (any, error) { return testArgs.IntList("size", 3, nil) }, []int(nil), `argument "size": want an integer or a list of 3, got [3, 5]`},
		{"IntList mixed", func() (any, error) { return testArgs.IntList("mixed", 0, nil) }, []int(nil), `argument "mixed": want an integer or a list of them, got [3, "x"]`},
		{"IntList zero allowed", func() (any, error) { return testArgs.IntList("bad_size", 2, nil) }, []int{3, 0}, ""},
		{"PositiveIntList", func() (any, error) { return testArgs.PositiveIntList("size", 2, nil) }, []int{3, 5}, ""},
		{"PositiveIntList zero", func() (any, error) { return testArgs.PositiveIntList("bad_size", 2, nil) }, []int(nil), `argument "bad_size": want a positive integer or a list of 2, got [3, 0]`},
		{"Named", func() (any, error) { return testArgs.Named("init", "zeros") },
			Named{Name: "glorot_uniform", Args: Args{{"seed", 1}}, Path: "init"}, ""},
		{"Named string", func() (any, error) { return testArgs.Named("name", "zeros") }, Named{Name: "abc", Path: "name"}, ""},
		{"Named default", func() (any, error) { return testArgs.Named("none", "zeros") }, Named{Name: "zeros"}, ""},
		{"Named wrong", func() (any, error) { return testArgs.Named("units", "zeros") }, Named{Path: "units"},
			`argument "units": want a name or a single-key map {name: {arguments}}, got 256`},
	}
	for _, tt := range tests {
		got, err := tt.get()
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if gotErr != tt.wantErr {
			t.Errorf("%s: got error %q, want %q", tt.name, gotErr, tt.wantErr)
		}
		if err == nil && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.name, got, tt.want)
		}
	}
}

func TestReader(t *testing.T) {
	l := Layer{Type: "conv2d", Args: testArgs, Index: 2, Line: 7, Source: "m.yaml"}
	r := l.Reader()
	units := r.PositiveInt("units", 0)
	size := r.PositiveIntList("size", 2, nil)
	rate := r.Float("rate", 0)
	if err := r.Err(); err != nil || units != 256 || !reflect.DeepEqual(size, []int{3, 5}) || rate != 0.5 {
		t.Fatalf("got %d %v %v %v, want 256 [3 5] 0.5 <nil>", units, size, rate, err)
	}
	_ = r.PositiveInt("zero", 1)
	_ = r.String("name", "") // not read: the Reader stopped at the first error
	want := `m.yaml:7: layer 2 (conv2d): argument "zero": want a positive integer, got 0`
	if err := r.Err(); err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	if got := r.String("name", "x"); got != "" {
		t.Errorf("after an error: got %q, want the zero value", got)
	}

	n := Named{Name: "adam", Args: Args{{"learning_rate", "fast"}}, Path: "compile.optimizer", Source: "m.yaml", Line: 9}
	nr := n.Reader()
	_ = nr.Float("learning_rate", 0.001)
	want = `m.yaml:9: compile.optimizer (adam): argument "learning_rate": want a number, got "fast"`
	if err := nr.Err(); err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

func TestShow(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{nil, "null"},
		{1.0, "1.0"},
		{1e-7, "1e-07"},
		{"a\nb", `"a\nb"`},
		{[]any{1, "x", Args{{"k", true}, {"two words", nil}}}, `[1, "x", {k: true, "two words": null}]`},
		{Args{}, "{}"},
	}
	for _, tt := range tests {
		if got := show(tt.v); got != tt.want {
			t.Errorf("show(%#v): got %s, want %s", tt.v, got, tt.want)
		}
	}
}

func TestReaderGetters(t *testing.T) {
	r := Layer{Type: "x", Args: testArgs, Index: 1}.Reader()
	got := []any{
		r.Int("units", 0), r.PositiveInt("units", 0), r.Float("rate", 0), r.Bool("flag", false),
		r.String("name", ""), r.OneOf("name", "", "abc"), r.IntList("size", 2, nil),
		r.PositiveIntList("size", 2, nil), r.Named("init", ""),
	}
	want := []any{
		256, 256, 0.5, true, "abc", "abc", []int{3, 5}, []int{3, 5},
		Named{Name: "glorot_uniform", Args: Args{{"seed", 1}}, Path: "init"},
	}
	if err := r.Err(); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, %v, want %v, <nil>", got, err, want)
	}
}
