package spec

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parser walks the node tree of one spec file; source names the file in
// every error.
type parser struct {
	source string
}

func (p *parser) errorf(line int, format string, a ...any) error {
	return fmt.Errorf("%s"+format, append([]any{where(p.source, line)}, a...)...)
}

// pair is one key and its value in a YAML or JSON mapping.
type pair struct {
	key  string
	line int // the key's line
	val  *yaml.Node
}

// pairs returns the entries of mapping node n in document order, rejecting
// keys that are not names, duplicate keys, merge keys and aliases.
func (p *parser) pairs(n *yaml.Node) ([]pair, error) {
	out := make([]pair, 0, len(n.Content)/2)
	firstLine := make(map[string]int, len(n.Content)/2) // for lookups only
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode || v.Kind == yaml.AliasNode {
			return nil, p.errorf(k.Line, "YAML aliases (*name) are not supported; write the value out")
		}
		if k.ShortTag() == "!!merge" {
			return nil, p.errorf(k.Line, "YAML merge keys (<<) are not supported; write the keys out")
		}
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
			return nil, p.errorf(k.Line, "keys must be names, got %s", p.describeNode(k))
		}
		if first, dup := firstLine[k.Value]; dup {
			return nil, p.errorf(k.Line, "duplicate key %q (first on line %d)", k.Value, first)
		}
		firstLine[k.Value] = k.Line
		out = append(out, pair{key: k.Value, line: k.Line, val: v})
	}
	return out, nil
}

// describeNode renders a node for an error message, as its value when it
// converts cleanly and by its kind otherwise.
func (p *parser) describeNode(n *yaml.Node) string {
	if v, err := p.value(n, 0); err == nil {
		return show(v)
	}
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(n.Value)
	}
	return "a " + n.ShortTag() + " node"
}

// value converts a node to the values Args hold: nil, bool, int, float64,
// string, []any and Args (for maps, keeping their order).
func (p *parser) value(n *yaml.Node, depth int) (any, error) {
	if depth >= maxDepth {
		return nil, p.errorf(n.Line, "nested more than %d levels deep", maxDepth)
	}
	switch {
	case n.Kind == yaml.AliasNode:
		return nil, p.errorf(n.Line, "YAML aliases (*name) are not supported; write the value out")
	case n.Kind == yaml.ScalarNode:
		return p.scalar(n)
	case n.Kind == yaml.SequenceNode && n.ShortTag() == "!!seq":
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := p.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case n.Kind == yaml.MappingNode && n.ShortTag() == "!!map":
		kvs, err := p.pairs(n)
		if err != nil {
			return nil, err
		}
		args := make(Args, 0, len(kvs))
		for _, kv := range kvs {
			v, err := p.value(kv.val, depth+1)
			if err != nil {
				return nil, err
			}
			args = append(args, Arg{Name: kv.key, Value: v})
		}
		return args, nil
	}
	return nil, p.errorf(n.Line, "unsupported YAML tag %q", n.Tag)
}

func (p *parser) scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!str", "!!timestamp": // a date stays the text as written
		return n.Value, nil
	case "!!bool":
		var b bool
		if err := safeDecode(n, &b); err != nil {
			return nil, p.errorf(n.Line, "want true or false, got %q", n.Value)
		}
		return b, nil
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 10, 0); err == nil {
			return int(i), nil
		}
		var v any // YAML spellings: 0x1F, 0o17, 1_000
		if err := safeDecode(n, &v); err == nil {
			if i, ok := v.(int); ok {
				return i, nil
			}
		}
		return nil, p.errorf(n.Line, "want an integer that fits in %d bits, got %s", strconv.IntSize, n.Value)
	case "!!float":
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			err = safeDecode(n, &f) // YAML spellings: .inf, 1_000.5
		}
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, p.errorf(n.Line, "want a finite number, got %s", n.Value)
		}
		return f, nil
	}
	return nil, p.errorf(n.Line, "unsupported YAML tag %q on %q", n.Tag, n.Value)
}

// safeDecode is yaml.Node.Decode with panics turned into errors.
func safeDecode(n *yaml.Node, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unreadable value %q: %v", n.Value, r)
		}
	}()
	return n.Decode(v)
}

var topKeys = []string{"input", "layers", "compile", "fit"}

