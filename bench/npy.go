package bench

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// writeBytesNPY saves b as a NumPy array of unsigned bytes with the given
// shape, in .npy format version 1.0: the magic "\x93NUMPY", the version,
// a little-endian uint16 header length, and a Python-literal header padded
// with spaces and a newline so that the data starts on a multiple of 64
// bytes (numpy/lib/format.py, ARRAY_ALIGN).
func writeBytesNPY(path string, b []byte, shape ...int) (err error) {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = fmt.Sprint(d)
	}
	tuple := strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += "," // a one-element Python tuple
	}
	header := fmt.Sprintf("{'descr': '|u1', 'fortran_order': False, 'shape': (%s), }", tuple)
	const prefix = 10 // magic (6) + version (2) + header length (2)
	pad := 64 - (prefix+len(header)+1)%64
	header += strings.Repeat(" ", pad%64) + "\n"

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	w.WriteString("\x93NUMPY\x01\x00")
	w.WriteByte(byte(len(header)))
	w.WriteByte(byte(len(header) >> 8))
	w.WriteString(header)
	w.Write(b)
	return w.Flush()
}
