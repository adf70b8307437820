package optimizers

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/deepgo-dev/deepgo/spec"
)

// Get builds an optimizer from a spec: a name ("sgd", "SGD", "rmsprop",
// "adam", "adamw", "adagrad"; case and underscores do not matter) and Keras
// argument names (learning_rate, momentum, beta_1, ...). Missing arguments
// take Keras's defaults; args may be nil. Numbers may be any Go integer or
// float type (as YAML and JSON decoders produce them). learning_rate may be
// a number, a Schedule, or a serialized schedule
// {"class_name": "ExponentialDecay", "config": {...}}.
//
// For Keras config compatibility, name, use_ema, ema_momentum,
// ema_overwrite_frequency, loss_scale_factor and gradient_accumulation_steps
// are accepted while they leave the feature off. Unknown names and arguments
// and invalid values are errors that name the offending one.
func Get(name string, args map[string]any) (Optimizer, error) {
	where := fmt.Sprintf("optimizer %q", name)
	a := &argReader{where: where, m: args}
	var o Optimizer
	var err error
	switch normalize(name) {
	case "sgd":
		lr, sched := a.learningRate(0.01)
		momentum := a.num("momentum", 0)
		nesterov := a.boolean("nesterov", false)
		opts := a.common(sched, true)
		if err := a.done(); err != nil {
			return nil, err
		}
		o, err = okOrNil(newSGD(lr, momentum, nesterov, opts))
	case "adam":
		lr, sched := a.learningRate(0.001)
		b1, b2, eps := a.num("beta_1", 0.9), a.num("beta_2", 0.999), a.num("epsilon", 1e-7)
		amsgrad := a.boolean("amsgrad", false)
		opts := a.common(sched, true)
		if err := a.done(); err != nil {
			return nil, err
		}
		o, err = okOrNil(newAdam(lr, b1, b2, eps, amsgrad, opts))
	case "adamw":
		lr, sched := a.learningRate(0.001)
		wd := a.num("weight_decay", 0.004)
		b1, b2, eps := a.num("beta_1", 0.9), a.num("beta_2", 0.999), a.num("epsilon", 1e-7)
		amsgrad := a.boolean("amsgrad", false)
		opts := a.common(sched, false)
		if err := a.done(); err != nil {
			return nil, err
		}
		o, err = okOrNil(newAdamW(lr, wd, b1, b2, eps, amsgrad, opts))
	case "rmsprop":
		lr, sched := a.learningRate(0.001)
		rho, momentum, eps := a.num("rho", 0.9), a.num("momentum", 0), a.num("epsilon", 1e-7)
		centered := a.boolean("centered", false)
		opts := a.common(sched, true)
		if err := a.done(); err != nil {
			return nil, err
		}
		o, err = okOrNil(newRMSprop(lr, rho, momentum, eps, centered, opts))
	case "adagrad":
		lr, sched := a.learningRate(0.001)
		acc, eps := a.num("initial_accumulator_value", 0.1), a.num("epsilon", 1e-7)
		opts := a.common(sched, true)
		if err := a.done(); err != nil {
			return nil, err
		}
		o, err = okOrNil(newAdagrad(lr, acc, eps, opts))
	default:
		return nil, fmt.Errorf("unknown optimizer %q (valid: SGD, RMSprop, Adam, AdamW, Adagrad)", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return o, nil
}

// okOrNil returns a nil interface (not a typed nil) on error.
func okOrNil[T Optimizer](o T, err error) (Optimizer, error) {
	if err != nil {
		return nil, err
	}
	return o, nil
}

// GetSchedule builds a learning-rate schedule from its Keras class name
// ("ExponentialDecay", "CosineDecay", "PiecewiseConstantDecay",
// "InverseTimeDecay"; case and underscores do not matter) and Keras
// arguments, checking them as Get does.
func GetSchedule(className string, args map[string]any) (Schedule, error) {
	a := &argReader{where: fmt.Sprintf("schedule %q", className), m: args}
	a.silent("name", func(v any) bool { _, ok := v.(string); return ok || v == nil })
	var s Schedule
	switch normalize(className) {
	case "exponentialdecay", "inversetimedecay":
		init := a.required("initial_learning_rate")
		steps := a.required("decay_steps")
		rate := a.required("decay_rate")
		stair := a.boolean("staircase", false)
		if normalize(className) == "exponentialdecay" {
			s = &ExponentialDecay{InitialLearningRate: init, DecaySteps: steps, DecayRate: rate, Staircase: stair}
		} else {
			s = &InverseTimeDecay{InitialLearningRate: init, DecaySteps: steps, DecayRate: rate, Staircase: stair}
		}
	case "cosinedecay":
		c := &CosineDecay{InitialLearningRate: a.required("initial_learning_rate"), DecaySteps: a.required("decay_steps"),
			Alpha: a.num("alpha", 0)}
		target, hasTarget := a.nullable("warmup_target")
		c.WarmupSteps = a.num("warmup_steps", 0)
		switch {
		case !hasTarget:
			c.WarmupSteps = 0 // Keras skips warmup when warmup_target is None
		case c.WarmupSteps == 0:
			c.InitialLearningRate = target // Keras then decays from warmup_target
		default:
			c.WarmupTarget = target
		}
		s = c
	case "piecewiseconstantdecay", "piecewiseconstant":
		p := &PiecewiseConstantDecay{Values: a.floats("values")}
		for i, b := range a.floats("boundaries") {
			if b != float64(int64(b)) {
				a.fail("argument boundaries[%d]: want a whole number of steps, got %v", i, b)
			}
			p.Boundaries = append(p.Boundaries, int64(b))
		}
		s = p
	default:
		return nil, fmt.Errorf("unknown schedule %q (valid: ExponentialDecay, CosineDecay, PiecewiseConstantDecay, InverseTimeDecay)", className)
	}
	if err := a.done(); err != nil {
		return nil, err
	}
	if err := s.(interface{ validate() error }).validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", a.where, err)
	}
	return s, nil
}

// ScheduleFromConfig reads a schedule in Keras's serialized form,
// {"class_name": ..., "config": {...}} (the "module" and
// "registered_name" keys Keras also writes are ignored).
func ScheduleFromConfig(m map[string]any) (Schedule, error) {
	name, ok := m["class_name"].(string)
	if !ok {
		return nil, fmt.Errorf("schedule: want {\"class_name\": ..., \"config\": {...}}, got class_name %s", show(m["class_name"]))
	}
	cfg, ok := m["config"].(map[string]any)
	if !ok && m["config"] != nil {
		return nil, fmt.Errorf("schedule %q: config must be a mapping, got %s", name, show(m["config"]))
	}
	for _, k := range sortedKeys(m) {
		if k != "class_name" && k != "config" && k != "module" && k != "registered_name" {
			return nil, fmt.Errorf("schedule %q: unknown key %q (valid: class_name, config)", name, k)
		}
	}
	return GetSchedule(name, cfg)
}

func normalize(name string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "_", "")
}

