package optimizers

import (
	"fmt"
	"math"

	"github.com/deepgo-dev/deepgo/tensor"
)

// Variable is one trainable weight and its gradient for the current step.
// Value and Grad have the same shape and dtype (float32 or float64). A nil
// Grad means the weight received no gradient this step; Apply then leaves it
// and its slots untouched, as Keras does.
type Variable struct {
	Name  string // stable dotted name, e.g. "dense_1.kernel"; slot names derive from it
	Value *tensor.Tensor
	Grad  *tensor.Tensor
}

// NamedState is one tensor of an optimizer's resumable state, such as
// "dense_1.kernel.momentum" or "iterations".
type NamedState struct {
	Name string
	T    *tensor.Tensor
}

// Optimizer updates weights from their gradients. Every optimizer in this
// package implements it on top of a shared base that owns the step counter,
// the learning-rate schedule, gradient clipping and weight decay; the
// optimizer itself only declares its slots and writes its update.
type Optimizer interface {
	// Name is the Keras class name: "SGD", "Adam", "AdamW", "RMSprop" or "Adagrad".
	Name() string
	// Build creates the slots for vars (Apply does so on its first call).
	// Calling it again checks that vars are the ones it was built for.
	Build(vars []Variable) error
	// Apply performs one update of every variable from its gradient, as
	// Keras's apply_gradients: clip the gradients, evaluate the learning rate
	// at Iterations(), apply weight decay, update, then count the step.
	// Later calls must pass the same variables in the same order; once built,
	// Apply does not allocate.
	Apply(vars []Variable) error
	// Iterations is the number of completed Apply calls.
	Iterations() int64
	// LearningRate is the learning rate the next Apply will use.
	LearningRate() float64
	// SetLearningRate changes a constant learning rate (ReduceLROnPlateau
	// uses it); it is an error when a schedule sets the rate.
	SetLearningRate(lr float64) error
	// Config returns the Keras get_config arguments; Get(Name(), Config())
	// rebuilds an equal optimizer without its state.
	Config() map[string]any
	// State returns copies of the resumable state in a fixed order:
	// "iterations", "learning_rate" (without a schedule), then each slot
	// kind for each variable, e.g. "dense_1.kernel.momentum".
	State() []NamedState
	// SetState restores what State returned. Before the first Apply the slots
	// are kept and checked when the optimizer is built. Missing and
	// unexpected names are errors, and nothing changes on error.
	SetState(state []NamedState) error
}

// Option configures the behaviour every optimizer shares.
type Option func(*base)

// WithSchedule makes sched set the learning rate at every step; the lr
// argument of the constructor is then ignored.
func WithSchedule(sched Schedule) Option { return func(b *base) { b.schedule = sched } }

// WithClipNorm rescales each variable's gradient g to g*c/max(‖g‖, c), so
// that no gradient's L2 norm exceeds c (Keras clipnorm). 0 turns it off.
func WithClipNorm(c float64) Option { return func(b *base) { b.clipNorm = c } }

// WithGlobalClipNorm rescales all gradients together so that their joint L2
// norm does not exceed c (Keras global_clipnorm). 0 turns it off.
func WithGlobalClipNorm(c float64) Option { return func(b *base) { b.globalClipNorm = c } }

// WithClipValue clamps every gradient element to [-c, c] (Keras clipvalue).
// 0 turns it off.
func WithClipValue(c float64) Option { return func(b *base) { b.clipValue = c } }

// WithWeightDecay applies Keras's decoupled weight decay before each update:
// w -= lr*wd*w. 0 turns it off.
func WithWeightDecay(wd float64) Option { return func(b *base) { b.weightDecay = wd } }

// float is the element type of a tensor's storage.
type float interface{ ~float32 | ~float64 }

// step is what an optimizer's update sees for one chunk of a variable (a
// whole small variable, or one piece of a large one; see sweep.go): the
// weights, the raw gradient with the clipping to apply to it, the slots in
// the order of slotSpecs, all over the same elements, the learning rate and
// the 1-based step number.
type step[T float] struct {
	w, g          []T
	slots         [][]T
	scale, lo, hi T // the clipped gradient is clamp(scale*g, lo, hi)
	lr            float64
	t             int64
}

// clip applies the clipping to one gradient element. Comparisons (rather
// than the min and max builtins, which order signed zeros and NaNs) keep it
// cheap; a NaN gradient stays NaN.
func (s *step[T]) clip(g T) T {
	g *= s.scale
	if g < s.lo {
		return s.lo
	}
	if g > s.hi {
		return s.hi
	}
	return g
}

// slot returns slot k resliced to the weight's length, so that the update
// loops index it without bounds checks.
func (s *step[T]) slot(k int) []T { return s.slots[k][:len(s.w)] }

func sqrt[T float](x T) T { return T(math.Sqrt(float64(x))) }

// slotSpec names one kind of slot and its initial value.
type slotSpec struct {
	name string
	init float64
}

// rule is the part each optimizer writes: its slots, its update and its
// own config entries. The update is elementwise, so that the base may run it
// on chunks of a variable, several at once: update32 and update64 must touch
// only the elements of the step they are given. update32 calls the float32
// vector kernels of internal/kernels where one fits the rule; update64 and
// the variants without a kernel run the generic loop.
type rule interface {
	slotSpecs() []slotSpec
	update32(s step[float32])
	update64(s step[float64])
	config(m map[string]any)
}

// must turns a constructor's validation error into a panic; Get returns the
// same errors instead.
func must[T any](o T, err error, ctor string) T {
	if err != nil {
		panic(fmt.Sprintf("optimizers: %s: %v", ctor, err))
	}
	return o
}
