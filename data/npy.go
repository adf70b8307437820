package data

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/deepgo-dev/deepgo/tensor"
)

// npyMagic starts every .npy file (NumPy's format.py, MAGIC_PREFIX).
const npyMagic = "\x93NUMPY"

// npyDType is a parsed NumPy dtype descriptor such as "<f4".
type npyDType struct {
	descr     string
	kind      byte // 'f' float, 'i' signed, 'u' unsigned, 'b' bool
	size      int  // bytes per element
	bigEndian bool
}

// isInteger reports whether the dtype holds integers (or booleans), which
// as targets are class labels.
func (d npyDType) isInteger() bool { return d.kind != 'f' }

// ReadNPY reads a NumPy .npy array (format versions 1.0, 2.0 and 3.0) and
// returns it as a float32 tensor of the same shape. Supported dtypes are
// float16/32/64, signed and unsigned integers of 1 to 8 bytes and bool, in
// either byte order. Arrays must be in C order (fortran_order True is
// accepted only for rank 0 and 1, where the orders agree).
func ReadNPY(r io.Reader) (*tensor.Tensor, error) {
	t, _, err := readNPY(r, -1)
	return t, err
}

// LoadNPY reads the .npy file at path (see ReadNPY).
func LoadNPY(path string) (*tensor.Tensor, error) {
	t, _, err := loadNPY(path)
	return t, err
}

func loadNPY(path string) (*tensor.Tensor, npyDType, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, npyDType{}, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	size := int64(-1)
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	t, dt, err := readNPY(bufio.NewReaderSize(f, 1<<16), size)
	if err != nil {
		return nil, dt, fmt.Errorf("data: %s: %w", path, err)
	}
	return t, dt, nil
}

// readNPY is ReadNPY with a hint of the input's size in bytes (-1 when
// unknown), and it also returns the dtype found in the header.
func readNPY(r io.Reader, sizeHint int64) (*tensor.Tensor, npyDType, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, npyDType{}, fmt.Errorf("reading the NPY magic: %w", noEOF(err))
	}
	if string(pre[:6]) != npyMagic {
		return nil, npyDType{}, fmt.Errorf("not an NPY file: it starts with %q, want %q", pre[:6], npyMagic)
	}
	major, minor := pre[6], pre[7]
	var hlen int
	switch major {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, npyDType{}, fmt.Errorf("reading the NPY header length: %w", noEOF(err))
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, npyDType{}, fmt.Errorf("reading the NPY header length: %w", noEOF(err))
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
		const maxHeader = 1 << 20 // NumPy itself refuses headers over 10000 bytes unless told otherwise
		if hlen > maxHeader {
			return nil, npyDType{}, fmt.Errorf("NPY header length %d exceeds %d bytes", hlen, maxHeader)
		}
	default:
		return nil, npyDType{}, fmt.Errorf("unsupported NPY format version %d.%d (want 1.0, 2.0 or 3.0)", major, minor)
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, npyDType{}, fmt.Errorf("reading the %d-byte NPY header: %w", hlen, noEOF(err))
	}
	dt, shape, err := parseNPYHeader(string(hdr))
	if err != nil {
		return nil, npyDType{}, fmt.Errorf("bad NPY header %q: %w", strings.TrimSpace(string(hdr)), err)
	}
	decode, err := npyDecoder(dt)
	if err != nil {
		return nil, dt, err
	}
	n := 1
	for _, d := range shape {
		if d != 0 && n > maxElements/d {
			return nil, dt, fmt.Errorf("NPY shape %s holds more than %d elements", tensor.ShapeString(shape), maxElements)
		}
		n *= d
	}
	values, err := readElements(r, n, dt.size, sizeHint, decode)
	if err != nil {
		return nil, dt, fmt.Errorf("NPY %s data of shape %s: %w", dt.descr, tensor.ShapeString(shape), err)
	}
	if extra, _ := io.ReadFull(r, make([]byte, 1)); extra > 0 {
		return nil, dt, fmt.Errorf("NPY data of shape %s is followed by extra bytes", tensor.ShapeString(shape))
	}
	return tensor.FromFloat32(values, shape...), dt, nil
}

