package saving

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/deepgo-dev/deepgo/tensor"
)

// NamedTensor is one weight with its stable dotted name, such as
// "dense_1.kernel". Wherever a slice of them appears, its order is
// significant and preserved.
type NamedTensor struct {
	Name string
	T    *tensor.Tensor
}

// metadataKey is the header key the safetensors format reserves for the
// free-form string map.
const metadataKey = "__metadata__"

// headerAlign is the multiple the reference implementation pads the JSON
// header to (with spaces), so that tensor data starts 8-byte aligned.
const headerAlign = 8

// maxHeaderSize is the reference implementation's MAX_HEADER_SIZE: larger
// headers are refused before any parsing.
const maxHeaderSize = 100_000_000

// WriteSafetensors writes tensors to w in the safetensors format: an 8-byte
// little-endian header length, a JSON header, then the raw little-endian
// element bytes of every tensor, one after the other.
//
// Tensors are laid out in the given order and the header lists them in that
// same order, after "__metadata__" (omitted when metadata is empty, whose keys
// are written sorted). The JSON is built by hand so the output is the same
// bytes for the same input; it is escaped as serde_json escapes it and padded
// with spaces to a multiple of 8 bytes, as the reference implementation does,
// so a file whose tensors are in the order the reference would choose is
// byte-identical to the reference's output. Names must be unique, valid UTF-8
// and not "__metadata__"; tensors must be non-nil. float32 tensors are stored
// as F32 and float64 tensors as F64, bit for bit (NaN payloads included).
func WriteSafetensors(w io.Writer, tensors []NamedTensor, metadata map[string]string) error {
	header, err := safetensorsHeader(tensors, metadata)
	if err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(header)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	buf := make([]byte, 32<<10) // conversion buffer: 32 KiB, a multiple of 8
	for _, nt := range tensors {
		if err := writeTensorData(w, buf, nt.T); err != nil {
			return err
		}
	}
	return nil
}

// safetensorsHeader validates tensors and metadata and returns the padded
// JSON header.
func safetensorsHeader(tensors []NamedTensor, metadata map[string]string) ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	first := true
	if len(metadata) > 0 {
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteString(`"` + metadataKey + `":{`)
		for i, k := range keys {
			v := metadata[k]
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return nil, fmt.Errorf("metadata %q: %q: not valid UTF-8", k, v)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(&b, k)
			b.WriteByte(':')
			writeJSONString(&b, v)
		}
		b.WriteByte('}')
		first = false
	}
	seen := make(map[string]bool, len(tensors))
	var offset uint64
	for _, nt := range tensors {
		switch {
		case nt.T == nil:
			return nil, fmt.Errorf("tensor %q: is nil", nt.Name)
		case !utf8.ValidString(nt.Name):
			return nil, fmt.Errorf("tensor %q: name is not valid UTF-8", nt.Name)
		case nt.Name == metadataKey:
			return nil, fmt.Errorf("tensor %q: name is reserved for the metadata", nt.Name)
		case seen[nt.Name]:
			return nil, fmt.Errorf("tensor %q: duplicate name", nt.Name)
		}
		seen[nt.Name] = true
		dt, size, err := safetensorsDType(nt.T.DType())
		if err != nil {
			return nil, fmt.Errorf("tensor %q: %v", nt.Name, err)
		}
		end := offset + uint64(nt.T.Len())*size
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeJSONString(&b, nt.Name)
		b.WriteString(`:{"dtype":"` + dt + `","shape":[`)
		for i, d := range nt.T.Shape() {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(d))
		}
		fmt.Fprintf(&b, `],"data_offsets":[%d,%d]}`, offset, end)
		offset = end
	}
	b.WriteByte('}')
	for b.Len()%headerAlign != 0 {
		b.WriteByte(' ')
	}
	return []byte(b.String()), nil
}

// safetensorsDType returns the safetensors name and element size of d.
func safetensorsDType(d tensor.DType) (string, uint64, error) {
	switch d {
	case tensor.Float32:
		return "F32", 4, nil
	case tensor.Float64:
		return "F64", 8, nil
	}
	return "", 0, fmt.Errorf("dtype %s cannot be saved", d)
}

// writeTensorData writes t's elements little-endian through buf.
func writeTensorData(w io.Writer, buf []byte, t *tensor.Tensor) error {
	if t.DType() == tensor.Float64 {
		return writeElements(w, buf, t.Float64s(), 8, func(b []byte, v float64) {
			binary.LittleEndian.PutUint64(b, math.Float64bits(v))
		})
	}
	return writeElements(w, buf, t.Float32s(), 4, func(b []byte, v float32) {
		binary.LittleEndian.PutUint32(b, math.Float32bits(v))
	})
}

// writeElements writes data in chunks of len(buf)/size elements, each
// encoded into its size bytes of buf by put.
func writeElements[T any](w io.Writer, buf []byte, data []T, size int, put func(b []byte, v T)) error {
	for len(data) > 0 {
		n := min(len(data), len(buf)/size)
		for i, v := range data[:n] {
			put(buf[size*i:], v)
		}
		if _, err := w.Write(buf[:size*n]); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// writeJSONString writes s as a JSON string escaped the way serde_json (the
// reference implementation's serializer) and Python's json.dumps with
// ensure_ascii=False escape it: quote, backslash and control characters only,
// with lowercase hex.
func writeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
