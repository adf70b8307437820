package callbacks

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"
)

// CSVLoggerOptions are the arguments of Keras's CSVLogger.
type CSVLoggerOptions struct {
	// Filename is the CSV file to write.
	Filename string `json:"filename" yaml:"filename"`
	// Separator is the one-character field separator; "" means ",".
	Separator string `json:"separator" yaml:"separator"`
	// Append adds to an existing file (writing the header only when the
	// file is empty) instead of replacing it.
	Append bool `json:"append" yaml:"append"`
}

// CSVLogger writes one row per epoch to a CSV file, as
// keras.callbacks.CSVLogger does: a header "epoch" followed by the log
// keys in sorted order (plus any val_ key the run promises in
// Params.Metrics but the first epoch lacks), then the 0-based epoch and
// the values, with "NA" for a missing key. Floats are written as Python's
// repr writes them. The file is flushed after every row and closed when
// training ends. Lines end in "\n" (Keras's csv module writes "\r\n").
type CSVLogger struct {
	Base
	opt  CSVLoggerOptions
	sep  rune
	f    *os.File
	buf  *bufio.Writer
	w    *csv.Writer
	keys []string // nil until the first epoch
	head bool     // whether to write the header
	row  []string
}

// NewCSVLogger checks o and returns the callback; the file is opened when
// training begins.
func NewCSVLogger(o CSVLoggerOptions) (*CSVLogger, error) {
	if o.Filename == "" {
		return nil, errors.New("csvlogger: filename is empty")
	}
	if o.Separator == "" {
		o.Separator = ","
	}
	sep, size := utf8.DecodeRuneInString(o.Separator)
	if size != len(o.Separator) || sep == '"' || sep == '\r' || sep == '\n' || sep == utf8.RuneError {
		return nil, fmt.Errorf("csvlogger: separator must be one character other than a quote or newline, got %q", o.Separator)
	}
	return &CSVLogger{opt: o, sep: sep}, nil
}

// Options returns the options in force, defaults filled in.
func (c *CSVLogger) Options() CSVLoggerOptions { return c.opt }

// OnTrainBegin opens (creates, truncates or appends to) the file.
func (c *CSVLogger) OnTrainBegin() error {
	c.close()
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	c.head = true
	if c.opt.Append {
		flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
		if fi, err := os.Stat(c.opt.Filename); err == nil && fi.Size() > 0 {
			c.head = false
		}
	}
	f, err := os.OpenFile(c.opt.Filename, flag, 0o644)
	if err != nil {
		return fmt.Errorf("csvlogger: %w", err)
	}
	c.f, c.buf, c.keys = f, bufio.NewWriter(f), nil
	c.w = csv.NewWriter(c.buf)
	c.w.Comma = c.sep
	return nil
}

// OnEpochEnd writes the epoch's row and flushes it to the file.
func (c *CSVLogger) OnEpochEnd(epoch int, logs *Logs) error {
	if c.w == nil {
		return fmt.Errorf("csvlogger: %s: epoch %d ended before training began", c.opt.Filename, epoch)
	}
	if c.keys == nil {
		c.keys = slices.Clone(logs.Keys)
		slices.Sort(c.keys)
		for _, m := range c.Params.Metrics {
			if strings.HasPrefix(m, "val_") && !slices.Contains(c.keys, m) {
				c.keys = append(c.keys, m)
			}
		}
		if c.head {
			if err := c.w.Write(append([]string{"epoch"}, c.keys...)); err != nil {
				return c.fail(err)
			}
		}
	}
	c.row = append(c.row[:0], fmt.Sprint(epoch))
	for _, k := range c.keys {
		if v, ok := logs.Get(k); ok {
			c.row = append(c.row, pyRepr(v))
		} else {
			c.row = append(c.row, "NA")
		}
	}
	if err := c.w.Write(c.row); err != nil {
		return c.fail(err)
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return c.fail(err)
	}
	if err := c.buf.Flush(); err != nil {
		return c.fail(err)
	}
	return nil
}

func (c *CSVLogger) fail(err error) error {
	return fmt.Errorf("csvlogger: writing %s: %w", c.opt.Filename, err)
}

// OnTrainEnd closes the file.
func (c *CSVLogger) OnTrainEnd(*Logs) error {
	if err := c.close(); err != nil {
		return c.fail(err)
	}
	return nil
}

func (c *CSVLogger) close() error {
	if c.f == nil {
		return nil
	}
	c.w.Flush()
	err := errors.Join(c.w.Error(), c.buf.Flush(), c.f.Close())
	c.f, c.buf, c.w = nil, nil, nil
	return err
}
