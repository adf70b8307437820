package data

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/deepgo-dev/deepgo/tensor"
)

// Limits that keep a damaged or hostile header from causing a huge
// allocation. Memory grows with the data actually read, never with what a
// header claims, beyond preallocLimit elements.
const (
	maxElements   = 1 << 31 // 8 GiB of float32: far beyond any dataset this package is meant to hold
	maxRank       = 32      // NumPy's own limit (NPY_MAXDIMS) is 32 (64 since NumPy 2)
	preallocLimit = 1 << 20 // elements reserved up front when the input size is unknown
)

// idxType describes one IDX element type: its size and how to decode it.
type idxType struct {
	name string
	size int
}

var idxTypes = map[byte]idxType{
	0x08: {"unsigned byte", 1},
	0x09: {"signed byte", 1},
	0x0B: {"short", 2},
	0x0C: {"int", 4},
	0x0D: {"float", 4},
	0x0E: {"double", 8},
}

// ReadIDX reads an IDX file (the format MNIST ships in) from r: a magic
// number 0x0000TTRR naming the element type TT and rank RR, RR big-endian
// uint32 dimensions, then the elements, big-endian. All six IDX element types
// are read (0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32,
// 0x0D float32, 0x0E float64) and returned as float32 values, unscaled. It
// is an error when the data is shorter than the dimensions promise or when
// bytes follow it.
func ReadIDX(r io.Reader) (shape []int, values []float32, err error) {
	shape, values, _, err = readIDX(r, -1)
	return shape, values, err
}

// readIDX is ReadIDX with a hint: sizeHint, when not negative, is how many
// bytes the element data is expected to take, so that a file known to be
// large is read into one allocation. It also returns the element type code.
func readIDX(r io.Reader, sizeHint int64) (shape []int, values []float32, code byte, err error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, nil, 0, fmt.Errorf("reading the IDX magic number: %w", noEOF(err))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, nil, 0, fmt.Errorf("not an IDX file: magic number % x does not start with 00 00", magic)
	}
	code = magic[2]
	typ, ok := idxTypes[code]
	if !ok {
		return nil, nil, 0, fmt.Errorf("unknown IDX element type 0x%02x (want 08, 09, 0b, 0c, 0d or 0e)", code)
	}
	rank := int(magic[3])
	if rank == 0 || rank > maxRank {
		return nil, nil, 0, fmt.Errorf("IDX rank %d not in [1, %d]", rank, maxRank)
	}
	dims := make([]byte, 4*rank)
	if _, err := io.ReadFull(r, dims); err != nil {
		return nil, nil, 0, fmt.Errorf("reading the %d IDX dimensions: %w", rank, noEOF(err))
	}
	shape = make([]int, rank)
	n := 1
	for i := range shape {
		d := binary.BigEndian.Uint32(dims[4*i:])
		shape[i] = int(d)
		if d != 0 && n > maxElements/int(d) {
			return nil, nil, 0, fmt.Errorf("IDX shape %s holds more than %d elements", tensor.ShapeString(shape[:i+1]), maxElements)
		}
		n *= int(d)
	}
	values, err = readElements(r, n, typ.size, sizeHint, func(dst []float32, src []byte) {
		decodeIDX(code, dst, src)
	})
	if err != nil {
		return nil, nil, 0, fmt.Errorf("IDX %s data of shape %s: %w", typ.name, tensor.ShapeString(shape), err)
	}
	if extra, _ := io.ReadFull(r, make([]byte, 1)); extra > 0 {
		return nil, nil, 0, fmt.Errorf("IDX data of shape %s is followed by extra bytes", tensor.ShapeString(shape))
	}
	return shape, values, code, nil
}

// decodeIDX converts big-endian elements of type code from src into dst.
func decodeIDX(code byte, dst []float32, src []byte) {
	switch code {
	case 0x08:
		for i := range dst {
			dst[i] = float32(src[i])
		}
	case 0x09:
		for i := range dst {
			dst[i] = float32(int8(src[i]))
		}
	case 0x0B:
		for i := range dst {
			dst[i] = float32(int16(binary.BigEndian.Uint16(src[2*i:])))
		}
	case 0x0C:
		for i := range dst {
			dst[i] = float32(int32(binary.BigEndian.Uint32(src[4*i:])))
		}
	case 0x0D:
		for i := range dst {
			dst[i] = math.Float32frombits(binary.BigEndian.Uint32(src[4*i:]))
		}
	case 0x0E:
		for i := range dst {
			dst[i] = float32(math.Float64frombits(binary.BigEndian.Uint64(src[8*i:])))
		}
	}
}