// parseNPYHeader reads the header, a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }.
func parseNPYHeader(h string) (npyDType, []int, error) {
	p := &pyLit{s: h}
	var (
		dt               npyDType
		shape            []int
		fortran          bool
		gotD, gotF, gotS bool
	)
	if !p.eat('{') {
		return dt, nil, fmt.Errorf("want a dict starting with '{'")
	}
	for !p.eat('}') {
		key, err := p.str()
		if err != nil {
			return dt, nil, err
		}
		if !p.eat(':') {
			return dt, nil, fmt.Errorf("want ':' after key %q", key)
		}
		switch key {
		case "descr":
			if p.peek() == '[' {
				return dt, nil, fmt.Errorf("structured dtypes are not supported")
			}
			s, err := p.str()
			if err != nil {
				return dt, nil, fmt.Errorf("descr: %w", err)
			}
			if dt, err = parseDescr(s); err != nil {
				return dt, nil, err
			}
			gotD = true
		case "fortran_order":
			if fortran, err = p.boolean(); err != nil {
				return dt, nil, fmt.Errorf("fortran_order: %w", err)
			}
			gotF = true
		case "shape":
			if shape, err = p.intTuple(); err != nil {
				return dt, nil, fmt.Errorf("shape: %w", err)
			}
			gotS = true
		default:
			return dt, nil, fmt.Errorf("unexpected key %q", key)
		}
		if !p.eat(',') && p.peek() != '}' {
			return dt, nil, fmt.Errorf("want ',' or '}' at offset %d", p.i)
		}
	}
	if !gotD || !gotF || !gotS {
		return dt, nil, fmt.Errorf("want the keys 'descr', 'fortran_order' and 'shape'")
	}
	if fortran && len(shape) > 1 {
		return dt, nil, fmt.Errorf("fortran_order arrays are not supported; save a C-order copy (numpy.ascontiguousarray)")
	}
	return dt, shape, nil
}

// parseDescr parses a dtype string: a byte-order character (<, >, |, =),
// a kind and a size in bytes.
func parseDescr(s string) (npyDType, error) {
	dt := npyDType{descr: s}
	if len(s) < 3 || !strings.ContainsRune("<>|=", rune(s[0])) {
		return dt, fmt.Errorf("dtype %q: want a byte order, a kind and a size, such as '<f4'", s)
	}
	dt.bigEndian = s[0] == '>'
	dt.kind = s[1]
	switch s[1:] {
	case "f2", "i2", "u2":
		dt.size = 2
	case "f4", "i4", "u4":
		dt.size = 4
	case "f8", "i8", "u8":
		dt.size = 8
	case "i1", "u1", "b1":
		dt.size = 1
	default:
		return dt, fmt.Errorf("dtype %q is not supported (want float16/32/64, int8-64, uint8-64 or bool)", s)
	}
	return dt, nil
}

// npyDecoder returns a function converting elements of dt to float32.
func npyDecoder(dt npyDType) (func(dst []float32, src []byte), error) {
	var bo binary.ByteOrder = binary.LittleEndian
	if dt.bigEndian {
		bo = binary.BigEndian
	}
	if dt.kind == 'f' {
		switch dt.size {
		case 2:
			return func(dst []float32, src []byte) {
				for i := range dst {
					dst[i] = halfToFloat32(bo.Uint16(src[2*i:]))
				}
			}, nil
		case 4:
			return func(dst []float32, src []byte) {
				for i := range dst {
					dst[i] = math.Float32frombits(bo.Uint32(src[4*i:]))
				}
			}, nil
		case 8:
			return func(dst []float32, src []byte) {
				for i := range dst {
					dst[i] = float32(math.Float64frombits(bo.Uint64(src[8*i:])))
				}
			}, nil
		}
	}
	switch dt.kind {
	case 'i':
		return func(dst []float32, src []byte) {
			for i := range dst {
				dst[i] = float32(signedAt(bo, src, i, dt.size))
			}
		}, nil
	case 'u', 'b':
		return func(dst []float32, src []byte) {
			for i := range dst {
				dst[i] = float32(unsignedAt(bo, src, i, dt.size))
			}
		}, nil
	}
	return nil, fmt.Errorf("dtype %q is not supported", dt.descr)
}

