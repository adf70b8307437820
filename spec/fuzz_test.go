package spec

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that its errors are one line,
// and that every spec it accepts survives a MarshalJSON round trip.
func FuzzParse(f *testing.F) {
	for _, path := range []string{mnistPath, "testdata/mnist-mlp.json", "testdata/mnist-mlp-keras.yaml"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, src := range roundTripSpecs {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "fuzz.yaml") {
				t.Fatalf("error not one line starting with the file name: %q", msg)
			}
			return
		}
		js, err := s.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON of a parsed spec: %v", err)
		}
		back, err := Parse(js, "fuzz.yaml")
		if err != nil {
			t.Fatalf("reading back %s: %v", js, err)
		}
		if got, want := withoutLines(back, ""), withoutLines(s, ""); !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip: got %+v, want %+v", got, want)
		}
	})
}
