package saving

import (
	"bytes"
	"encoding/binary"
	"maps"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

func TestSafetensorsRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		tensors  []NamedTensor
		metadata map[string]string
	}{
		{"sample", sampleTensors(), map[string]string{"format": "pt", "b": "2", "a": "1"}},
		{"no tensors", nil, nil},
		{"only empty tensors", []NamedTensor{
			{"a", tensor.New(tensor.Float32, 0)}, {"b", tensor.New(tensor.Float64, 2, 0)},
		}, nil},
		{"empty tensors between others", []NamedTensor{
			{"z", tensor.New(tensor.Float32, 0)}, {"y", f32bits([]int{1}, 7)},
			{"x", tensor.New(tensor.Float32, 0)}, {"w", tensor.New(tensor.Float64, 0)},
			{"v", f64bits([]int{1}, 9)}, {"u", tensor.New(tensor.Float32, 0)},
		}, map[string]string{}},
		// 20,000 elements: larger than the 32 KiB conversion buffer.
		{"large", []NamedTensor{{"big", tensor.Full(0.5, 100, 200)}, {"big64", tensor.New(tensor.Float64, 5000)}}, nil},
		{"view", []NamedTensor{{"rows", tensor.FromFloat32([]float32{1, 2, 3, 4, 5, 6}, 3, 2).Rows(1, 3)}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteSafetensors(&buf, tc.tensors, tc.metadata); err != nil {
				t.Fatalf("WriteSafetensors: %v", err)
			}
			got, meta, err := ReadSafetensors(buf.Bytes())
			if err != nil {
				t.Fatalf("ReadSafetensors: %v", err)
			}
			if d := diffTensors(got, tc.tensors); d != "" {
				t.Error(d)
			}
			if len(tc.metadata) == 0 && meta != nil {
				t.Errorf("got metadata %v, want none", meta)
			}
			if len(tc.metadata) > 0 && !maps.Equal(meta, tc.metadata) {
				t.Errorf("got metadata %v, want %v", meta, tc.metadata)
			}
			if n := binary.LittleEndian.Uint64(buf.Bytes()); n%8 != 0 {
				t.Errorf("got header length %d, want a multiple of 8", n)
			}
		})
	}
}

// The expected bytes come from the reference implementation's own unit
// tests (huggingface/safetensors, safetensors/src/tensor.rs: test_empty,
// test_serialization, test_serialization_forced_alignement), written here as
// text: an 8-byte length, then the header with its space padding.
func TestWriteSafetensorsReferenceVectors(t *testing.T) {
	six := f32bits([]int{1, 2, 3}, 0, 0x3f800000, 0x40000000, 0x40400000, 0x40800000, 0x40a00000) // 0..5
	tests := []struct {
		name     string
		tensors  []NamedTensor
		metadata map[string]string
		header   string
	}{
		{"empty", nil, nil, `{}      `},
		{"empty with metadata", nil, map[string]string{"framework": "pt"},
			`{"__metadata__":{"framework":"pt"}}     `},
		{"attn.0", []NamedTensor{{"attn.0", six}}, nil,
			`{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}`},
		{"forced alignment", []NamedTensor{{"attn0", six.Reshape(1, 1, 2, 3)}}, nil,
			`{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       `},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		if err := WriteSafetensors(&buf, tc.tensors, tc.metadata); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want := binary.LittleEndian.AppendUint64(nil, uint64(len(tc.header)))
		want = append(want, tc.header...)
		for _, nt := range tc.tensors {
			for _, v := range nt.T.Float32s() {
				want = binary.LittleEndian.AppendUint32(want, math.Float32bits(v))
			}
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.name, buf.Bytes(), want)
		}
	}
}

