package main

import (
	"bufio"
	"io"
	"strconv"

	"github.com/deepgo-dev/deepgo/saving"
	"github.com/deepgo-dev/deepgo/tensor"
)

// writeCSV writes one row per sample: the sample's outputs, flattened.
func writeCSV(w io.Writer, y *tensor.Tensor) error {
	bw := bufio.NewWriter(w)
	n := y.Dim(0)
	per := 1
	if n > 0 {
		per = y.Len() / n
	}
	for i := 0; i < n; i++ {
		for j := 0; j < per; j++ {
			if j > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString(strconv.FormatFloat(y.AtFlat(i*per+j), 'g', -1, 32))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

func atomicWrite(path string, write func(io.Writer) error) error {
	return saving.AtomicWriteFile(path, write)
}