// argReader reads Keras arguments from a decoded spec, remembering which
// keys it was asked for so that the rest can be reported as unknown.
type argReader struct {
	where string
	m     map[string]any
	known []string        // listed in error messages, in Keras order
	quiet map[string]bool // accepted, but not listed
	err   error
}

func (a *argReader) fail(format string, args ...any) {
	if a.err == nil {
		a.err = fmt.Errorf("%s: "+format, append([]any{a.where}, args...)...)
	}
}

func (a *argReader) get(key string) (any, bool) {
	a.known = append(a.known, key)
	v, ok := a.m[key]
	return v, ok
}

// num reads a number; absent means def, null is an error.
func (a *argReader) num(key string, def float64) float64 {
	v, ok := a.get(key)
	if !ok {
		return def
	}
	f, ok := spec.ToFloat(v)
	if !ok {
		a.fail("argument %s: want a number, got %s", key, show(v))
		return def
	}
	return f
}

// nullable reads a number that may be absent or null (Keras's None).
func (a *argReader) nullable(key string) (float64, bool) {
	v, ok := a.get(key)
	if !ok || v == nil {
		return 0, false
	}
	f, ok := spec.ToFloat(v)
	if !ok {
		a.fail("argument %s: want a number or null, got %s", key, show(v))
	}
	return f, ok
}

