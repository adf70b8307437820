package optimizers

import (
	"fmt"
	"math"
)

// Schedule gives the learning rate for an optimizer step, as a Keras
// LearningRateSchedule. The optimizer evaluates it at Iterations(), the
// number of steps already taken, so the first update uses At(0).
type Schedule interface {
	// ClassName is the Keras class name, e.g. "ExponentialDecay".
	ClassName() string
	// At returns the learning rate for step (0-based).
	At(step int64) float64
	// Config returns the Keras get_config arguments.
	Config() map[string]any
}

// SerializeSchedule returns s in Keras's serialized form,
// {"class_name": ..., "config": {...}}, which GetSchedule and Get's
// learning_rate argument read back.
func SerializeSchedule(s Schedule) map[string]any {
	return map[string]any{"class_name": s.ClassName(), "config": s.Config()}
}

// ExponentialDecay is initial_learning_rate * decay_rate^(step/decay_steps),
// with step/decay_steps floored when Staircase is set
// (keras.optimizers.schedules.ExponentialDecay).
type ExponentialDecay struct {
	InitialLearningRate float64
	DecaySteps          float64 // > 0
	DecayRate           float64
	Staircase           bool
}

// ClassName returns "ExponentialDecay".
func (s *ExponentialDecay) ClassName() string { return "ExponentialDecay" }

// At returns the decayed learning rate.
func (s *ExponentialDecay) At(step int64) float64 {
	p := float64(step) / s.DecaySteps
	if s.Staircase {
		p = math.Floor(p)
	}
	return s.InitialLearningRate * math.Pow(s.DecayRate, p)
}

// Config returns the Keras arguments.
func (s *ExponentialDecay) Config() map[string]any {
	return map[string]any{"initial_learning_rate": s.InitialLearningRate, "decay_steps": s.DecaySteps,
		"decay_rate": s.DecayRate, "staircase": s.Staircase, "name": "ExponentialDecay"}
}

func (s *ExponentialDecay) validate() error {
	return checkDecay(s.InitialLearningRate, s.DecaySteps, s.DecayRate)
}

// InverseTimeDecay is initial_learning_rate / (1 + decay_rate*step/decay_steps),
// with step/decay_steps floored when Staircase is set
// (keras.optimizers.schedules.InverseTimeDecay).
type InverseTimeDecay struct {
	InitialLearningRate float64
	DecaySteps          float64 // > 0
	DecayRate           float64
	Staircase           bool
}

// ClassName returns "InverseTimeDecay".
func (s *InverseTimeDecay) ClassName() string { return "InverseTimeDecay" }

// At returns the decayed learning rate.
func (s *InverseTimeDecay) At(step int64) float64 {
	p := float64(step) / s.DecaySteps
	if s.Staircase {
		p = math.Floor(p)
	}
	return s.InitialLearningRate / (1 + s.DecayRate*p)
}

// Config returns the Keras arguments.
func (s *InverseTimeDecay) Config() map[string]any {
	return map[string]any{"initial_learning_rate": s.InitialLearningRate, "decay_steps": s.DecaySteps,
		"decay_rate": s.DecayRate, "staircase": s.Staircase, "name": "InverseTimeDecay"}
}

func (s *InverseTimeDecay) validate() error {
	return checkDecay(s.InitialLearningRate, s.DecaySteps, s.DecayRate)
}

func checkDecay(initial, steps, rate float64) error {
	return firstErr(checkFinite("initial_learning_rate", initial), checkSteps(steps), checkFinite("decay_rate", rate))
}