// readElements reads n elements of elemSize bytes each from r, decoding
// them chunk by chunk. Storage is reserved up front only as far as sizeHint
// (bytes known to follow, or -1) or preallocLimit allow, so a header that
// promises more than the input holds fails on a short read instead of a
// huge allocation.
func readElements(r io.Reader, n, elemSize int, sizeHint int64, decode func(dst []float32, src []byte)) ([]float32, error) {
	reserve := min(n, preallocLimit)
	if sizeHint >= 0 {
		reserve = int(min(int64(n), sizeHint/int64(elemSize)))
	} else if lr, ok := r.(interface{ Len() int }); ok {
		reserve = min(n, lr.Len()/elemSize)
	}
	out := make([]float32, 0, reserve)
	const chunk = 1 << 16 // elements decoded per read: large enough to amortise the call, small enough for cache
	buf := make([]byte, min(n, chunk)*elemSize)
	for len(out) < n {
		k := min(n-len(out), chunk)
		if _, err := io.ReadFull(r, buf[:k*elemSize]); err != nil {
			return nil, fmt.Errorf("truncated: got %d of %d elements: %w", len(out), n, noEOF(err))
		}
		out = append(out, make([]float32, k)...)
		decode(out[len(out)-k:], buf[:k*elemSize])
	}
	return out, nil
}

// noEOF turns io.EOF into io.ErrUnexpectedEOF: inside a file, running out
// of bytes is always a truncation.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// openMaybeGzip opens path and returns a reader that decompresses it when it
// starts with the gzip magic bytes 1f 8b, and a hint of how many bytes the
// (decompressed) contents hold, or -1 when unknown.
func openMaybeGzip(path string) (io.Reader, int64, func() error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(2)
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		// The gzip trailer's last four bytes hold the uncompressed size
		// mod 2^32 (RFC 1952, ISIZE). It is used only to reserve memory.
		hint := int64(-1)
		var tail [4]byte
		if st.Size() >= 18 { // 10-byte header + 8-byte trailer is the smallest gzip file
			if _, err := f.ReadAt(tail[:], st.Size()-4); err == nil {
				// Deflate expands at most 1032:1, so a larger claim is a lie.
				hint = min(int64(binary.LittleEndian.Uint32(tail[:])), 1032*st.Size())
			}
		}
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, 0, nil, fmt.Errorf("gzip: %w", err)
		}
		return bufio.NewReaderSize(zr, 1<<16), hint, f.Close, nil
	}
	return br, st.Size(), f.Close, nil
}

// readIDXFile reads the IDX file at path, gzipped or not.
func readIDXFile(path string) (shape []int, values []float32, code byte, err error) {
	r, size, closeFn, err := openMaybeGzip(path)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("data: %w", err)
	}
	defer closeFn()
	shape, values, code, err = readIDX(r, size)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("data: %s: %w", path, err)
	}
	return shape, values, code, nil
}

// LoadIDX loads a dataset from a pair of IDX files, gzipped or not (detected
// by the magic bytes 1f 8b), as MNIST-format datasets ship. Unsigned-byte
// images are pixels and are scaled to [0, 1] by dividing by 255; other
// element types are kept as they are. labelsPath may be "" for a dataset
// without targets; otherwise its first dimension must match the images'.
func LoadIDX(imagesPath, labelsPath string) (*Dataset, error) {
	shape, pix, code, err := readIDXFile(imagesPath)
	if err != nil {
		return nil, err
	}
	if code == 0x08 {
		for i, v := range pix {
			pix[i] = v / 255
		}
	}
	ds := &Dataset{X: tensor.FromFloat32(pix, shape...), Source: "idx:" + imagesPath}
	if labelsPath == "" {
		return ds, nil
	}
	ds.Source += "," + labelsPath
	lshape, labels, lcode, err := readIDXFile(labelsPath)
	if err != nil {
		return nil, err
	}
	if lshape[0] != shape[0] {
		return nil, fmt.Errorf("data: %s holds %d labels but %s holds %d images", labelsPath, lshape[0], imagesPath, shape[0])
	}
	ds.Y = tensor.FromFloat32(labels, lshape...)
	if lcode != 0x0D && lcode != 0x0E { // integer element types hold class labels
		ds.NumClasses = classCount(ds.Y)
	}
	return ds, nil
}
