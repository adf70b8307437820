package saving

// Run each fuzzer with, for example,
//
//	go test -run '^$' -fuzz FuzzDecode -fuzztime=10s -fuzzminimizetime=200x ./saving/
//
// The low -fuzzminimizetime matters for FuzzDecode: minimizing each new
// 1 KiB zip input for the default 60 s would take up a short run entirely.

import (
	"bytes"
	"maps"
	"os"
	"testing"
)

// FuzzReadSafetensors checks that no input makes ReadSafetensors panic, and
// that whatever it accepts writes back to a file that reads the same.
func FuzzReadSafetensors(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, sampleTensors(), map[string]string{"format": "pt"}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	if golden, err := os.ReadFile("testdata/golden.safetensors"); err == nil {
		f.Add(golden)
	}
	f.Add(file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 4))
	f.Add(file(`{}`, 0))
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, meta, err := ReadSafetensors(data)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteSafetensors(&out, ts, meta); err != nil {
			t.Fatalf("rewriting what was read: %v", err)
		}
		ts2, meta2, err := ReadSafetensors(out.Bytes())
		if err != nil {
			t.Fatalf("reading what was rewritten: %v", err)
		}
		if d := diffTensors(ts2, ts); d != "" {
			t.Fatal(d)
		}
		if !maps.Equal(meta2, meta) { // nil and empty are equal here
			t.Fatalf("got metadata %v, want %v", meta2, meta)
		}
	})
}

// FuzzDecode checks that no input makes Decode panic, and that whatever it
// accepts encodes to a file that decodes the same.
func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	if err := Encode(&buf, sampleFile()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	small := &File{Config: []byte("{}"), Metadata: []byte("{}")}
	buf.Reset()
	if err := Encode(&buf, small); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decode(data)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := Encode(&out, got); err != nil {
			t.Fatalf("re-encoding what was decoded: %v", err)
		}
		again, err := decode(out.Bytes())
		if err != nil {
			t.Fatalf("decoding what was re-encoded: %v", err)
		}
		if d := diffFile(again, got); d != "" {
			t.Fatal(d)
		}
	})
}
