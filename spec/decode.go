package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxDepth bounds the nesting of lists and maps. Real specs nest three or
// four levels deep; the bound keeps hostile input from costing a deep stack.
const maxDepth = 64

// decode turns a spec file's bytes into the node of its top-level value.
// JSON goes through encoding/json, because YAML rejects some JSON string
// escapes ("\/"); everything else is YAML. Both produce yaml.Node trees with
// line numbers, so the rest of the parser has one input form.
func decode(data []byte, source string) (*yaml.Node, error) {
	if looksLikeJSON(data) && json.Valid(data) {
		return decodeJSON(data, source)
	}
	root, err := decodeYAML(data, source)
	if err != nil && strings.HasSuffix(strings.ToLower(source), ".json") && !json.Valid(data) {
		return nil, jsonSyntaxError(data, source)
	}
	return root, err
}

// looksLikeJSON reports whether the first non-space byte opens a JSON object.
func looksLikeJSON(data []byte) bool {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	return len(trimmed) > 0 && trimmed[0] == '{'
}

// where formats the place prefix of an error message: "file:line: ".
func where(source string, line int) string {
	switch {
	case source != "" && line > 0:
		return source + ":" + strconv.Itoa(line) + ": "
	case source != "":
		return source + ": "
	case line > 0:
		return "line " + strconv.Itoa(line) + ": "
	}
	return ""
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func decodeYAML(data []byte, source string) (root *yaml.Node, err error) {
	defer func() {
		// The YAML library is third-party code; a spec must never crash the
		// program, so a panic inside it becomes an error.
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("%sunreadable YAML: %v", where(source, 0), r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%sthe spec is empty", where(source, 0))
		}
		return nil, yamlError(err, data, source)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, yamlError(err, data, source)
		}
		return nil, fmt.Errorf("%sa spec is one YAML document; remove the second one", where(source, extra.Line))
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("%sthe spec is empty", where(source, 0))
	}
	return doc.Content[0], nil
}

// yamlError rewrites the YAML library's "yaml: line N: msg" as "file:N: msg",
// on one line, with a hint when the line is indented with a tab.
func yamlError(err error, data []byte, source string) error {
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		lines := bytes.Split(data, []byte{'\n'})
		if line >= 1 && line <= len(lines) && bytes.HasPrefix(bytes.TrimLeft(lines[line-1], " "), []byte{'\t'}) {
			m[2] += " (indent YAML with spaces, not tabs)"
		}
		return fmt.Errorf("%s%s", where(source, line), m[2])
	}
	return fmt.Errorf("%s%s", where(source, 0), strings.TrimPrefix(msg, "yaml: "))
}

// jsonSyntaxError reports where JSON parsing of data fails.
func jsonSyntaxError(data []byte, source string) error {
	var v any
	err := json.Unmarshal(data, &v)
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("%s%v", where(source, lineAt(data, syn.Offset)), err)
	}
	return fmt.Errorf("%s%v", where(source, 0), err)
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte{'\n'})
}

// jsonReader builds a yaml.Node tree from a JSON token stream.
type jsonReader struct {
	dec      *json.Decoder
	newlines []int // byte offsets of every '\n', for line numbers
}

func decodeJSON(data []byte, source string) (*yaml.Node, error) {
	r := &jsonReader{dec: json.NewDecoder(bytes.NewReader(data))}
	r.dec.UseNumber()
	for i, b := range data {
		if b == '\n' {
			r.newlines = append(r.newlines, i)
		}
	}
	n, err := r.value(0)
	if err != nil {
		return nil, fmt.Errorf("%s%v", where(source, r.line()), err)
	}
	return n, nil
}

// line is the line of the token just read (JSON tokens never span lines).
func (r *jsonReader) line() int {
	return 1 + sort.SearchInts(r.newlines, int(r.dec.InputOffset()))
}

func (r *jsonReader) value(depth int) (*yaml.Node, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return nil, err
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Line: r.line()}
	switch t := tok.(type) {
	case json.Delim:
		if depth >= maxDepth {
			return nil, fmt.Errorf("nested more than %d levels deep", maxDepth)
		}
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		if t == '{' {
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
		}
		for r.dec.More() {
			if n.Kind == yaml.MappingNode {
				key, err := r.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, key)
			}
			v, err := r.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, v)
		}
		if _, err := r.dec.Token(); err != nil { // the closing bracket
			return nil, err
		}
	case string:
		n.Tag, n.Value, n.Style = "!!str", t, yaml.DoubleQuotedStyle
	case json.Number:
		n.Tag, n.Value = "!!int", t.String()
		if strings.ContainsAny(n.Value, ".eE") {
			n.Tag = "!!float"
		}
	case bool:
		n.Tag, n.Value = "!!bool", strconv.FormatBool(t)
	case nil:
		n.Tag, n.Value = "!!null", "null"
	}
	return n, nil
}