// testdata/golden.safetensors was written by testdata/make_golden.py, which
// follows the reference implementation's serializer (see the script).
func TestSafetensorsGolden(t *testing.T) {
	golden, err := os.ReadFile("testdata/golden.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	got, meta, err := ReadSafetensors(golden)
	if err != nil {
		t.Fatalf("ReadSafetensors: %v", err)
	}
	// The values and the order (F64 first, then by name) are the script's.
	want := []NamedTensor{
		{"bn.moving_mean", f64bits([]int{3}, 0x3ff8000000000000, 0x8000000000000000, 0xfff8000000000123)},
		{"bn.scalar", f64bits([]int{}, 0x400921fb54442d18)}, // math.Pi
		{"dense_1.bias", f32bits([]int{2}, 0x80000000, 0x7f800000)},
		{"dense_1.kernel", f32bits([]int{2, 3}, 0x3f800000, 0xc0200000, 0x7fc00000, 0x7fa00001, 0xff800000, 1)},
		{"empty", tensor.New(tensor.Float32, 0, 4)},
		{"name \"quoted\"\t\x01 café", f32bits([]int{1}, 0x3dcccccd)},
	}
	if d := diffTensors(got, want); d != "" {
		t.Error(d)
	}
	if !maps.Equal(meta, map[string]string{"format": "pt"}) {
		t.Errorf("got metadata %v, want map[format:pt]", meta)
	}
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, got, meta); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), golden) {
		t.Errorf("rewriting the golden file changed it:\ngot  %q\nwant %q", buf.Bytes(), golden)
	}
}

func TestWriteSafetensorsDeterministic(t *testing.T) {
	ts := sampleTensors()
	meta := map[string]string{"z": "1", "a": "2", "m": "3", "format": "pt"}
	var first bytes.Buffer
	if err := WriteSafetensors(&first, ts, meta); err != nil {
		t.Fatal(err)
	}
	for range 10 { // map iteration order varies between runs; 10 tries would expose it
		var again bytes.Buffer
		if err := WriteSafetensors(&again, ts, meta); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), again.Bytes()) {
			t.Fatal("two writes of the same tensors differ")
		}
	}
	header := first.String()
	wantOrder := []string{`"__metadata__":{"a":"2","format":"pt","m":"3","z":"1"}`,
		`"dense_1.kernel":`, `"dense_1.bias":`, `"bn.moving_var":`, `"bn.count":`, `"empty":`}
	last := -1
	for _, key := range wantOrder {
		i := strings.Index(header, key)
		if i <= last {
			t.Errorf("header key %s at %d, want after %d (given order):\n%s", key, i, last, header)
		}
		last = i
	}
}

func TestWriteSafetensorsErrors(t *testing.T) {
	one := tensor.Zeros(1)
	tests := []struct {
		name     string
		tensors  []NamedTensor
		metadata map[string]string
		want     string
	}{
		{"nil tensor", []NamedTensor{{"a", nil}}, nil, `tensor "a": is nil`},
		{"duplicate", []NamedTensor{{"a", one}, {"a", one}}, nil, `tensor "a": duplicate name`},
		{"reserved", []NamedTensor{{"__metadata__", one}}, nil, `tensor "__metadata__": name is reserved for the metadata`},
		{"bad utf-8 name", []NamedTensor{{"a\xff", one}}, nil, `tensor "a\xff": name is not valid UTF-8`},
		{"bad utf-8 metadata", nil, map[string]string{"k": "\xfe"}, `metadata "k": "\xfe": not valid UTF-8`},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		err := WriteSafetensors(&buf, tc.tensors, tc.metadata)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got error %v, want %q", tc.name, err, tc.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: got %d bytes written before the error, want 0", tc.name, buf.Len())
		}
	}
}

// file builds a safetensors file from a header and a data section.
func file(header string, data int) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	b = append(b, header...)
	return append(b, make([]byte, data)...)
}

