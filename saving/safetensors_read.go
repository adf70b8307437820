package saving

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/deepgo-dev/deepgo/tensor"
)

// tensorInfo is one header entry, validated but not yet read.
type tensorInfo struct {
	name       string
	dtype      tensor.DType
	dtypeName  string
	shape      []int
	begin, end uint64
}

// ReadSafetensors parses a whole safetensors file held in data and returns
// its tensors in file order (by data offset) and its "__metadata__" map (nil
// when the file has none).
//
// Parsing is strict: the header length must fit the file and the reference
// limit of 100,000,000 bytes; the header must be UTF-8 JSON holding one
// object with no duplicate keys and nothing but whitespace after it; every
// tensor needs exactly dtype, shape and data_offsets; dtypes other than F32
// and F64 are refused; dimensions are non-negative integers whose element
// count matches the byte span; and the spans must tile the data section
// exactly: contiguous, non-overlapping, from 0 to its end. Errors say which
// tensor and which value is wrong; they do not name the file, which is the
// caller's to add.
func ReadSafetensors(data []byte) ([]NamedTensor, map[string]string, error) {
	if len(data) < 8 {
		return nil, nil, fmt.Errorf("file is %d bytes, shorter than the 8-byte header length", len(data))
	}
	n := binary.LittleEndian.Uint64(data)
	if n > maxHeaderSize {
		return nil, nil, fmt.Errorf("header length %d exceeds the limit of %d bytes", n, maxHeaderSize)
	}
	if n > uint64(len(data)-8) {
		return nil, nil, fmt.Errorf("header length %d runs past the end of the file (%d bytes)", n, len(data))
	}
	header, body := data[8:8+n], data[8+n:]
	if !utf8.Valid(header) {
		return nil, nil, errors.New("header is not valid UTF-8")
	}
	if len(header) == 0 || header[0] != '{' {
		return nil, nil, errors.New("header does not start with '{'")
	}
	var (
		metadata map[string]string
		infos    []tensorInfo
	)
	err := walkObject(header, func(key string, value json.RawMessage) error {
		if key == metadataKey {
			m, err := parseMetadata(value)
			metadata = m
			return err
		}
		info, err := parseTensorInfo(key, value)
		if err != nil {
			return fmt.Errorf("tensor %q: %v", key, err)
		}
		infos = append(infos, info)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("header: %v", err)
	}
	if err := checkLayout(infos, uint64(len(body))); err != nil {
		return nil, nil, err
	}
	out := make([]NamedTensor, len(infos))
	for i, info := range infos {
		out[i] = NamedTensor{Name: info.name, T: decodeTensor(info, body[info.begin:info.end])}
	}
	return out, metadata, nil
}

// checkLayout sorts infos by data offset (header order breaks ties between
// empty tensors) and checks that they tile the data section of size bytes.
func checkLayout(infos []tensorInfo, size uint64) error {
	slices.SortStableFunc(infos, func(a, b tensorInfo) int {
		return cmp.Or(cmp.Compare(a.begin, b.begin), cmp.Compare(a.end, b.end))
	})
	var next uint64
	for i, info := range infos {
		switch {
		case info.begin > next && i == 0:
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] leave a gap: the data section starts at 0",
				info.name, info.begin, info.end)
		case info.begin > next:
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] leave a gap: the previous tensor %q ends at %d",
				info.name, info.begin, info.end, infos[i-1].name, next)
		case info.begin < next:
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] overlap tensor %q, which ends at %d",
				info.name, info.begin, info.end, infos[i-1].name, next)
		}
		next = info.end
	}
	if next != size {
		return fmt.Errorf("data section is %d bytes but the tensors cover %d", size, next)
	}
	return nil
}