func checkSteps(steps float64) error {
	if !(steps > 0) || math.IsInf(steps, 0) {
		return fmt.Errorf("decay_steps must be > 0, got %v", steps)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func checkFinite(name string, v float64) error {
	if !(v >= 0) || math.IsInf(v, 0) {
		return fmt.Errorf("%s must be a finite number >= 0, got %v", name, v)
	}
	return nil
}

// PiecewiseConstantDecay is Values[0] while step <= Boundaries[0], Values[1]
// while step <= Boundaries[1], ..., and the last value after the last
// boundary (keras.optimizers.schedules.PiecewiseConstantDecay).
type PiecewiseConstantDecay struct {
	Boundaries []int64   // strictly increasing
	Values     []float64 // one more than Boundaries
}

// ClassName returns "PiecewiseConstantDecay".
func (s *PiecewiseConstantDecay) ClassName() string { return "PiecewiseConstantDecay" }

// At returns the value of the interval holding step.
func (s *PiecewiseConstantDecay) At(step int64) float64 {
	for i, b := range s.Boundaries {
		if step <= b {
			return s.Values[i]
		}
	}
	return s.Values[len(s.Values)-1]
}

// Config returns the Keras arguments.
func (s *PiecewiseConstantDecay) Config() map[string]any {
	return map[string]any{"boundaries": append([]int64(nil), s.Boundaries...),
		"values": append([]float64(nil), s.Values...), "name": "PiecewiseConstant"}
}

func (s *PiecewiseConstantDecay) validate() error {
	if len(s.Values) != len(s.Boundaries)+1 {
		return fmt.Errorf("values must have one more element than boundaries, got %d boundaries and %d values", len(s.Boundaries), len(s.Values))
	}
	for i := 1; i < len(s.Boundaries); i++ {
		if s.Boundaries[i] <= s.Boundaries[i-1] {
			return fmt.Errorf("boundaries must be strictly increasing, got %v", s.Boundaries)
		}
	}
	for i, v := range s.Values {
		if err := checkFinite(fmt.Sprintf("values[%d]", i), v); err != nil {
			return err
		}
	}
	return nil
}

// CosineDecay follows half a cosine from the starting rate down to
// Alpha times it over DecaySteps steps, then stays there
// (keras.optimizers.schedules.CosineDecay; Loshchilov and Hutter, SGDR,
// arXiv:1608.03983):
//
//	decayed(s, from) = from * ((1-alpha) * 0.5*(1 + cos(pi*s/decay_steps)) + alpha)
//
// With WarmupSteps > 0 the rate first rises linearly from
// InitialLearningRate to WarmupTarget over WarmupSteps steps, and the decay
// then starts from WarmupTarget. With WarmupSteps = 0, WarmupTarget is not
// used and the decay starts from InitialLearningRate.
type CosineDecay struct {
	InitialLearningRate float64
	DecaySteps          float64 // > 0
	Alpha               float64
	WarmupTarget        float64
	WarmupSteps         float64
}

// ClassName returns "CosineDecay".
func (s *CosineDecay) ClassName() string { return "CosineDecay" }

// At returns the learning rate for step.
func (s *CosineDecay) At(step int64) float64 {
	x := float64(step)
	if s.WarmupSteps <= 0 {
		return s.decayed(min(x, s.DecaySteps), s.InitialLearningRate)
	}
	x = min(x, s.DecaySteps+s.WarmupSteps)
	if x < s.WarmupSteps {
		return (s.WarmupTarget-s.InitialLearningRate)*(x/s.WarmupSteps) + s.InitialLearningRate
	}
	return s.decayed(x-s.WarmupSteps, s.WarmupTarget)
}

func (s *CosineDecay) decayed(x, from float64) float64 {
	c := 0.5 * (1 + math.Cos(math.Pi*x/s.DecaySteps))
	return from * ((1-s.Alpha)*c + s.Alpha)
}

// Config returns the Keras arguments; warmup_target is nil (None) without
// warmup.
func (s *CosineDecay) Config() map[string]any {
	m := map[string]any{"initial_learning_rate": s.InitialLearningRate, "decay_steps": s.DecaySteps,
		"alpha": s.Alpha, "name": "CosineDecay", "warmup_target": nil, "warmup_steps": s.WarmupSteps}
	if s.WarmupSteps > 0 {
		m["warmup_target"] = s.WarmupTarget
	}
	return m
}

func (s *CosineDecay) validate() error {
	err := firstErr(checkFinite("initial_learning_rate", s.InitialLearningRate), checkSteps(s.DecaySteps),
		checkFinite("alpha", s.Alpha), checkFinite("warmup_steps", s.WarmupSteps))
	if err == nil && s.WarmupSteps > 0 {
		err = checkFinite("warmup_target", s.WarmupTarget)
	}
	return err
}
