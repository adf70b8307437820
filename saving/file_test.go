package saving

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func sampleFile() *File {
	ts := sampleTensors()
	return &File{
		Config:    []byte(`{"input":[4],"layers":[{"dense":{"units":4}}]}`),
		Weights:   ts[:2],
		Metadata:  []byte(`{"deepgo_version":"0.1.0","history":{"loss":[0.5,0.25]}}`),
		Optimizer: ts[2:],
	}
}

func encode(t *testing.T, f *File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, f); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return buf.Bytes()
}

func decode(b []byte) (*File, error) {
	return Decode(bytes.NewReader(b), int64(len(b)), "model.deepgo")
}

// diffFile describes the first difference between two Files, or returns "".
func diffFile(got, want *File) string {
	switch {
	case !bytes.Equal(got.Config, want.Config):
		return "got config " + string(got.Config) + ", want " + string(want.Config)
	case !bytes.Equal(got.Metadata, want.Metadata):
		return "got metadata " + string(got.Metadata) + ", want " + string(want.Metadata)
	case (got.Optimizer == nil) != (want.Optimizer == nil):
		return "optimizer saved in one and not the other"
	}
	if d := diffTensors(got.Weights, want.Weights); d != "" {
		return "weights: " + d
	}
	if d := diffTensors(got.Optimizer, want.Optimizer); d != "" {
		return "optimizer: " + d
	}
	return ""
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	noOpt := sampleFile()
	noOpt.Optimizer = nil
	emptyOpt := sampleFile()
	emptyOpt.Optimizer = []NamedTensor{}
	noWeights := sampleFile()
	noWeights.Weights = []NamedTensor{}
	for name, f := range map[string]*File{
		"with optimizer": sampleFile(), "without optimizer": noOpt,
		"empty optimizer": emptyOpt, "no weights": noWeights,
	} {
		got, err := decode(encode(t, f))
		if err != nil {
			t.Fatalf("%s: Decode: %v", name, err)
		}
		if d := diffFile(got, f); d != "" {
			t.Errorf("%s: %s", name, d)
		}
	}
}

