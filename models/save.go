package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/deepgo-dev/deepgo"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/optimizers"
	"github.com/deepgo-dev/deepgo/saving"
	"github.com/deepgo-dev/deepgo/spec"
	"github.com/deepgo-dev/deepgo/tensor"
)

// FromSpec builds (and, when the spec has a compile section, compiles) the
// model a spec describes, seeding its weights, shuffling and dropout with
// seed. Errors name the spec entry at fault.
func FromSpec(s *spec.Spec, seed uint64) (*Sequential, error) {
	var ls []layers.Layer
	for _, sl := range s.Layers {
		l, err := layers.FromSpec(sl)
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
	}
	m := NewSequential(s.Input, ls...)
	m.SetSeed(seed)
	if err := m.Build(); err != nil {
		return nil, fmt.Errorf("%s: %w", s.Source, err)
	}
	if s.Compile != nil {
		if err := m.compileSpec(s.Compile); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Sequential) compileSpec(c *spec.Compile) error {
	if c.Optimizer.Name == "" {
		c.Optimizer.Name = "rmsprop" // Keras's compile default
	}
	opt, err := optimizers.Get(c.Optimizer.Name, argsMap(c.Optimizer.Args))
	if err != nil {
		return c.Optimizer.Errorf("%v", err)
	}
	if c.Loss.Name == "" {
		return errors.New("compile: a loss is required")
	}
	loss, err := losses.Get(c.Loss.Name, c.Loss.Args)
	if err != nil {
		return c.Loss.Errorf("%v", err)
	}
	if err := m.compile(opt, loss, c.Metrics); err != nil {
		return fmt.Errorf("compile.metrics: %w", err)
	}
	return nil
}

// argsMap turns spec arguments into the map optimizers take, nested maps
// included.
func argsMap(a spec.Args) map[string]any {
	out := map[string]any{}
	for _, arg := range a {
		if nested, ok := arg.Value.(spec.Args); ok {
			out[arg.Name] = argsMap(nested)
		} else {
			out[arg.Name] = arg.Value
		}
	}
	return out
}

// mapArgs turns a config map into spec arguments in sorted key order.
func mapArgs(m map[string]any) spec.Args {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out spec.Args
	for _, k := range keys {
		v := m[k]
		if nested, ok := v.(map[string]any); ok {
			v = mapArgs(nested)
		}
		out = append(out, spec.Arg{Name: k, Value: v})
	}
	return out
}

// Spec returns the fully resolved spec of the model: every layer with its
// name and all its arguments, and the compile section when compiled.
func (m *Sequential) Spec() (*spec.Spec, error) {
	if err := m.Build(); err != nil {
		return nil, err
	}
	s := &spec.Spec{Input: m.input}
	for i, l := range m.layers {
		sl := layers.ToSpec(l)
		sl.Index = i + 1
		s.Layers = append(s.Layers, sl)
	}
	if m.compiled {
		s.Compile = &spec.Compile{
			Optimizer: spec.Named{Name: spec.SnakeCase(m.opt.Name()), Args: mapArgs(m.opt.Config())},
			Loss:      spec.Named{Name: m.loss.Name(), Args: m.loss.Config()},
			Metrics:   m.metricIDs,
		}
	}
	return s, nil
}

// Save writes the model file (INTERFACE.md "Model files") atomically:
// config.json, model.safetensors, metadata.json and, once the optimizer has
// taken a step, optimizer.safetensors for resuming.
func (m *Sequential) Save(path string) error {
	s, err := m.Spec()
	if err != nil {
		return err
	}
	cfg, err := s.MarshalJSON()
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	f := &saving.File{Config: cfg}
	for _, w := range m.Weights() {
		f.Weights = append(f.Weights, saving.NamedTensor{Name: w.Value.Name, T: w.Value.Data})
	}
	meta := map[string]any{"deepgo_version": deepgo.Version, "date": time.Now().UTC().Format(time.RFC3339)}
	if m.history != nil {
		meta["history"] = m.history
	}
	if m.classNames != nil {
		meta["class_names"] = m.classNames
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(meta); err != nil {
		return fmt.Errorf("save %s: metadata: %w", path, err)
	}
	f.Metadata = buf.Bytes()
	if m.opt != nil && m.opt.Iterations() > 0 {
		for _, st := range m.opt.State() {
			f.Optimizer = append(f.Optimizer, saving.NamedTensor{Name: st.Name, T: st.T})
		}
	}
	return saving.WriteFile(path, f)
}

// Load reads a model file written by Save: it rebuilds the model from
// config.json, checks that model.safetensors holds exactly the weights the
// model expects (names and shapes), loads them and, when present, the
// optimizer state.
func Load(path string) (*Sequential, error) {
	f, err := saving.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := spec.Parse(f.Config, path+": config.json")
	if err != nil {
		return nil, err
	}
	m, err := FromSpec(s, DefaultSeed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var want []saving.NamedTensor
	for _, w := range m.Weights() {
		want = append(want, saving.NamedTensor{Name: w.Value.Name, T: w.Value.Data})
	}
	if err := saving.CheckWeights(want, f.Weights); err != nil {
		return nil, fmt.Errorf("%s: model.safetensors: %w", path, err)
	}
	byName := map[string]*tensor.Tensor{}
	for _, nt := range f.Weights {
		byName[nt.Name] = nt.T
	}
	for _, w := range m.Weights() {
		w.Value.Data.CopyFrom(byName[w.Value.Name])
	}
	m.classNames = classNamesFromMetadata(f.Metadata)
	if f.Optimizer != nil && m.opt != nil {
		var st []optimizers.NamedState
		for _, nt := range f.Optimizer {
			st = append(st, optimizers.NamedState{Name: nt.Name, T: nt.T})
		}
		if err := m.opt.SetState(st); err != nil {
			return nil, fmt.Errorf("%s: optimizer.safetensors: %w", path, err)
		}
	}
	return m, nil
}
