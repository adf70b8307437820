package optimizers

import (
	"errors"
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/tensor"
)

// base is the part of an optimizer Keras keeps in BaseOptimizer: the step
// counter, the learning rate or its schedule, clipping, weight decay and the
// slots (created on the first Apply, in variable order).
type base struct {
	className      string
	lr             float64
	schedule       Schedule
	clipNorm       float64
	globalClipNorm float64
	clipValue      float64
	weightDecay    float64
	iterations     int64

	rule    rule
	built   bool
	vars    []varSlots
	pending []NamedState // slot state given to SetState before Build
	sweep   sweep        // the chunks Apply updates in parallel (sweep.go)
}

// varSlots is what the optimizer remembers about one variable.
type varSlots struct {
	name  string
	shape []int
	dtype tensor.DType
	slots []*tensor.Tensor // one per slotSpec
	s32   [][]float32      // the slots' storage, for float32 variables
	s64   [][]float64      // the slots' storage, for float64 variables
}

// init sets the shared fields, applies opts and validates them.
func (b *base) init(className string, lr float64, r rule, opts []Option) error {
	b.className, b.lr, b.rule = className, lr, r
	for _, o := range opts {
		o(b)
	}
	if b.schedule == nil {
		if err := checkLR(lr); err != nil {
			return err
		}
	} else if v, ok := b.schedule.(interface{ validate() error }); ok {
		if err := v.validate(); err != nil {
			return fmt.Errorf("learning_rate %s: %w", b.schedule.ClassName(), err)
		}
	}
	set := 0
	for _, c := range []struct {
		name string
		v    float64
	}{{"clipnorm", b.clipNorm}, {"global_clipnorm", b.globalClipNorm}, {"clipvalue", b.clipValue}, {"weight_decay", b.weightDecay}} {
		if c.v < 0 || math.IsNaN(c.v) || math.IsInf(c.v, 0) {
			return fmt.Errorf("%s must be a finite number >= 0 (0 = off), got %v", c.name, c.v)
		}
		if c.v > 0 && c.name != "weight_decay" {
			set++
		}
	}
	if set > 1 {
		return fmt.Errorf("only one of clipnorm, global_clipnorm and clipvalue can be set, got clipnorm=%v, global_clipnorm=%v, clipvalue=%v",
			b.clipNorm, b.globalClipNorm, b.clipValue)
	}
	return nil
}

func checkLR(lr float64) error {
	if lr < 0 || math.IsNaN(lr) || math.IsInf(lr, 0) {
		return fmt.Errorf("learning_rate must be a finite number >= 0, got %v", lr)
	}
	return nil
}

// Name returns the Keras class name.
func (b *base) Name() string { return b.className }

// Iterations returns the number of completed Apply calls.
func (b *base) Iterations() int64 { return b.iterations }

// LearningRate returns the learning rate the next Apply will use: the
// schedule evaluated at Iterations(), or the constant rate.
func (b *base) LearningRate() float64 {
	if b.schedule != nil {
		return b.schedule.At(b.iterations)
	}
	return b.lr
}

// SetLearningRate replaces a constant learning rate.
func (b *base) SetLearningRate(lr float64) error {
	if b.schedule != nil {
		return fmt.Errorf("%s: the learning rate is set by a %s schedule and cannot be changed", b.className, b.schedule.ClassName())
	}
	if err := checkLR(lr); err != nil {
		return fmt.Errorf("%s: %w", b.className, err)
	}
	b.lr = lr
	return nil
}

// Config returns the Keras get_config arguments shared by every optimizer
// plus the optimizer's own. Unset clipping and weight decay are nil, as
// Keras's None.
func (b *base) Config() map[string]any {
	m := map[string]any{
		"learning_rate":   b.lr,
		"weight_decay":    orNil(b.weightDecay),
		"clipnorm":        orNil(b.clipNorm),
		"global_clipnorm": orNil(b.globalClipNorm),
		"clipvalue":       orNil(b.clipValue),
	}
	if b.schedule != nil {
		m["learning_rate"] = SerializeSchedule(b.schedule)
	}
	b.rule.config(m)
	return m
}