func TestEncodeLayout(t *testing.T) {
	b := encode(t, sampleFile())
	if again := encode(t, sampleFile()); !bytes.Equal(b, again) {
		t.Error("two encodings of the same File differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range zr.File {
		got = append(got, f.Name+map[uint16]string{zip.Store: " stored", zip.Deflate: " deflated"}[f.Method])
	}
	want := []string{"config.json deflated", "model.safetensors stored", "metadata.json deflated", "optimizer.safetensors stored"}
	if !slices.Equal(got, want) {
		t.Errorf("got entries %q, want %q", got, want)
	}
}

// makeZip builds a zip from name, content pairs, in order.
func makeZip(t *testing.T, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(entries); i += 2 {
		w, err := zw.Create(entries[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(entries[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecodeErrors(t *testing.T) {
	var weights bytes.Buffer
	if err := WriteSafetensors(&weights, sampleTensors()[:1], nil); err != nil {
		t.Fatal(err)
	}
	st := weights.String()
	// A safetensors file whose bias needs 40 bytes (10 float32) but spans 36.
	badWeights := string(file(`{"dense_1.bias":{"dtype":"F32","shape":[10],"data_offsets":[0,36]}}`, 36))
	stored := encode(t, sampleFile())
	// Alter one bit of a stored weight: the top byte of dense_1.bias's
	// largest float32 (bits 0x7f7fffff, stored little-endian).
	flipped := bytes.Clone(stored)
	flipped[bytes.Index(stored, []byte{0xff, 0xff, 0x7f, 0x7f})+3] ^= 1
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not a zip", []byte("input: [28, 28]\nlayers: [flatten]\n"),
			"model.deepgo: not a deepgo model file (zip: not a valid zip file)"},
		{"empty", nil, "model.deepgo: not a deepgo model file (zip: not a valid zip file)"},
		{"no metadata", makeZip(t, "config.json", "{}", "model.safetensors", st),
			"model.deepgo: not a deepgo model file (no metadata.json)"},
		{"no weights", makeZip(t, "config.json", "{}", "metadata.json", "{}"),
			"model.deepgo: not a deepgo model file (no model.safetensors)"},
		{"unexpected", makeZip(t, "config.json", "{}", "model.safetensors", st, "metadata.json", "{}", "notes.txt", "hi"),
			`model.deepgo: unexpected entry "notes.txt" (a deepgo model file holds config.json, model.safetensors, metadata.json and optionally optimizer.safetensors)`},
		{"duplicate", makeZip(t, "config.json", "{}", "config.json", "{}", "model.safetensors", st, "metadata.json", "{}"),
			`model.deepgo: duplicate entry "config.json"`},
		{"config not json", makeZip(t, "config.json", "units: 10", "model.safetensors", st, "metadata.json", "{}"),
			"model.deepgo: config.json: not valid JSON: invalid character 'u' looking for beginning of value"},
		{"metadata empty", makeZip(t, "config.json", "{}", "model.safetensors", st, "metadata.json", ""),
			"model.deepgo: metadata.json: empty, want JSON"},
		{"bad weights", makeZip(t, "config.json", "{}", "model.safetensors", badWeights, "metadata.json", "{}"),
			`model.deepgo: model.safetensors: header: tensor "dense_1.bias": data_offsets [0, 36] do not match shape (10,) of F32 (36 bytes, want 40)`},
		{"bad optimizer", makeZip(t, "config.json", "{}", "model.safetensors", st, "metadata.json", "{}", "optimizer.safetensors", "x"),
			"model.deepgo: optimizer.safetensors: file is 1 bytes, shorter than the 8-byte header length"},
		{"altered weight", flipped, "model.deepgo: model.safetensors: zip: checksum error"},
	}
	for _, tc := range tests {
		f, err := decode(tc.data)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got error %v, want %q", tc.name, err, tc.want)
		}
		if f != nil {
			t.Errorf("%s: got a File with the error, want nil", tc.name)
		}
	}
}

func TestDecodeEntryTooLarge(t *testing.T) {
	defer func(old uint64) { maxEntrySize = old }(maxEntrySize)
	f := sampleFile()
	var weights bytes.Buffer
	if err := WriteSafetensors(&weights, f.Weights, nil); err != nil {
		t.Fatal(err)
	}
	maxEntrySize = 64 // above the JSON entries, below the weights
	_, err := decode(encode(t, f))
	want := fmt.Sprintf("model.deepgo: model.safetensors: %d bytes uncompressed exceeds the limit of 64", weights.Len())
	if err == nil || err.Error() != want {
		t.Errorf("got error %v, want %q", err, want)
	}
}

// Every proper prefix of a valid file must be refused, never panic.
func TestDecodeTruncated(t *testing.T) {
	b := encode(t, sampleFile())
	for n := range len(b) {
		if _, err := decode(b[:n]); err == nil {
			t.Errorf("prefix of %d of %d bytes: got no error", n, len(b))
		}
	}
}

// tolerated lists the zip fields where archive/zip, and so Decode, may not
// notice a change: they describe the archive rather than the content
// (versions, flags, times, attributes, extra fields, disk numbers), or are
// copies of values Go reads from the central directory instead (the local
// header's CRC, sizes and name; the data descriptor's sizes), or are bits a
// DEFLATE decoder does not use. "central extra length" and "central comment
// length" appear because a change of one can be cancelled by the other.
// Content is still covered by the CRC-32, so a change there must either be
// caught or leave what Decode returns identical.
var tolerated = []string{
	"local version needed", "local flags", "local method", "local time", "local date",
	"local crc", "local compressed size", "local size", "local name", "local extra",
	"deflated data", "descriptor compressed size", "descriptor size",
	"central version made by", "central version needed", "central flags", "central time",
	"central date", "central disk", "central internal attributes", "central external attributes",
	"central extra", "central extra length", "central comment length",
	"end disk", "end directory disk", "end entries on disk", "end directory size",
}

// Each byte of a small model file is altered in turn (all bits, the lowest,
// the highest). Decode must then fail, or return exactly the saved File when
// the byte is in one of the tolerated fields.
func TestDecodeFlippedBytes(t *testing.T) {
	want := sampleFile()
	b := encode(t, want)
	fields, err := zipFields(b)
	if err != nil {
		t.Fatal(err)
	}
	unnoticed := map[string]int{}
	for _, field := range fields {
		for i := field.begin; i < field.end; i++ {
			for _, mask := range []byte{0xff, 0x01, 0x80} {
				c := bytes.Clone(b)
				c[i] ^= mask
				got, err := decode(c)
				if err != nil {
					continue
				}
				unnoticed[field.name]++
				if !slices.Contains(tolerated, field.name) {
					t.Errorf("byte %d (%s) ^ %#x: got no error", i, field.name, mask)
				}
				if d := diffFile(got, want); d != "" {
					t.Errorf("byte %d (%s) ^ %#x: got no error and altered content: %s", i, field.name, mask, d)
				}
			}
		}
	}
	t.Logf("changes Decode did not notice, which left the content intact, by field: %v", unnoticed)
}

func TestEncodeErrors(t *testing.T) {
	badConfig := sampleFile()
	badConfig.Config = []byte("{")
	noMeta := sampleFile()
	noMeta.Metadata = nil
	nilWeight := sampleFile()
	nilWeight.Weights = append(nilWeight.Weights, NamedTensor{"dense_2.kernel", nil})
	dupOpt := sampleFile()
	dupOpt.Optimizer = append(dupOpt.Optimizer, dupOpt.Optimizer[0])
	tests := []struct {
		name string
		f    *File
		want string
	}{
		{"nil", nil, "no model file to encode (nil *File)"},
		{"bad config", badConfig, "config.json: not valid JSON: unexpected end of JSON input"},
		{"no metadata", noMeta, "metadata.json: empty, want JSON"},
		{"nil weight", nilWeight, `model.safetensors: tensor "dense_2.kernel": is nil`},
		{"duplicate slot", dupOpt, `optimizer.safetensors: tensor "bn.moving_var": duplicate name`},
	}
	for _, tc := range tests {
		err := Encode(&bytes.Buffer{}, tc.f)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestWriteFileReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.deepgo")
	want := sampleFile()
	if err := WriteFile(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffFile(got, want); d != "" {
		t.Error(d)
	}

	// A failed save leaves the previous model in place and no temporary file.
	bad := sampleFile()
	bad.Weights = []NamedTensor{{"w", nil}}
	err = WriteFile(path, bad)
	wantErr := path + `: model.safetensors: tensor "w": is nil`
	if err == nil || err.Error() != wantErr {
		t.Errorf("got error %v, want %q", err, wantErr)
	}
	if got, err := ReadFile(path); err != nil || diffFile(got, want) != "" {
		t.Errorf("after a failed save: got error %v, want the previous model", err)
	}
	assertOnlyFiles(t, dir, "model.deepgo")

	if _, err := ReadFile(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("ReadFile(dir): got error %v, want one saying it is a directory", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.deepgo")); !os.IsNotExist(err) {
		t.Errorf("ReadFile(missing): got error %v, want a not-exist error", err)
	}
}

// assertOnlyFiles checks that dir holds exactly the named files.
func assertOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("directory holds %q, want %q", got, names)
	}
}