func (p *parser) spec(root *yaml.Node) (*Spec, error) {
	if root.Kind != yaml.MappingNode {
		return nil, p.errorf(root.Line, "want a mapping with keys %s, got %s", strings.Join(topKeys, ", "), p.describeNode(root))
	}
	kvs, err := p.pairs(root)
	if err != nil {
		return nil, err
	}
	s := &Spec{Source: p.source}
	for _, kv := range kvs {
		switch kv.key {
		case "input":
			s.Input, err = p.input(kv)
		case "layers":
			s.Layers, err = p.layers(kv)
		case "compile":
			s.Compile, err = p.compile(kv)
		case "fit":
			s.Fit, err = p.fit(kv)
		default:
			err = p.errorf(kv.line, "unknown top-level key %q%s; allowed: %s", kv.key, suggest(kv.key, topKeys), strings.Join(topKeys, ", "))
		}
		if err != nil {
			return nil, err
		}
	}
	if s.Input == nil {
		return nil, p.errorf(0, "missing input: one sample's shape without the batch axis, e.g. input: [28, 28]")
	}
	if s.Layers == nil {
		return nil, p.errorf(0, "missing layers: the list of layers, e.g. layers: [flatten, {dense: {units: 10}}]")
	}
	return s, nil
}

func (p *parser) input(kv pair) ([]int, error) {
	v, err := p.value(kv.val, 0)
	if err != nil {
		return nil, err
	}
	dims, err := wantIntList(v, 0, true)
	if err != nil || len(dims) == 0 {
		return nil, p.errorf(kv.val.Line, "input: want a list of positive integers such as [28, 28], got %s", show(v))
	}
	return dims, nil
}

func (p *parser) layers(kv pair) ([]Layer, error) {
	if kv.val.Kind != yaml.SequenceNode {
		return nil, p.errorf(kv.val.Line, "layers: want a list of layers, got %s", p.describeNode(kv.val))
	}
	if len(kv.val.Content) == 0 {
		return nil, p.errorf(kv.val.Line, "layers: the list is empty; a model needs at least one layer")
	}
	layers := make([]Layer, 0, len(kv.val.Content))
	for i, n := range kv.val.Content {
		v, err := p.value(n, 1)
		if err != nil {
			return nil, err
		}
		name, args, err := nameAndArgs(v, layerExtras)
		place := fmt.Sprintf("layer %d", i+1)
		if name != "" {
			place += " (" + name + ")"
		}
		if err != nil {
			return nil, p.errorf(n.Line, "%s: %v", place, err)
		}
		layers = append(layers, Layer{Type: name, Args: args, Index: i + 1, Line: n.Line, Source: p.source})
	}
	return layers, nil
}

var compileKeys = []string{"optimizer", "loss", "metrics"}