func orNil(v float64) any {
	if v == 0 {
		return nil
	}
	return v
}

// Build creates the slots for vars, or checks vars against them when the
// optimizer is already built.
func (b *base) Build(vars []Variable) error {
	if b.built {
		return b.check(vars)
	}
	seen := make(map[string]int, len(vars))
	built := make([]varSlots, len(vars))
	specs := b.rule.slotSpecs()
	for i, v := range vars {
		if v.Name == "" {
			return fmt.Errorf("%s: variable %d has no name", b.className, i)
		}
		if j, dup := seen[v.Name]; dup {
			return fmt.Errorf("%s: variables %d and %d are both named %q", b.className, j, i, v.Name)
		}
		seen[v.Name] = i
		if v.Value == nil {
			return fmt.Errorf("%s: variable %q has no value", b.className, v.Name)
		}
		vs := varSlots{name: v.Name, shape: append([]int(nil), v.Value.Shape()...), dtype: v.Value.DType()}
		for _, sp := range specs {
			t := tensor.New(vs.dtype, vs.shape...)
			t.Fill(sp.init)
			vs.slots = append(vs.slots, t)
			if vs.dtype == tensor.Float64 {
				vs.s64 = append(vs.s64, t.Float64s())
			} else {
				vs.s32 = append(vs.s32, t.Float32s())
			}
		}
		built[i] = vs
	}
	b.vars = built
	if b.pending != nil {
		if err := b.setSlots(b.pending); err != nil {
			b.vars = nil
			return fmt.Errorf("%s: restoring state on build: %w", b.className, err)
		}
	}
	b.pending = nil
	b.buildSweep()
	b.built = true
	return nil
}

// check verifies that vars are the variables the optimizer was built with.
func (b *base) check(vars []Variable) error {
	if len(vars) != len(b.vars) {
		return fmt.Errorf("%s: built for %d variables, got %d", b.className, len(b.vars), len(vars))
	}
	for i := range vars {
		v, want := &vars[i], &b.vars[i]
		if v.Name != want.name {
			return fmt.Errorf("%s: variable %d is %q, but the optimizer was built with %q in that position", b.className, i, v.Name, want.name)
		}
		if v.Value == nil || v.Value.DType() != want.dtype || !tensor.SameShape(v.Value.Shape(), want.shape) {
			return fmt.Errorf("%s: variable %q: value %s does not match the %s %s it was built with", b.className, v.Name, describe(v.Value), tensor.ShapeString(want.shape), want.dtype)
		}
		if v.Grad != nil && (v.Grad.DType() != want.dtype || !tensor.SameShape(v.Grad.Shape(), want.shape)) {
			return fmt.Errorf("%s: variable %q: gradient %s does not match its value %s %s", b.className, v.Name, describe(v.Grad), tensor.ShapeString(want.shape), want.dtype)
		}
	}
	return nil
}

func describe(t *tensor.Tensor) string {
	if t == nil {
		return "nil"
	}
	return tensor.ShapeString(t.Shape()) + " " + t.DType().String()
}

var errNoGradients = errors.New("no gradients provided for any variable")

// Apply clips the gradients, applies weight decay, runs the optimizer's
// update for every variable with a gradient and counts the step. The update
// is one sweep over all the variables' elements, in chunks shared among the
// cores (sweep.go).
func (b *base) Apply(vars []Variable) error {
	if !b.built {
		if err := b.Build(vars); err != nil {
			return err
		}
	}
	if err := b.check(vars); err != nil {
		return err
	}
	have := false
	for i := range vars {
		have = have || vars[i].Grad != nil
	}
	if !have {
		return fmt.Errorf("%s: %w", b.className, errNoGradients)
	}
	b.runSweep(vars, b.LearningRate())
	b.iterations++
	return nil
}

// decay is Keras's decoupled weight decay: w -= w*wd*lr.
func decay[T float](w []T, wd, lr float64) {
	if wd == 0 {
		return
	}
	f := T(wd) * T(lr)
	for i := range w {
		w[i] -= w[i] * f
	}
}
