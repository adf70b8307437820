package callbacks

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// This file formats numbers the way Python does, so that messages, file
// names and CSV cells read exactly as a Keras user expects: Python prints
// "inf" and "nan" where Go prints "+Inf" and "NaN", and str(1.0) is "1.0"
// where Go's shortest form is "1".

// pyRepr formats v as Python's repr(float): the shortest digits that round
// trip, in positional notation when the decimal exponent is in [-4, 16),
// always with a fractional part ("1.0"), else in exponent notation
// ("1e-05", "1.5e+16").
func pyRepr(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return pyFloat(v, 'g', -1) // "nan", "inf" or "-inf"
	}
	e := strconv.FormatFloat(v, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// pyFloat formats v as Python's format(v, "."+prec+verb) for verb 'f', 'e'
// or 'g', spelling infinities and NaN as Python does.
func pyFloat(v float64, verb byte, prec int) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, verb, prec, 64)
}

// formatSpec is a parsed Python format specification,
// [[fill]align][sign][0][width][.precision][type]; grouping, '#' and the
// integer bases are not supported.
type formatSpec struct {
	fill  rune
	align byte // 0, '<', '>', '^' or '='
	sign  byte // 0, '+', '-' or ' '
	width int
	prec  int // -1 when absent
	verb  byte
}

// maxFieldWidth bounds the width and precision of a format field.
const maxFieldWidth = 255

// parseFormatSpec parses the part of a replacement field after the colon.
func parseFormatSpec(s string) (formatSpec, error) {
	f := formatSpec{fill: ' ', prec: -1}
	r := []rune(s)
	i := 0
	isAlign := func(c rune) bool { return c == '<' || c == '>' || c == '^' || c == '=' }
	explicitFill := false
	if len(r) >= 2 && isAlign(r[1]) {
		f.fill, f.align, i, explicitFill = r[0], byte(r[1]), 2, true
	} else if len(r) >= 1 && isAlign(r[0]) {
		f.align, i = byte(r[0]), 1
	}
	if i < len(r) && (r[i] == '+' || r[i] == '-' || r[i] == ' ') {
		f.sign = byte(r[i])
		i++
	}
	if i < len(r) && r[i] == '0' {
		// Python: a 0 before the width pads with zeros unless a fill is
		// given, after the sign unless an alignment is given.
		if !explicitFill {
			f.fill = '0'
		}
		if f.align == 0 {
			f.align = '='
		}
		i++
	}
	start := i
	for i < len(r) && r[i] >= '0' && r[i] <= '9' {
		i++
	}
	if i > start {
		f.width = atoiClamp(string(r[start:i]))
	}
	if i < len(r) && r[i] == '.' {
		i++
		start = i
		for i < len(r) && r[i] >= '0' && r[i] <= '9' {
			i++
		}
		if i == start {
			return f, fmt.Errorf("format spec %q: precision needs digits after the point", s)
		}
		f.prec = atoiClamp(string(r[start:i]))
	}
	// A file name has no use for more; this also keeps a typo from
	// asking for gigabytes of padding.
	if f.width > maxFieldWidth || f.prec > maxFieldWidth {
		return f, fmt.Errorf("format spec %q: width and precision must be at most %d", s, maxFieldWidth)
	}
	if i < len(r) {
		if !strings.ContainsRune("dfFeEgG%", r[i]) || i != len(r)-1 {
			return f, fmt.Errorf("format spec %q: unsupported (use [[fill]align][sign][0][width][.precision][d|f|e|g|%%])", s)
		}
		f.verb = byte(r[i])
	}
	return f, nil
}

// atoiClamp parses a run of digits, saying maxFieldWidth+1 for anything
// larger than maxFieldWidth.
func atoiClamp(digits string) int {
	n, err := strconv.Atoi(digits)
	if err != nil || n > maxFieldWidth {
		return maxFieldWidth + 1
	}
	return n
}

// formatInt formats an integer (the epoch number) under spec, as Python's
// format(int, spec) does.
func (f formatSpec) formatInt(v int) (string, error) {
	switch f.verb {
	case 0, 'd':
		if f.prec >= 0 {
			return "", fmt.Errorf("precision not allowed in integer format specifier")
		}
		neg := v < 0
		if neg {
			v = -v
		}
		return f.pad(strconv.Itoa(v), neg), nil
	}
	return f.formatFloat(float64(v))
}

