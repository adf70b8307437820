package optimizers

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

// TestGetDefaults checks that Get with no arguments gives Keras 3's defaults
// (the constructor signatures in keras/src/optimizers/*.py).
func TestGetDefaults(t *testing.T) {
	off := map[string]any{"weight_decay": nil, "clipnorm": nil, "global_clipnorm": nil, "clipvalue": nil}
	with := func(m map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range off {
			out[k] = v
		}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		name, class string
		want        map[string]any
	}{
		{"sgd", "SGD", with(map[string]any{"learning_rate": 0.01, "momentum": 0.0, "nesterov": false})},
		{"Adam", "Adam", with(map[string]any{"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": false})},
		{"adamw", "AdamW", with(map[string]any{"learning_rate": 0.001, "weight_decay": 0.004, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": false})},
		{"RMSprop", "RMSprop", with(map[string]any{"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": false})},
		{"adagrad", "Adagrad", with(map[string]any{"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7})},
	}
	for _, tt := range tests {
		o, err := Get(tt.name, nil)
		if err != nil {
			t.Fatalf("Get(%q, nil): %v", tt.name, err)
		}
		if o.Name() != tt.class {
			t.Errorf("Get(%q).Name() = %q, want %q", tt.name, o.Name(), tt.class)
		}
		if got := o.Config(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Get(%q).Config() =\n  %v\nwant\n  %v", tt.name, got, tt.want)
		}
	}
}

// TestConstructorsMatchGet checks that the Go constructors with Keras's
// defaults build the same optimizers as Get with no arguments.
func TestConstructorsMatchGet(t *testing.T) {
	for _, tt := range []struct {
		o    Optimizer
		name string
	}{
		{NewSGD(0.01, 0, false), "sgd"},
		{NewAdam(0.001, 0.9, 0.999, 1e-7, false), "adam"},
		{NewAdamW(0.001, 0.004, 0.9, 0.999, 1e-7, false), "adamw"},
		{NewRMSprop(0.001, 0.9, 0, 1e-7, false), "rmsprop"},
		{NewAdagrad(0.001, 0.1, 1e-7), "adagrad"},
	} {
		g, err := Get(tt.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(tt.o.Config(), g.Config()) {
			t.Errorf("%s: constructor config %v, Get config %v", tt.name, tt.o.Config(), g.Config())
		}
	}
}

// roundTripCases are optimizers with non-default arguments of every kind.
func roundTripCases() []Optimizer {
	return []Optimizer{
		NewSGD(0.05, 0.9, true, WithClipNorm(1)),
		NewSGD(0.05, 0, false, WithWeightDecay(0.01), WithClipValue(0.5)),
		NewSGD(0.1, 0.5, false, WithSchedule(&PiecewiseConstantDecay{Boundaries: []int64{2}, Values: []float64{0.1, 0.01}})),
		NewAdam(0.002, 0.8, 0.99, 1e-6, true, WithGlobalClipNorm(2)),
		NewAdam(0.002, 0.9, 0.999, 1e-7, false, WithSchedule(&ExponentialDecay{InitialLearningRate: 0.01, DecaySteps: 3, DecayRate: 0.9, Staircase: true})),
		NewAdamW(0.003, 0, 0.9, 0.98, 1e-8, false),
		NewAdamW(0.003, 0.05, 0.9, 0.98, 1e-8, true, WithSchedule(&CosineDecay{InitialLearningRate: 0, DecaySteps: 5, Alpha: 0.1, WarmupTarget: 0.01, WarmupSteps: 2})),
		NewRMSprop(0.01, 0.8, 0.3, 1e-6, true, WithWeightDecay(0.1)),
		NewRMSprop(0.01, 0.9, 0, 1e-7, false, WithSchedule(&InverseTimeDecay{InitialLearningRate: 0.01, DecaySteps: 2, DecayRate: 0.5})),
		NewAdagrad(0.1, 0.5, 1e-6, WithClipValue(0.3)),
	}
}

// TestConfigRoundTrip checks Get(Name(), Config()), directly and through
// JSON (where every number becomes a float64), rebuilds an optimizer with an
// equal config that takes identical steps.
func TestConfigRoundTrip(t *testing.T) {
	for _, o := range roundTripCases() {
		cfg := o.Config()
		direct, err := Get(o.Name(), cfg)
		if err != nil {
			t.Fatalf("Get(%q, %v): %v", o.Name(), cfg, err)
		}
		if !reflect.DeepEqual(direct.Config(), cfg) {
			t.Errorf("%s: config after round trip\n  %v\nwant\n  %v", o.Name(), direct.Config(), cfg)
		}
		data, err := json.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var decoded map[string]any
		if err := json.Unmarshal(data, &decoded); err != nil {
			t.Fatal(err)
		}
		viaJSON, err := Get(strings.ToLower(o.Name()), decoded)
		if err != nil {
			t.Fatalf("Get(%q, %s): %v", o.Name(), data, err)
		}
		again, _ := json.Marshal(viaJSON.Config())
		if string(again) != string(data) {
			t.Errorf("%s: JSON config after round trip\n  %s\nwant\n  %s", o.Name(), again, data)
		}
		a, b := trainVars(tensor.Float64), trainVars(tensor.Float64)
		for s := range 4 {
			fillGrads(a, s)
			fillGrads(b, s)
			if err := o.Apply(a); err != nil {
				t.Fatal(err)
			}
			if err := viaJSON.Apply(b); err != nil {
				t.Fatal(err)
			}
		}
		assertSameValues(t, o.Name()+" rebuilt from its config", b, a)
	}
}

// trainVars returns a small kernel and bias with fixed values.
func trainVars(dt tensor.DType) []Variable {
	k := tensor.New(dt, 2, 3)
	b := tensor.New(dt, 3)
	for i := range k.Len() {
		k.SetFlat(i, 0.3*float64(i)-0.7)
	}
	for i := range b.Len() {
		b.SetFlat(i, 0.1*float64(i))
	}
	return []Variable{
		{Name: "dense_1.kernel", Value: k, Grad: tensor.New(dt, 2, 3)},
		{Name: "dense_1.bias", Value: b, Grad: tensor.New(dt, 3)},
	}
}

// fillGrads writes a fixed, step-dependent gradient (an arbitrary formula
// with no zeros) into every variable.
func fillGrads(vars []Variable, step int) {
	for vi, v := range vars {
		for i := range v.Grad.Len() {
			v.Grad.SetFlat(i, 0.5+float64((i*7+vi*3+step*5)%11)/10-0.6*float64(step%2))
		}
	}
}

func assertSameValues(t *testing.T, where string, got, want []Variable) {
	t.Helper()
	for i := range want {
		for k := range want[i].Value.Len() {
			if g, w := got[i].Value.AtFlat(k), want[i].Value.AtFlat(k); g != w {
				t.Fatalf("%s: %s[%d]: got %.17g, want %.17g", where, want[i].Name, k, g, w)
			}
		}
	}
}

func TestGetErrors(t *testing.T) {
	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"adamm", nil, `unknown optimizer "adamm" (valid: SGD, RMSprop, Adam, AdamW, Adagrad)`},
		{"adam", map[string]any{"beta1": 0.9}, `optimizer "adam": unknown argument "beta1" (valid: learning_rate, beta_1, beta_2, epsilon, amsgrad, weight_decay, clipnorm, global_clipnorm, clipvalue)`},
		{"sgd", map[string]any{"lr": 0.1, "decay": 0.1}, `optimizer "sgd": unknown arguments "decay", "lr" (valid: learning_rate, momentum, nesterov, weight_decay, clipnorm, global_clipnorm, clipvalue)`},
		{"sgd", map[string]any{"momentum": "high"}, `optimizer "sgd": argument momentum: want a number, got "high"`},
		{"sgd", map[string]any{"nesterov": 1}, `optimizer "sgd": argument nesterov: want true or false, got 1 (int)`},
		{"sgd", map[string]any{"momentum": 1.5}, `optimizer "sgd": momentum must be in [0, 1], got 1.5`},
		{"sgd", map[string]any{"learning_rate": -0.1}, `optimizer "sgd": learning_rate must be a finite number >= 0, got -0.1`},
		{"sgd", map[string]any{"learning_rate": nil}, `optimizer "sgd": argument learning_rate: want a number or a schedule, got null`},
		{"adam", map[string]any{"beta_1": 1}, `optimizer "adam": beta_1 must be in [0, 1), got 1`},
		{"adam", map[string]any{"epsilon": -1e-7}, `optimizer "adam": epsilon must be a finite number >= 0, got -1e-07`},
		{"adamw", map[string]any{"weight_decay": nil}, `optimizer "adamw": argument weight_decay: want a number, got null`},
		{"rmsprop", map[string]any{"rho": 2}, `optimizer "rmsprop": rho must be in [0, 1], got 2`},
		{"adagrad", map[string]any{"initial_accumulator_value": -1}, `optimizer "adagrad": initial_accumulator_value must be a finite number >= 0, got -1`},
		{"sgd", map[string]any{"clipnorm": 1, "clipvalue": 1}, `only one of clipnorm, global_clipnorm and clipvalue can be set, got clipnorm=1, global_clipnorm=0, clipvalue=1`},
		{"sgd", map[string]any{"clipnorm": -1}, `optimizer "sgd": clipnorm must be a finite number >= 0 (0 = off), got -1`},
		{"adam", map[string]any{"use_ema": true}, `optimizer "adam": argument use_ema=true (bool) is not supported`},
		{"adam", map[string]any{"gradient_accumulation_steps": 4}, `argument gradient_accumulation_steps=4 (int) is not supported`},
		{"sgd", map[string]any{"learning_rate": map[string]any{"class_name": "Step", "config": map[string]any{}}},
			`optimizer "sgd": argument learning_rate: unknown schedule "Step"`},
		{"sgd", map[string]any{"learning_rate": map[string]any{"class_name": "ExponentialDecay", "config": map[string]any{"initial_learning_rate": 0.1, "decay_steps": -1, "decay_rate": 0.9}}},
			`optimizer "sgd": argument learning_rate: schedule "ExponentialDecay": decay_steps must be > 0, got -1`},
		{"sgd", map[string]any{"learning_rate": map[string]any{"config": map[string]any{}}},
			`argument learning_rate: schedule: want {"class_name": ..., "config": {...}}, got class_name null`},
	}
	for _, tt := range tests {
		o, err := Get(tt.name, tt.args)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Get(%q, %v): got error %v, want one containing %q", tt.name, tt.args, err, tt.want)
		}
		if o != nil {
			t.Errorf("Get(%q, %v) returned %v with its error, want nil", tt.name, tt.args, o)
		}
	}
}

// TestGetAcceptsSpecForms checks the value forms YAML and JSON decoders and
// Keras configs produce.
func TestGetAcceptsSpecForms(t *testing.T) {
	tests := []struct {
		name   string
		args   map[string]any
		wantLR float64
	}{
		{"SGD", map[string]any{"learning_rate": 1}, 1},                           // YAML int
		{"adam", map[string]any{"learning_rate": int64(2)}, 2},                   // int64
		{"adam", map[string]any{"learning_rate": float32(0.5)}, 0.5},             // float32, exact in binary
		{"adam", map[string]any{"learning_rate": json.Number("0.25")}, 0.25},     // json.Decoder.UseNumber
		{"rms_prop", map[string]any{"learning_rate": 0.01, "momentum": 0}, 0.01}, // underscores ignored
		// A Keras 3 Adam.get_config() dump, with the features deepgo lacks turned off.
		{"Adam", map[string]any{"name": "adam", "learning_rate": 0.001, "weight_decay": nil, "clipnorm": nil,
			"global_clipnorm": nil, "clipvalue": nil, "use_ema": false, "ema_momentum": 0.99,
			"ema_overwrite_frequency": nil, "loss_scale_factor": nil, "gradient_accumulation_steps": nil,
			"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}, 0.001},
		{"sgd", map[string]any{"learning_rate": &ExponentialDecay{InitialLearningRate: 0.3, DecaySteps: 1, DecayRate: 0.5}}, 0.3},
		// Keras's serialize() also writes module and registered_name.
		{"sgd", map[string]any{"learning_rate": map[string]any{"module": "keras.optimizers.schedules", "class_name": "ExponentialDecay",
			"registered_name": nil, "config": map[string]any{"initial_learning_rate": 0.2, "decay_steps": 10, "decay_rate": 0.5, "name": "ExponentialDecay"}}}, 0.2},
	}
	for _, tt := range tests {
		o, err := Get(tt.name, tt.args)
		if err != nil {
			t.Errorf("Get(%q, %v): %v", tt.name, tt.args, err)
			continue
		}
		if got := o.LearningRate(); got != tt.wantLR {
			t.Errorf("Get(%q, %v).LearningRate() = %v, want %v", tt.name, tt.args, got, tt.wantLR)
		}
	}
}

func TestConstructorPanicsOnInvalidArgument(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "optimizers: NewSGD: momentum must be in [0, 1], got -0.5") {
			t.Errorf("NewSGD(0.1, -0.5, false): got panic %v, want one about momentum", r)
		}
	}()
	NewSGD(0.1, -0.5, false)
}

// FuzzGet feeds arbitrary JSON argument objects to Get: it must return an
// optimizer or an error, never panic, and an optimizer it returns must take a
// step.
func FuzzGet(f *testing.F) {
	f.Add("adam", `{"learning_rate": 0.01, "clipnorm": 1}`)
	f.Add("sgd", `{"learning_rate": {"class_name": "PiecewiseConstantDecay", "config": {"boundaries": [1], "values": [0.1, 0.01]}}}`)
	f.Add("rmsprop", `{"rho": 0.5, "centered": true, "momentum": 0.2}`)
	f.Add("adagrad", `{"initial_accumulator_value": 0, "epsilon": 0}`)
	f.Fuzz(func(t *testing.T, name, js string) {
		var args map[string]any
		if json.Unmarshal([]byte(js), &args) != nil {
			return
		}
		o, err := Get(name, args)
		if err != nil {
			return
		}
		vars := trainVars(tensor.Float32)
		fillGrads(vars, 0)
		if err := o.Apply(vars); err != nil {
			t.Fatalf("Get(%q, %s).Apply: %v", name, js, err)
		}
	})
}