// decodeTensor converts the little-endian bytes b into a tensor, bit for bit.
func decodeTensor(info tensorInfo, b []byte) *tensor.Tensor {
	t := tensor.New(info.dtype, info.shape...)
	if info.dtype == tensor.Float64 {
		v := t.Float64s()
		for i := range v {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
		return t
	}
	v := t.Float32s()
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return t
}

// parseMetadata decodes the "__metadata__" object: string keys to string values.
func parseMetadata(raw json.RawMessage) (map[string]string, error) {
	m := map[string]string{}
	err := walkObject(raw, func(key string, value json.RawMessage) error {
		var s string
		if !isJSONString(value) || json.Unmarshal(value, &s) != nil {
			return fmt.Errorf("value %s of key %q is not a string", brief(value), key)
		}
		m[key] = s
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %v", metadataKey, err)
	}
	return m, nil
}

// parseTensorInfo decodes one tensor's header entry and checks that its
// shape and dtype match its byte span.
func parseTensorInfo(name string, raw json.RawMessage) (tensorInfo, error) {
	info := tensorInfo{name: name}
	var haveDType, haveShape, haveOffsets bool
	err := walkObject(raw, func(key string, value json.RawMessage) error {
		var err error
		switch key {
		case "dtype":
			haveDType = true
			info.dtypeName, info.dtype, err = parseDType(value)
		case "shape":
			haveShape = true
			info.shape, err = parseShape(value)
		case "data_offsets":
			haveOffsets = true
			info.begin, info.end, err = parseOffsets(value)
		default:
			err = fmt.Errorf("unknown key %q (want dtype, shape and data_offsets)", key)
		}
		return err
	})
	switch {
	case err != nil:
		return info, err
	case !haveDType:
		return info, errors.New("no dtype")
	case !haveShape:
		return info, errors.New("no shape")
	case !haveOffsets:
		return info, errors.New("no data_offsets")
	}
	elemSize := uint64(4)
	if info.dtype == tensor.Float64 {
		elemSize = 8
	}
	span := info.end - info.begin
	if count, ok := elementCount(info.shape, math.MaxUint64/elemSize); !ok || count*elemSize != span {
		want := "over 2^64"
		if ok {
			want = strconv.FormatUint(count*elemSize, 10)
		}
		return info, fmt.Errorf("data_offsets [%d, %d] do not match shape %s of %s (%d bytes, want %s)",
			info.begin, info.end, tensor.ShapeString(info.shape), info.dtypeName, span, want)
	}
	return info, nil
}

// elementCount multiplies the dimensions of shape, reporting false when the
// product exceeds limit.
func elementCount(shape []int, limit uint64) (uint64, bool) {
	if slices.Contains(shape, 0) {
		return 0, true
	}
	count := uint64(1)
	for _, d := range shape {
		if uint64(d) > limit/count {
			return 0, false
		}
		count *= uint64(d)
	}
	return count, true
}

// unsupportedDTypes are the other dtypes the safetensors format defines.
var unsupportedDTypes = []string{"BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
	"I32", "U32", "I64", "U64"}

func parseDType(raw json.RawMessage) (string, tensor.DType, error) {
	var s string
	if !isJSONString(raw) || json.Unmarshal(raw, &s) != nil {
		return "", 0, fmt.Errorf("dtype %s is not a string", brief(raw))
	}
	switch {
	case s == "F32":
		return s, tensor.Float32, nil
	case s == "F64":
		return s, tensor.Float64, nil
	case slices.Contains(unsupportedDTypes, s):
		return "", 0, fmt.Errorf("dtype %s is not supported (deepgo reads F32 and F64)", s)
	}
	return "", 0, fmt.Errorf("unknown dtype %q", s)
}

func parseShape(raw json.RawMessage) ([]int, error) {
	var dims []json.RawMessage
	if !isJSONArray(raw) || json.Unmarshal(raw, &dims) != nil {
		return nil, fmt.Errorf("shape %s is not an array", brief(raw))
	}
	shape := make([]int, len(dims))
	for i, d := range dims {
		v, err := strconv.ParseInt(string(d), 10, strconv.IntSize)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("shape dimension %s is not a non-negative integer", brief(d))
		}
		shape[i] = int(v)
	}
	return shape, nil
}

func parseOffsets(raw json.RawMessage) (begin, end uint64, err error) {
	var offs []json.RawMessage
	if !isJSONArray(raw) || json.Unmarshal(raw, &offs) != nil || len(offs) != 2 {
		return 0, 0, fmt.Errorf("data_offsets %s is not a pair [begin, end]", brief(raw))
	}
	var v [2]uint64
	for i, o := range offs {
		v[i], err = strconv.ParseUint(string(o), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("data_offsets %s: %s is not a non-negative integer", brief(raw), brief(o))
		}
	}
	if v[1] < v[0] {
		return 0, 0, fmt.Errorf("data_offsets [%d, %d] end before they begin", v[0], v[1])
	}
	return v[0], v[1], nil
}

// walkObject calls fn for each member of the JSON object in raw, in order.
// Unlike json.Unmarshal into a map, it refuses duplicate keys; it also
// refuses anything but whitespace after the object.
func walkObject(raw []byte, fn func(key string, value json.RawMessage) error) error {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 || raw[0] != '{' {
		return fmt.Errorf("%s is not a JSON object", brief(raw))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := walkMembers(dec, fn); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return errors.New("unexpected end of JSON input")
		}
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("unexpected data after the JSON object at byte %d", dec.InputOffset())
	}
	return nil
}

// walkMembers reads one JSON object from dec, calling fn for each member.
func walkMembers(dec *json.Decoder, fn func(key string, value json.RawMessage) error) error {
	if _, err := dec.Token(); err != nil { // the opening '{'
		return err
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("object key %v is not a string", tok)
		}
		if seen[key] {
			return fmt.Errorf("duplicate key %q", key)
		}
		seen[key] = true
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return err
		}
		if err := fn(key, value); err != nil {
			return err
		}
	}
	_, err := dec.Token() // the closing '}'
	return err
}

func isJSONString(raw []byte) bool { return len(raw) > 0 && raw[0] == '"' }
func isJSONArray(raw []byte) bool  { return len(raw) > 0 && raw[0] == '[' }

// brief returns raw for an error message, shortened to at most 40 bytes.
func brief(raw []byte) string {
	const max = 40
	if len(raw) <= max {
		return string(raw)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(raw[cut]) {
		cut--
	}
	return string(raw[:cut]) + "…"
}