// formatFloat formats a float under spec, as Python's format(float, spec)
// does.
func (f formatSpec) formatFloat(v float64) (string, error) {
	neg := math.Signbit(v) && !math.IsNaN(v)
	a := math.Abs(v)
	var s string
	switch f.verb {
	case 'd':
		return "", fmt.Errorf("unknown format code 'd' for a float value (%s)", pyRepr(v))
	case 0:
		switch {
		case f.prec < 0:
			s = pyRepr(a)
		default:
			s = pyFloat(a, 'g', max(f.prec, 1))
			if !strings.ContainsAny(s, ".ena") {
				s += ".0"
			}
		}
	case '%':
		s = pyFloat(a*100, 'f', precOr(f.prec, 6)) + "%"
	default:
		verb := f.verb | 0x20 // lower case
		s = pyFloat(a, verb, precOr(f.prec, 6))
		if f.verb != verb {
			s = strings.ToUpper(s)
		}
	}
	return f.pad(s, neg), nil
}

func precOr(p, def int) int {
	if p < 0 {
		return def
	}
	return p
}

// pad adds the sign and fills to the width, per the alignment.
func (f formatSpec) pad(digits string, neg bool) string {
	sign := ""
	switch {
	case neg:
		sign = "-"
	case f.sign == '+':
		sign = "+"
	case f.sign == ' ':
		sign = " "
	}
	n := f.width - len([]rune(digits)) - len(sign)
	if n <= 0 {
		return sign + digits
	}
	fill := strings.Repeat(string(f.fill), n)
	switch f.align {
	case '<':
		return sign + digits + fill
	case '^':
		left := strings.Repeat(string(f.fill), n/2)
		return left + sign + digits + strings.Repeat(string(f.fill), n-n/2)
	case '=':
		return sign + fill + digits
	}
	return fill + sign + digits
}

// pathTemplate is a file path with Python str.format replacement fields,
// such as "ckpt-{epoch:02d}-{val_loss:.2f}.deepgo".
type pathTemplate struct {
	src   string
	parts []templatePart
}

type templatePart struct {
	literal string
	field   string // "" for a literal
	spec    formatSpec
}

// parsePathTemplate parses s. Braces are doubled to stand for themselves,
// as in Python.
func parsePathTemplate(s string) (*pathTemplate, error) {
	t := &pathTemplate{src: s}
	var lit strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '{' && i+1 < len(s) && s[i+1] == '{', c == '}' && i+1 < len(s) && s[i+1] == '}':
			lit.WriteByte(c)
			i++
		case c == '}':
			return nil, fmt.Errorf("filepath %q: single '}' at byte %d (write '}}' for a brace)", s, i)
		case c == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("filepath %q: '{' at byte %d is never closed", s, i)
			}
			field := s[i+1 : i+end]
			name, spec, _ := strings.Cut(field, ":")
			if name == "" || strings.ContainsAny(name, "{[.!") {
				return nil, fmt.Errorf("filepath %q: field {%s} must name a log key or epoch", s, field)
			}
			fs, err := parseFormatSpec(spec)
			if err != nil {
				return nil, fmt.Errorf("filepath %q: field {%s}: %w", s, field, err)
			}
			if lit.Len() > 0 {
				t.parts = append(t.parts, templatePart{literal: lit.String()})
				lit.Reset()
			}
			t.parts = append(t.parts, templatePart{field: name, spec: fs})
			i += end
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 {
		t.parts = append(t.parts, templatePart{literal: lit.String()})
	}
	return t, nil
}

// format fills the template: epoch is the 1-based epoch number, the other
// fields come from logs.
func (t *pathTemplate) format(epoch int, logs *Logs) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.field == "" {
			b.WriteString(p.literal)
			continue
		}
		var s string
		var err error
		if p.field == "epoch" {
			s, err = p.spec.formatInt(epoch)
		} else {
			v, ok := logs.Get(p.field)
			if !ok {
				return "", fmt.Errorf("filepath %q names {%s}, which the logs lack (they have epoch, %s)",
					t.src, p.field, strings.Join(logs.Keys, ", "))
			}
			s, err = p.spec.formatFloat(v)
		}
		if err != nil {
			return "", fmt.Errorf("filepath %q: field {%s}: %w", t.src, p.field, err)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}