func TestReadSafetensorsErrors(t *testing.T) {
	info := func(dtype, shape, offsets string) string {
		return `{"dtype":"` + dtype + `","shape":` + shape + `,"data_offsets":` + offsets + `}`
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"short", []byte{1, 2, 3}, "file is 3 bytes, shorter than the 8-byte header length"},
		// 100,000,001 is one past the reference implementation's MAX_HEADER_SIZE.
		{"huge header", binary.LittleEndian.AppendUint64(nil, 100_000_001), "header length 100000001 exceeds the limit of 100000000 bytes"},
		{"header past end", binary.LittleEndian.AppendUint64(nil, 10), "header length 10 runs past the end of the file (8 bytes)"},
		{"not utf-8", file("{\xff}", 0), "header is not valid UTF-8"},
		{"not an object", file(`[]`, 0), "header does not start with '{'"},
		{"empty header", file(``, 0), "header does not start with '{'"},
		{"bad json", file(`{"a":}`, 0), "header: invalid character '}' looking for beginning of value"},
		{"trailing data", file(`{} {}`, 0), "header: unexpected data after the JSON object at byte 4"},
		{"no dtype", file(`{"a":{}}`, 0), "header: tensor \"a\": no dtype"},
		{"unclosed", file(`{"a":`+info("F32", "[0]", "[0,0]"), 0), "header: unexpected end of JSON input"},
		{"duplicate", file(`{"a":`+info("F32", "[0]", "[0,0]")+`,"a":`+info("F32", "[0]", "[0,0]")+`}`, 0),
			`header: duplicate key "a"`},
		{"info not object", file(`{"a":5}`, 0), `header: tensor "a": 5 is not a JSON object`},
		{"unknown key", file(`{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4],"x":1}}`, 4),
			`header: tensor "a": unknown key "x" (want dtype, shape and data_offsets)`},
		{"no shape", file(`{"a":{"dtype":"F32","data_offsets":[0,4]}}`, 4), `header: tensor "a": no shape`},
		{"no offsets", file(`{"a":{"dtype":"F32","shape":[]}}`, 4), `header: tensor "a": no data_offsets`},
		{"f16", file(`{"a":`+info("F16", "[2]", "[0,4]")+`}`, 4),
			`header: tensor "a": dtype F16 is not supported (deepgo reads F32 and F64)`},
		{"unknown dtype", file(`{"a":`+info("float32", "[1]", "[0,4]")+`}`, 4), `header: tensor "a": unknown dtype "float32"`},
		{"dtype not string", file(`{"a":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}`, 4),
			`header: tensor "a": dtype 4 is not a string`},
		{"negative dim", file(`{"a":`+info("F32", "[-1]", "[0,4]")+`}`, 4),
			`header: tensor "a": shape dimension -1 is not a non-negative integer`},
		{"fractional dim", file(`{"a":`+info("F32", "[1.5]", "[0,4]")+`}`, 4),
			`header: tensor "a": shape dimension 1.5 is not a non-negative integer`},
		{"string dim", file(`{"a":`+info("F32", `["1"]`, "[0,4]")+`}`, 4),
			`header: tensor "a": shape dimension "1" is not a non-negative integer`},
		{"null shape", file(`{"a":`+info("F32", `null`, "[0,4]")+`}`, 4), `header: tensor "a": shape null is not an array`},
		{"three offsets", file(`{"a":`+info("F32", "[1]", "[0,4,8]")+`}`, 4),
			`header: tensor "a": data_offsets [0,4,8] is not a pair [begin, end]`},
		{"negative offset", file(`{"a":`+info("F32", "[1]", "[-4,0]")+`}`, 4),
			`header: tensor "a": data_offsets [-4,0]: -4 is not a non-negative integer`},
		{"end before begin", file(`{"a":`+info("F32", "[0]", "[4,0]")+`}`, 4),
			`header: tensor "a": data_offsets [4, 0] end before they begin`},
		{"shape mismatch", file(`{"dense_1.bias":`+info("F32", "[10]", "[0,36]")+`}`, 36),
			`header: tensor "dense_1.bias": data_offsets [0, 36] do not match shape (10,) of F32 (36 bytes, want 40)`},
		{"f64 mismatch", file(`{"a":`+info("F64", "[2,2]", "[0,16]")+`}`, 16),
			`header: tensor "a": data_offsets [0, 16] do not match shape (2, 2) of F64 (16 bytes, want 32)`},
		// 2^32 squared overflows 64 bits; the check must not wrap around to 0.
		{"overflowing shape", file(`{"a":`+info("F32", "[4294967296,4294967296]", "[0,0]")+`}`, 0),
			`header: tensor "a": data_offsets [0, 0] do not match shape (4294967296, 4294967296) of F32 (0 bytes, want over 2^64)`},
		{"gap at start", file(`{"a":`+info("F32", "[1]", "[4,8]")+`}`, 8),
			`tensor "a": data_offsets [4, 8] leave a gap: the data section starts at 0`},
		{"gap", file(`{"a":`+info("F32", "[1]", "[0,4]")+`,"b":`+info("F32", "[1]", "[8,12]")+`}`, 12),
			`tensor "b": data_offsets [8, 12] leave a gap: the previous tensor "a" ends at 4`},
		{"overlap", file(`{"a":`+info("F32", "[2]", "[0,8]")+`,"b":`+info("F32", "[1]", "[4,8]")+`}`, 8),
			`tensor "b": data_offsets [4, 8] overlap tensor "a", which ends at 8`},
		{"same offsets", file(`{"a":`+info("F32", "[1]", "[0,4]")+`,"b":`+info("F32", "[1]", "[0,4]")+`}`, 4),
			`tensor "b": data_offsets [0, 4] overlap tensor "a", which ends at 4`},
		{"extra data", file(`{"a":`+info("F32", "[1]", "[0,4]")+`}`, 5), `data section is 5 bytes but the tensors cover 4`},
		{"missing data", file(`{"a":`+info("F32", "[2]", "[0,8]")+`}`, 4), `data section is 4 bytes but the tensors cover 8`},
		{"metadata not object", file(`{"__metadata__":"x"}`, 0), `header: __metadata__: "x" is not a JSON object`},
		{"metadata not strings", file(`{"__metadata__":{"epoch":3}}`, 0), `header: __metadata__: value 3 of key "epoch" is not a string`},
		{"metadata duplicate", file(`{"__metadata__":{"k":"1","k":"2"}}`, 0), `header: __metadata__: duplicate key "k"`},
	}
	for _, tc := range tests {
		got, meta, err := ReadSafetensors(tc.data)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got error %v, want %q", tc.name, err, tc.want)
		}
		if got != nil || meta != nil {
			t.Errorf("%s: got tensors %v and metadata %v with the error, want nil", tc.name, got, meta)
		}
	}
}