func (a *argReader) required(key string) float64 {
	if _, ok := a.m[key]; !ok {
		a.fail("missing argument %s", key)
	}
	return a.num(key, 0)
}

func (a *argReader) boolean(key string, def bool) bool {
	v, ok := a.get(key)
	if !ok {
		return def
	}
	b, ok := v.(bool)
	if !ok {
		a.fail("argument %s: want true or false, got %s", key, show(v))
		return def
	}
	return b
}

// floats reads a required list of numbers.
func (a *argReader) floats(key string) []float64 {
	v, ok := a.get(key)
	if !ok {
		a.fail("missing argument %s", key)
		return nil
	}
	rv := reflect.ValueOf(v)
	if v == nil || (rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array) {
		a.fail("argument %s: want a list of numbers, got %s", key, show(v))
		return nil
	}
	out := make([]float64, rv.Len())
	for i := range out {
		f, ok := spec.ToFloat(rv.Index(i).Interface())
		if !ok {
			a.fail("argument %s[%d]: want a number, got %s", key, i, show(rv.Index(i).Interface()))
		}
		out[i] = f
	}
	return out
}

// silent accepts key when ok(value) holds, without listing it as valid.
func (a *argReader) silent(key string, ok func(v any) bool) {
	if a.quiet == nil {
		a.quiet = map[string]bool{}
	}
	a.quiet[key] = true
	if v, present := a.m[key]; present && !ok(v) {
		a.fail("argument %s=%s is not supported", key, show(v))
	}
}

// learningRate reads learning_rate: a number, a Schedule or a serialized one.
func (a *argReader) learningRate(def float64) (float64, Schedule) {
	v, ok := a.get("learning_rate")
	if !ok {
		return def, nil
	}
	switch x := v.(type) {
	case Schedule:
		return def, x
	case map[string]any:
		s, err := ScheduleFromConfig(x)
		if err != nil {
			a.fail("argument learning_rate: %v", err)
		}
		return def, s
	}
	f, ok := spec.ToFloat(v)
	if !ok {
		a.fail("argument learning_rate: want a number or a schedule, got %s", show(v))
	}
	return f, nil
}

// common reads the arguments every optimizer shares (weight_decay too when
// withDecay) and the Keras ones accepted only while off.
func (a *argReader) common(sched Schedule, withDecay bool) []Option {
	var opts []Option
	if sched != nil {
		opts = append(opts, WithSchedule(sched))
	}
	if withDecay {
		wd, _ := a.nullable("weight_decay")
		opts = append(opts, WithWeightDecay(wd))
	}
	cn, _ := a.nullable("clipnorm")
	gcn, _ := a.nullable("global_clipnorm")
	cv, _ := a.nullable("clipvalue")
	opts = append(opts, WithClipNorm(cn), WithGlobalClipNorm(gcn), WithClipValue(cv))
	isNil := func(v any) bool { return v == nil }
	a.silent("name", func(v any) bool { _, ok := v.(string); return ok || v == nil })
	a.silent("use_ema", func(v any) bool { return v == nil || v == false })
	a.silent("ema_momentum", func(v any) bool { _, ok := spec.ToFloat(v); return ok || v == nil })
	a.silent("ema_overwrite_frequency", isNil)
	a.silent("loss_scale_factor", isNil)
	a.silent("gradient_accumulation_steps", isNil)
	return opts
}

// done reports unknown arguments first, then the first invalid value.
func (a *argReader) done() error {
	var unknown []string
	for _, k := range sortedKeys(a.m) {
		if !slices.Contains(a.known, k) && !a.quiet[k] {
			unknown = append(unknown, fmt.Sprintf("%q", k))
		}
	}
	if len(unknown) > 0 {
		word := "argument"
		if len(unknown) > 1 {
			word = "arguments"
		}
		return fmt.Errorf("%s: unknown %s %s (valid: %s)", a.where, word, strings.Join(unknown, ", "), strings.Join(a.known, ", "))
	}
	return a.err
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// show formats a spec value for an error message.
func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprintf("%v (%T)", v, v)
}