func (p *parser) compile(kv pair) (*Compile, error) {
	if kv.val.ShortTag() == "!!null" {
		return nil, nil
	}
	if kv.val.Kind != yaml.MappingNode {
		return nil, p.errorf(kv.val.Line, "compile: want a mapping with keys %s, got %s", strings.Join(compileKeys, ", "), p.describeNode(kv.val))
	}
	kvs, err := p.pairs(kv.val)
	if err != nil {
		return nil, err
	}
	c := &Compile{}
	for _, e := range kvs {
		if !contains(compileKeys, e.key) {
			return nil, p.errorf(e.line, "unknown key compile.%s%s; allowed: %s", e.key, suggest(e.key, compileKeys), strings.Join(compileKeys, ", "))
		}
		if e.val.ShortTag() == "!!null" { // null means "not given"
			continue
		}
		path := "compile." + e.key
		switch e.key {
		case "optimizer":
			c.Optimizer, err = p.named(e.val, path)
		case "loss":
			c.Loss, err = p.named(e.val, path)
		case "metrics":
			c.Metrics, err = p.namedList(e.val, path)
		}
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

var fitKeys = []string{"epochs", "batch_size", "validation_split", "shuffle", "verbose", "callbacks"}

func (p *parser) fit(kv pair) (*Fit, error) {
	if kv.val.ShortTag() == "!!null" {
		return nil, nil
	}
	if kv.val.Kind != yaml.MappingNode {
		return nil, p.errorf(kv.val.Line, "fit: want a mapping with keys %s, got %s", strings.Join(fitKeys, ", "), p.describeNode(kv.val))
	}
	kvs, err := p.pairs(kv.val)
	if err != nil {
		return nil, err
	}
	f := &Fit{}
	for _, e := range kvs {
		if !contains(fitKeys, e.key) {
			return nil, p.errorf(e.line, "unknown key fit.%s%s; allowed: %s", e.key, suggest(e.key, fitKeys), strings.Join(fitKeys, ", "))
		}
		if e.val.ShortTag() == "!!null" { // null means "not given"
			continue
		}
		if e.key == "callbacks" {
			if f.Callbacks, err = p.namedList(e.val, "fit.callbacks"); err != nil {
				return nil, err
			}
			continue
		}
		v, err := p.value(e.val, 1)
		if err != nil {
			return nil, err
		}
		switch e.key {
		case "epochs":
			f.Epochs, err = wantPositiveInt(v)
		case "batch_size":
			f.BatchSize, err = wantPositiveInt(v)
		case "validation_split":
			f.ValidationSplit, err = wantFloat(v)
			if err == nil && (f.ValidationSplit < 0 || f.ValidationSplit >= 1) {
				err = fmt.Errorf("want a fraction in [0, 1), got %s", show(v))
			}
		case "shuffle":
			var b bool
			b, err = wantBool(v)
			f.Shuffle = &b
		case "verbose":
			f.Verbose, err = wantVerbose(v)
		}
		if err != nil {
			return nil, p.errorf(e.val.Line, "fit.%s: %v", e.key, err)
		}
	}
	return f, nil
}

// wantVerbose accepts Keras's verbosity: 0, 1, 2 or "auto" (returned as nil).
func wantVerbose(v any) (*int, error) {
	if v == "auto" {
		return nil, nil
	}
	if i, ok := v.(int); ok && i >= 0 && i <= 2 {
		return &i, nil
	}
	return nil, fmt.Errorf(`want 0, 1, 2 or "auto", got %s`, show(v))
}

// named parses one "adam" / {adam: {...}} / {class_name: Adam, config: {...}}.
func (p *parser) named(n *yaml.Node, path string) (Named, error) {
	v, err := p.value(n, 1)
	if err != nil {
		return Named{}, err
	}
	name, args, err := nameAndArgs(v, nil)
	if err != nil {
		if name != "" {
			path += " (" + name + ")"
		}
		return Named{}, p.errorf(n.Line, "%s: %v", path, err)
	}
	return Named{Name: name, Args: args, Path: path, Source: p.source, Line: n.Line}, nil
}

// namedList parses a list of named entries; a single entry stands for a list
// of one. An empty list gives nil.
func (p *parser) namedList(n *yaml.Node, path string) ([]Named, error) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []Named
	for _, item := range items {
		nm, err := p.named(item, path)
		if err != nil {
			return nil, err
		}
		out = append(out, nm)
	}
	return out, nil
}

// namedExtras and layerExtras are the keys a Keras-serialised object may
// carry next to class_name; config holds the arguments, and module,
// registered_name and build_config are accepted and ignored.
var (
	namedExtras = []string{"class_name", "config", "module", "registered_name"}
	layerExtras = append(append([]string(nil), namedExtras...), "build_config")
)

// nameAndArgs reads the three forms of a named entry: "name", {name: {args}}
// (or {name: null}) and {class_name: Name, config: {args}}. The name is
// returned normalised by SnakeCase, also with an error once it is known.
func nameAndArgs(v any, extras []string) (string, Args, error) {
	if extras == nil {
		extras = namedExtras
	}
	switch v := v.(type) {
	case string:
		if !validName(v) {
			return "", nil, fmt.Errorf("want a name made of letters, digits and underscores, got %s", show(v))
		}
		return SnakeCase(v), nil, nil
	case Args:
		if cls, ok := v.Get("class_name"); ok {
			return classForm(v, cls, extras)
		}
		if len(v) != 1 {
			return "", nil, fmt.Errorf("want a name or a single-key map {name: {arguments}}, got %s (is a \"- \" missing?)", show(v))
		}
		if !validName(v[0].Name) {
			return "", nil, fmt.Errorf("want a name made of letters, digits and underscores, got %s", show(v[0].Name))
		}
		name := SnakeCase(v[0].Name)
		args, err := argsValue(v[0].Value)
		return name, args, err
	}
	return "", nil, fmt.Errorf("want a name or a single-key map {name: {arguments}}, got %s", show(v))
}

func classForm(v Args, cls any, extras []string) (string, Args, error) {
	s, ok := cls.(string)
	if !ok || !validName(s) {
		return "", nil, fmt.Errorf("class_name: want a name made of letters, digits and underscores, got %s", show(cls))
	}
	name := SnakeCase(s)
	for _, a := range v {
		if !contains(extras, a.Name) {
			return name, nil, fmt.Errorf("unknown key %q next to class_name%s; allowed: %s", a.Name, suggest(a.Name, extras), strings.Join(extras, ", "))
		}
	}
	cfg, _ := v.Get("config")
	args, err := argsValue(cfg)
	return name, args, err
}

// argsValue checks that v is a map of arguments or null; an empty map gives nil.
func argsValue(v any) (Args, error) {
	if v == nil {
		return nil, nil
	}
	args, ok := v.(Args)
	if !ok {
		return nil, fmt.Errorf("want a map of arguments {argument: value, ...}, got %s", show(v))
	}
	if len(args) == 0 {
		return nil, nil
	}
	return args, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
