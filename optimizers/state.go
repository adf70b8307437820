package optimizers

import (
	"fmt"
	"math"
	"strings"

	"github.com/deepgo-dev/deepgo/tensor"
)

// State returns copies of the optimizer's resumable state: "iterations",
// "learning_rate" when no schedule sets it, then the slots, slot kind by
// slot kind in the optimizer's order and variable by variable within a kind
// (Keras's order), named VARIABLE.SLOT, e.g. "dense_1.kernel.momentum".
func (b *base) State() []NamedState {
	out := []NamedState{{Name: "iterations", T: tensor.FromFloat64([]float64{float64(b.iterations)})}}
	if b.schedule == nil {
		out = append(out, NamedState{Name: "learning_rate", T: tensor.FromFloat64([]float64{b.lr})})
	}
	if !b.built {
		for _, p := range b.pending {
			out = append(out, NamedState{Name: p.Name, T: p.T.Clone()})
		}
		return out
	}
	for k, sp := range b.rule.slotSpecs() {
		for _, vs := range b.vars {
			out = append(out, NamedState{Name: vs.name + "." + sp.name, T: vs.slots[k].Clone()})
		}
	}
	return out
}

// SetState restores what State returned, strictly: every expected name must
// be present, no other name may be, and shapes must match (dtypes may
// differ; values are converted). Before the optimizer is built the slots are
// kept and checked by Build. Nothing changes when an error is returned.
func (b *base) SetState(state []NamedState) error {
	var iters, lr *tensor.Tensor
	var slots []NamedState
	var unexpected []string
	seen := make(map[string]bool, len(state))
	for _, s := range state {
		if seen[s.Name] {
			return fmt.Errorf("%s: state %q appears twice", b.className, s.Name)
		}
		seen[s.Name] = true
		if s.T == nil {
			return fmt.Errorf("%s: state %q has no tensor", b.className, s.Name)
		}
		switch {
		case s.Name == "iterations":
			iters = s.T
		case s.Name == "learning_rate" && b.schedule == nil:
			lr = s.T
		case s.Name == "learning_rate":
			unexpected = append(unexpected, s.Name+" (a schedule sets the learning rate)")
		default:
			slots = append(slots, s)
		}
	}
	var missing []string
	if iters == nil {
		missing = append(missing, "iterations")
	}
	if b.schedule == nil && lr == nil {
		missing = append(missing, "learning_rate")
	}
	if len(missing) > 0 || len(unexpected) > 0 {
		return mismatch(b.className, missing, unexpected)
	}
	if iters.Len() != 1 {
		return fmt.Errorf("%s: state \"iterations\" has shape %s, want a scalar", b.className, tensor.ShapeString(iters.Shape()))
	}
	n := iters.AtFlat(0)
	if n < 0 || n != math.Trunc(n) || n > 1<<53 {
		return fmt.Errorf("%s: state \"iterations\" must be a whole number >= 0, got %v", b.className, n)
	}
	if lr != nil {
		if lr.Len() != 1 {
			return fmt.Errorf("%s: state \"learning_rate\" has shape %s, want a scalar", b.className, tensor.ShapeString(lr.Shape()))
		}
		if err := checkLR(lr.AtFlat(0)); err != nil {
			return fmt.Errorf("%s: state: %w", b.className, err)
		}
	}
	if b.built {
		if err := b.setSlots(slots); err != nil {
			return fmt.Errorf("%s: %w", b.className, err)
		}
	} else {
		b.pending = make([]NamedState, len(slots))
		for i, s := range slots {
			b.pending[i] = NamedState{Name: s.Name, T: s.T.Clone()}
		}
	}
	b.iterations = int64(n)
	if lr != nil {
		b.lr = lr.AtFlat(0)
	}
	return nil
}

// setSlots copies slot state into the built slots after checking that the
// names and shapes match exactly.
func (b *base) setSlots(slots []NamedState) error {
	type target struct {
		t    *tensor.Tensor
		used bool
	}
	want := make(map[string]*target)
	var order []string
	for k, sp := range b.rule.slotSpecs() {
		for _, vs := range b.vars {
			name := vs.name + "." + sp.name
			want[name] = &target{t: vs.slots[k]}
			order = append(order, name)
		}
	}
	var missing, unexpected []string
	for _, s := range slots {
		tg, ok := want[s.Name]
		if !ok {
			unexpected = append(unexpected, s.Name)
			continue
		}
		tg.used = true
		if !tensor.SameShape(s.T.Shape(), tg.t.Shape()) {
			return fmt.Errorf("state %q has shape %s, want %s", s.Name, tensor.ShapeString(s.T.Shape()), tensor.ShapeString(tg.t.Shape()))
		}
	}
	for _, name := range order {
		if !want[name].used {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 || len(unexpected) > 0 {
		return mismatch("", missing, unexpected)
	}
	for _, s := range slots {
		want[s.Name].t.CopyFrom(s.T)
	}
	return nil
}

func mismatch(prefix string, missing, unexpected []string) error {
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "missing "+quoteAll(missing))
	}
	if len(unexpected) > 0 {
		parts = append(parts, "unexpected "+quoteAll(unexpected))
	}
	msg := "state does not match the optimizer: " + strings.Join(parts, "; ")
	if prefix != "" {
		msg = prefix + ": " + msg
	}
	return fmt.Errorf("%s", msg)
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