// Every proper prefix of a valid file must be refused, never read as valid
// and never panic.
func TestReadSafetensorsTruncated(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, sampleTensors(), map[string]string{"format": "pt"}); err != nil {
		t.Fatal(err)
	}
	full := buf.Bytes()
	for n := range len(full) {
		if _, _, err := ReadSafetensors(full[:n]); err == nil {
			t.Errorf("prefix of %d of %d bytes: got no error", n, len(full))
		}
	}
}

func TestReadSafetensorsAcceptsOtherOrders(t *testing.T) {
	// Header order differs from data order, and whitespace surrounds the
	// JSON, as other writers may produce; tensors come back in data order.
	h := "{\n \"b\": {\"shape\":[1],\"dtype\":\"F32\",\"data_offsets\":[4,8]},\n" +
		" \"a\": {\"data_offsets\":[0,4],\"dtype\":\"F32\",\"shape\":[1]} }\n "
	got, _, err := ReadSafetensors(append(file(h, 0), 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40)) // float32 1, 2
	if err != nil {
		t.Fatal(err)
	}
	want := []NamedTensor{{"a", tensor.FromFloat32([]float32{1}, 1)}, {"b", tensor.FromFloat32([]float32{2}, 1)}}
	if d := diffTensors(got, want); d != "" {
		t.Error(d)
	}
}
