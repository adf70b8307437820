package saving

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"
)

// File is a whole .deepgo model file.
type File struct {
	// Config is config.json, the model's fully resolved spec as JSON,
	// stored as is.
	Config []byte
	// Weights is model.safetensors: every weight under its dotted name.
	Weights []NamedTensor
	// Metadata is metadata.json (deepgo version, date, training history),
	// stored as is.
	Metadata []byte
	// Optimizer is optimizer.safetensors, the optimizer's state for resuming
	// training; nil means it is not saved.
	Optimizer []NamedTensor
}

// The entries of a model file, in the order Encode writes them.
const (
	configEntry    = "config.json"
	weightsEntry   = "model.safetensors"
	metadataEntry  = "metadata.json"
	optimizerEntry = "optimizer.safetensors"
)

// maxEntrySize caps the uncompressed size of one entry (4 GiB) so that a
// small crafted file cannot make Decode allocate without bound. A variable
// so tests can lower it.
var maxEntrySize uint64 = 4 << 30

// maxDeflateRatio is the largest expansion DEFLATE can achieve (258-byte
// matches coded in about 2 bits, RFC 1951); it bounds the buffer Decode
// reserves for an entry whose declared size may be a lie.
const maxDeflateRatio = 1032

// entryTime is the modification time written for every entry: the earliest
// a zip can hold, so that the same model always encodes to the same bytes.
// The real date lives in metadata.json.
var entryTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteFile writes f to path atomically (see AtomicWriteFile): the file at
// path is either the complete new model or whatever was there before.
func WriteFile(path string, f *File) error {
	return AtomicWriteFile(path, func(w io.Writer) error { return Encode(w, f) })
}

// Encode writes f to w as a zip holding config.json, model.safetensors,
// metadata.json and, when f.Optimizer is not nil, optimizer.safetensors, in
// that order. The JSON entries are deflated; the safetensors entries are
// stored uncompressed, since weights do not compress. Config and Metadata
// must be valid JSON. The same File always encodes to the same bytes.
func Encode(w io.Writer, f *File) error {
	if f == nil {
		return errors.New("no model file to encode (nil *File)")
	}
	if err := checkJSON(f.Config); err != nil {
		return fmt.Errorf("%s: %v", configEntry, err)
	}
	if err := checkJSON(f.Metadata); err != nil {
		return fmt.Errorf("%s: %v", metadataEntry, err)
	}
	zw := zip.NewWriter(w)
	entry := func(name string, method uint16, write func(io.Writer) error) error {
		h := &zip.FileHeader{Name: name, Method: method, Modified: entryTime}
		h.SetMode(0o644)
		ew, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if err := write(ew); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	writeBytes := func(b []byte) func(io.Writer) error {
		return func(w io.Writer) error { _, err := w.Write(b); return err }
	}
	writeTensors := func(ts []NamedTensor) func(io.Writer) error {
		return func(w io.Writer) error { return WriteSafetensors(w, ts, nil) }
	}
	if err := entry(configEntry, zip.Deflate, writeBytes(f.Config)); err != nil {
		return err
	}
	if err := entry(weightsEntry, zip.Store, writeTensors(f.Weights)); err != nil {
		return err
	}
	if err := entry(metadataEntry, zip.Deflate, writeBytes(f.Metadata)); err != nil {
		return err
	}
	if f.Optimizer != nil {
		if err := entry(optimizerEntry, zip.Store, writeTensors(f.Optimizer)); err != nil {
			return err
		}
	}
	return zw.Close()
}

// ReadFile reads and validates the model file at path; see Decode.
func ReadFile(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a deepgo model file", path)
	}
	return Decode(fh, info.Size(), path)
}

// Decode reads a model file of size bytes from r. name (usually the path)
// starts every error message.
//
// Decoding is strict: r must be a valid zip; every entry is read to its end,
// so its CRC-32 is checked and altered bytes are caught; config.json,
// model.safetensors and metadata.json must be present and optimizer.safetensors
// may be, and nothing else; the JSON entries must be valid JSON and the
// safetensors entries must pass ReadSafetensors; no entry may exceed 4 GiB
// uncompressed. The "__metadata__" maps of the safetensors entries are
// not kept.
func Decode(r io.ReaderAt, size int64, name string) (*File, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%s: not a deepgo model file (%v)", name, err)
	}
	entries := map[string][]byte{}
	for _, zf := range zr.File {
		switch zf.Name {
		case configEntry, weightsEntry, metadataEntry, optimizerEntry:
		default:
			return nil, fmt.Errorf("%s: unexpected entry %q (a deepgo model file holds %s, %s, %s and optionally %s)",
				name, zf.Name, configEntry, weightsEntry, metadataEntry, optimizerEntry)
		}
		if _, dup := entries[zf.Name]; dup {
			return nil, fmt.Errorf("%s: duplicate entry %q", name, zf.Name)
		}
		b, err := readEntry(zf, size)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", name, zf.Name, err)
		}
		entries[zf.Name] = b
	}
	for _, e := range []string{configEntry, weightsEntry, metadataEntry} {
		if _, ok := entries[e]; !ok {
			return nil, fmt.Errorf("%s: not a deepgo model file (no %s)", name, e)
		}
	}
	f := &File{Config: entries[configEntry], Metadata: entries[metadataEntry]}
	for _, e := range []string{configEntry, metadataEntry} {
		if err := checkJSON(entries[e]); err != nil {
			return nil, fmt.Errorf("%s: %s: %v", name, e, err)
		}
	}
	if f.Weights, _, err = ReadSafetensors(entries[weightsEntry]); err != nil {
		return nil, fmt.Errorf("%s: %s: %v", name, weightsEntry, err)
	}
	if b, ok := entries[optimizerEntry]; ok {
		if f.Optimizer, _, err = ReadSafetensors(b); err != nil {
			return nil, fmt.Errorf("%s: %s: %v", name, optimizerEntry, err)
		}
		if f.Optimizer == nil {
			f.Optimizer = []NamedTensor{} // saved, though empty
		}
	}
	return f, nil
}

// readEntry reads all of zf, which makes archive/zip check its size and
// CRC-32, refusing more than maxEntrySize bytes. archiveSize bounds the
// memory reserved up front, as the declared size is not yet trusted.
func readEntry(zf *zip.File, archiveSize int64) ([]byte, error) {
	if zf.UncompressedSize64 > maxEntrySize {
		return nil, fmt.Errorf("%d bytes uncompressed exceeds the limit of %d", zf.UncompressedSize64, maxEntrySize)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	hint := min(zf.UncompressedSize64, math.MaxInt)
	if uint64(archiveSize) < math.MaxUint64/maxDeflateRatio {
		hint = min(hint, uint64(archiveSize)*maxDeflateRatio)
	}
	var buf bytes.Buffer
	buf.Grow(int(hint))
	if _, err := buf.ReadFrom(io.LimitReader(rc, int64(maxEntrySize)+1)); err != nil {
		return nil, err
	}
	if uint64(buf.Len()) > maxEntrySize {
		return nil, fmt.Errorf("more than %d bytes uncompressed", maxEntrySize)
	}
	return buf.Bytes(), nil
}

// checkJSON reports whether b is one valid JSON value.
func checkJSON(b []byte) error {
	if len(b) == 0 {
		return errors.New("empty, want JSON")
	}
	var v json.RawMessage
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("not valid JSON: %v", err)
	}
	return nil
}