// unsignedAt returns element i of size bytes from src.
func unsignedAt(bo binary.ByteOrder, src []byte, i, size int) uint64 {
	switch size {
	case 1:
		return uint64(src[i])
	case 2:
		return uint64(bo.Uint16(src[2*i:]))
	case 4:
		return uint64(bo.Uint32(src[4*i:]))
	}
	return bo.Uint64(src[8*i:])
}

// signedAt returns element i of size bytes from src, sign-extended.
func signedAt(bo binary.ByteOrder, src []byte, i, size int) int64 {
	u := unsignedAt(bo, src, i, size)
	shift := 64 - 8*uint(size)
	return int64(u<<shift) >> shift
}

// halfToFloat32 converts an IEEE 754 binary16 value to float32.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case exp != 0: // normal: rebias the exponent from 15 to 127
		return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
	}
	// zero or subnormal: frac * 2^-24
	v := float32(frac) / (1 << 24)
	if sign != 0 {
		v = -v
	}
	return v
}

// WriteNPY writes t in NPY format 1.0: '<f4' for a float32 tensor, '<f8'
// for a float64 one, in C order.
func WriteNPY(w io.Writer, t *tensor.Tensor) error {
	descr, size := "<f4", 4
	if t.DType() == tensor.Float64 {
		descr, size = "<f8", 8
	}
	var sh strings.Builder
	for i, d := range t.Shape() {
		if i > 0 {
			sh.WriteString(", ")
		}
		fmt.Fprint(&sh, d)
	}
	if t.Rank() == 1 {
		sh.WriteByte(',')
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, sh.String())
	// NumPy pads with spaces and ends with a newline so that the data
	// starts at a multiple of 64 bytes (format.py, ARRAY_ALIGN).
	const align, preamble = 64, len(npyMagic) + 4 // magic, version, 2-byte length
	total := (preamble + len(dict) + 1 + align - 1) / align * align
	hdr := dict + strings.Repeat(" ", total-preamble-len(dict)-1) + "\n"
	if len(hdr) > math.MaxUint16 {
		return fmt.Errorf("data: NPY header for shape %s is too long", tensor.ShapeString(t.Shape()))
	}
	var buf bytes.Buffer
	buf.WriteString(npyMagic)
	buf.Write([]byte{1, 0})
	buf.Write(binary.LittleEndian.AppendUint16(nil, uint16(len(hdr))))
	buf.WriteString(hdr)
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("data: writing NPY header: %w", err)
	}
	const chunk = 1 << 14 // elements encoded per write
	out := make([]byte, 0, chunk*size)
	for lo := 0; lo < t.Len(); lo += chunk {
		out = out[:0]
		for i := lo; i < min(lo+chunk, t.Len()); i++ {
			if size == 8 {
				out = binary.LittleEndian.AppendUint64(out, math.Float64bits(t.AtFlat(i)))
			} else {
				out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(t.AtFlat(i))))
			}
		}
		if _, err := w.Write(out); err != nil {
			return fmt.Errorf("data: writing NPY data: %w", err)
		}
	}
	return nil
}

// SaveNPY writes t to path in NPY format (see WriteNPY). It writes a
// temporary file in the same folder and renames it, so that a crash never
// leaves a partial file at path.
func SaveNPY(path string, t *tensor.Tensor) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = WriteNPY(bw, t); err != nil {
		return fmt.Errorf("%w (writing %s)", err, path)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("data: writing %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil { // CreateTemp makes files private (0600)
		return fmt.Errorf("data: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("data: writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("data: writing %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	return nil
}
