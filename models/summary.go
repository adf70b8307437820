package models

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/deepgo-dev/deepgo/autograd"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/tensor"
)

// Summary prints the Keras 3 table: each layer's name and class, output
// shape (with None for the batch axis) and parameter count, then the
// totals with their size in memory (float32).
func (m *Sequential) Summary(w io.Writer) error {
	if err := m.Build(); err != nil {
		return err
	}
	widths := []int{33, 24, 15}
	line := func(l, mid, r, fill string) string {
		parts := make([]string, len(widths))
		for i, n := range widths {
			parts[i] = strings.Repeat(fill, n)
		}
		return l + strings.Join(parts, mid) + r + "\n"
	}
	cell := func(s string, width int, right bool) string {
		pad := width - 2 - utf8.RuneCountInString(s)
		if pad < 0 {
			pad = 0
		}
		if right {
			return " " + strings.Repeat(" ", pad) + s + " "
		}
		return " " + s + strings.Repeat(" ", pad) + " "
	}
	// A cell too long for its column wraps onto more lines, at spaces
	// where it can, as Keras's table does with long layer names.
	row := func(sep string, a, b, c string) string {
		cols := [][]string{wrap(a, widths[0]-2), wrap(b, widths[1]-2), wrap(c, widths[2]-2)}
		n := max(len(cols[0]), len(cols[1]), len(cols[2]))
		var out strings.Builder
		for i := 0; i < n; i++ {
			at := func(k int) string {
				if i < len(cols[k]) {
					return cols[k][i]
				}
				return ""
			}
			out.WriteString(sep + cell(at(0), widths[0], false) + sep + cell(at(1), widths[1], false) + sep + cell(at(2), widths[2], true) + sep + "\n")
		}
		return out.String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Model: %q\n", m.Name)
	b.WriteString(line("┏", "┳", "┓", "━"))
	b.WriteString(row("┃", "Layer (type)", "Output Shape", "Param #"))
	b.WriteString(line("┡", "╇", "┩", "━"))
	var trainable, frozen int
	for i, l := range m.layers {
		t, n := layers.CountParams(l)
		trainable += t
		frozen += n
		shape := tensor.ShapeString(append([]int{-1}, l.OutputShape()...))
		b.WriteString(row("│", fmt.Sprintf("%s (%s)", l.Name(), l.ClassName()), shape, commas(t+n)))
		if i < len(m.layers)-1 {
			b.WriteString(line("├", "┼", "┤", "─"))
		}
	}
	b.WriteString(line("└", "┴", "┘", "─"))
	fmt.Fprintf(&b, " Total params: %s (%s)\n", commas(trainable+frozen), memSize(4*(trainable+frozen)))
	fmt.Fprintf(&b, " Trainable params: %s (%s)\n", commas(trainable), memSize(4*trainable))
	fmt.Fprintf(&b, " Non-trainable params: %s (%s)\n", commas(frozen), memSize(4*frozen))
	_, err := io.WriteString(w, b.String())
	return err
}

// CountParams returns the model's trainable and non-trainable parameter
// counts.
func (m *Sequential) CountParams() (trainable, nonTrainable int) {
	for _, l := range m.layers {
		t, n := layers.CountParams(l)
		trainable += t
		nonTrainable += n
	}
	return
}

// commas formats n with thousands separators: 235146 → "235,146".
func commas(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// memSize formats a byte count as Keras's readable_memory_size: B, KB, MB,
// GB in powers of 1024 with two decimals.
func memSize(bytes int) string {
	units := []string{"B", "KB", "MB", "GB", "TB"}
	v := float64(bytes)
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return fmt.Sprintf("%.2f %s", v, units[i])
}

// WriteDOT writes the computational graph of one forward pass (a batch of
// one zero sample) in Graphviz DOT: the weights, the ops each layer records
// and how they connect. Render with `dot -Tpng`.
func (m *Sequential) WriteDOT(w io.Writer) error {
	if err := m.Build(); err != nil {
		return err
	}
	x := tensor.Zeros(append([]int{1}, m.numericInput()...)...)
	var out *autograd.Value
	if err := catch(func() {
		// The input is marked as requiring a gradient so that the graph
		// records the ops applied to it directly (Flatten's reshape).
		out = m.forward(&layers.Context{RNG: m.rng}, autograd.Param(x, "input"))
	}); err != nil {
		return err
	}
	return autograd.WriteDOT(w, out)
}

// wrap splits s into lines of at most width runes, breaking after spaces
// where possible.
func wrap(s string, width int) []string {
	var lines []string
	for utf8.RuneCountInString(s) > width {
		r := []rune(s)
		cut := width
		for i := width; i > 0; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		lines = append(lines, strings.TrimRight(string(r[:cut]), " "))
		s = strings.TrimLeft(string(r[cut:]), " ")
	}
	return append(lines, s)
}
