package optimizers

import (
	"strings"
	"testing"

	"github.com/deepgo-dev/deepgo/tensor"
)

func cloneVars(vars []Variable) []Variable {
	out := make([]Variable, len(vars))
	for i, v := range vars {
		out[i] = Variable{Name: v.Name, Value: v.Value.Clone(), Grad: v.Grad.Clone()}
	}
	return out
}

// TestStateResume checks that saving State after 3 steps, restoring it into
// a fresh optimizer built from Config, and taking 2 more steps gives exactly
// the numbers of 5 uninterrupted steps, whether SetState runs before the
// first Apply (the load-then-fit path) or after Build.
func TestStateResume(t *testing.T) {
	for _, afterBuild := range []bool{false, true} {
		for _, dt := range []tensor.DType{tensor.Float32, tensor.Float64} {
			for _, o := range roundTripCases() {
				vars := trainVars(dt)
				for s := range 3 {
					fillGrads(vars, s)
					if err := o.Apply(vars); err != nil {
						t.Fatal(err)
					}
				}
				state := o.State()
				resumed := cloneVars(vars)
				fresh, err := Get(o.Name(), o.Config())
				if err != nil {
					t.Fatal(err)
				}
				if afterBuild {
					if err := fresh.Build(resumed); err != nil {
						t.Fatal(err)
					}
				}
				if err := fresh.SetState(state); err != nil {
					t.Fatalf("%s: SetState: %v", o.Name(), err)
				}
				if fresh.Iterations() != 3 || fresh.LearningRate() != o.LearningRate() {
					t.Errorf("%s: restored iterations %d, lr %v; want 3, %v", o.Name(), fresh.Iterations(), fresh.LearningRate(), o.LearningRate())
				}
				for s := 3; s < 5; s++ {
					fillGrads(vars, s)
					fillGrads(resumed, s)
					if err := o.Apply(vars); err != nil {
						t.Fatal(err)
					}
					if err := fresh.Apply(resumed); err != nil {
						t.Fatal(err)
					}
				}
				assertSameValues(t, o.Name()+" resumed from State ("+dt.String()+")", resumed, vars)
			}
		}
	}
}

// TestStateNames checks the names and order of State (Keras's order: one
// slot kind at a time, variables in order within it).
func TestStateNames(t *testing.T) {
	tests := []struct {
		o    Optimizer
		want string
	}{
		{NewSGD(0.1, 0, false), "iterations learning_rate"},
		{NewSGD(0.1, 0.9, false), "iterations learning_rate dense_1.kernel.momentum dense_1.bias.momentum"},
		{NewAdam(0.1, 0.9, 0.999, 1e-7, true, WithSchedule(&ExponentialDecay{InitialLearningRate: 0.1, DecaySteps: 1, DecayRate: 0.5})),
			"iterations dense_1.kernel.momentum dense_1.bias.momentum dense_1.kernel.velocity dense_1.bias.velocity dense_1.kernel.velocity_hat dense_1.bias.velocity_hat"},
		{NewRMSprop(0.1, 0.9, 0.5, 1e-7, true),
			"iterations learning_rate dense_1.kernel.velocity dense_1.bias.velocity dense_1.kernel.momentum dense_1.bias.momentum dense_1.kernel.average_gradient dense_1.bias.average_gradient"},
		{NewAdagrad(0.1, 0.1, 1e-7), "iterations learning_rate dense_1.kernel.accumulator dense_1.bias.accumulator"},
	}
	for _, tt := range tests {
		if err := tt.o.Build(trainVars(tensor.Float32)); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range tt.o.State() {
			names = append(names, s.Name)
		}
		if got := strings.Join(names, " "); got != tt.want {
			t.Errorf("%s State names:\n got %s\nwant %s", tt.o.Name(), got, tt.want)
		}
	}
}

func TestSetStateErrors(t *testing.T) {
	good := func() []NamedState {
		o := NewSGD(0.1, 0.9, false)
		vars := trainVars(tensor.Float64)
		fillGrads(vars, 0)
		if err := o.Apply(vars); err != nil {
			t.Fatal(err)
		}
		return o.State()
	}
	without := func(name string) []NamedState {
		var out []NamedState
		for _, s := range good() {
			if s.Name != name {
				out = append(out, s)
			}
		}
		return out
	}
	tests := []struct {
		what  string
		state []NamedState
		want  string
	}{
		{"missing slot", without("dense_1.bias.momentum"), `SGD: state does not match the optimizer: missing "dense_1.bias.momentum"`},
		{"missing iterations", without("iterations"), `SGD: state does not match the optimizer: missing "iterations"`},
		{"unexpected", append(good(), NamedState{"dense_1.kernel.velocity", tensor.Zeros(2, 3)}), `unexpected "dense_1.kernel.velocity"`},
		{"shape", append(without("dense_1.bias.momentum"), NamedState{"dense_1.bias.momentum", tensor.Zeros(4)}),
			`state "dense_1.bias.momentum" has shape (4,), want (3,)`},
		{"duplicate", append(good(), good()[0]), `SGD: state "iterations" appears twice`},
		{"iterations", append(without("iterations"), NamedState{"iterations", tensor.Scalar(1.5)}), `"iterations" must be a whole number >= 0, got 1.5`},
	}
	for _, tt := range tests {
		o := NewSGD(0.1, 0.9, false)
		vars := trainVars(tensor.Float64)
		if err := o.Build(vars); err != nil {
			t.Fatal(err)
		}
		before := o.State()
		err := o.SetState(tt.state)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got error %v, want one containing %q", tt.what, err, tt.want)
		}
		after := o.State()
		for i := range before {
			for k := range before[i].T.Len() {
				if before[i].T.AtFlat(k) != after[i].T.AtFlat(k) {
					t.Errorf("%s: failed SetState changed %s", tt.what, before[i].Name)
				}
			}
		}
	}

	// A schedule owns the learning rate, so a saved learning_rate is unexpected.
	o := NewSGD(0.1, 0, false, WithSchedule(&ExponentialDecay{InitialLearningRate: 0.1, DecaySteps: 1, DecayRate: 0.5}))
	err := o.SetState([]NamedState{{"iterations", tensor.Scalar(0)}, {"learning_rate", tensor.Scalar(0.1)}})
	if err == nil || !strings.Contains(err.Error(), `unexpected "learning_rate (a schedule sets the learning rate)"`) {
		t.Errorf("SetState with learning_rate under a schedule: got %v", err)
	}

	// Slot state given before Build is checked when Build runs.
	o = NewSGD(0.1, 0.9, false)
	if err := o.SetState(without("dense_1.bias.momentum")); err != nil {
		t.Fatal(err)
	}
	err = o.Apply(trainVars(tensor.Float64))
	if err == nil || !strings.Contains(err.Error(), `SGD: restoring state on build: state does not match the optimizer: missing "dense_1.bias.momentum"`) {
		t.Errorf("Apply after SetState with a missing slot: got %v", err)
	}
}

func TestApplyErrors(t *testing.T) {
	built := func() Optimizer {
		o := NewAdam(0.01, 0.9, 0.999, 1e-7, false)
		if err := o.Build(trainVars(tensor.Float32)); err != nil {
			t.Fatal(err)
		}
		return o
	}
	swap := trainVars(tensor.Float32)
	swap[0], swap[1] = swap[1], swap[0]
	wrongShape := trainVars(tensor.Float32)
	wrongShape[1].Value = tensor.Zeros(4)
	wrongGrad := trainVars(tensor.Float32)
	wrongGrad[0].Grad = tensor.New(tensor.Float64, 2, 3)
	noGrads := trainVars(tensor.Float32)
	noGrads[0].Grad, noGrads[1].Grad = nil, nil
	tests := []struct {
		what string
		o    Optimizer
		vars []Variable
		want string
	}{
		{"count", built(), trainVars(tensor.Float32)[:1], "Adam: built for 2 variables, got 1"},
		{"order", built(), swap, `Adam: variable 0 is "dense_1.bias", but the optimizer was built with "dense_1.kernel" in that position`},
		{"shape", built(), wrongShape, `Adam: variable "dense_1.bias": value (4,) float32 does not match the (3,) float32 it was built with`},
		{"grad dtype", built(), wrongGrad, `Adam: variable "dense_1.kernel": gradient (2, 3) float64 does not match its value (2, 3) float32`},
		{"no gradients", built(), noGrads, "Adam: no gradients provided for any variable"},
		{"duplicate names", NewSGD(0.1, 0, false), []Variable{trainVars(tensor.Float32)[0], trainVars(tensor.Float32)[0]},
			`SGD: variables 0 and 1 are both named "dense_1.kernel"`},
		{"no name", NewSGD(0.1, 0, false), []Variable{{Value: tensor.Zeros(1), Grad: tensor.Zeros(1)}}, "SGD: variable 0 has no name"},
	}
	for _, tt := range tests {
		if err := tt.o.Apply(tt.vars); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got error %v, want one containing %q", tt.what, err, tt.want)
		}
	}
}

// TestNilGradientSkipsVariable checks Keras's behaviour for a weight with no
// gradient: it, and its slots, are left alone, while the others update.
func TestNilGradientSkipsVariable(t *testing.T) {
	o := NewSGD(0.1, 0.9, false, WithWeightDecay(0.1))
	vars := trainVars(tensor.Float64)
	fillGrads(vars, 0)
	bias := vars[1].Value.Clone()
	kernel := vars[0].Value.Clone()
	vars[1].Grad = nil
	if err := o.Apply(vars); err != nil {
		t.Fatal(err)
	}
	for k := range bias.Len() {
		if got, want := vars[1].Value.AtFlat(k), bias.AtFlat(k); got != want {
			t.Errorf("bias[%d] without a gradient: got %v, want unchanged %v", k, got, want)
		}
	}
	if vars[0].Value.AtFlat(0) == kernel.AtFlat(0) {
		t.Errorf("kernel[0] with a gradient did not change")
	}
}

func TestSetLearningRate(t *testing.T) {
	o := NewAdam(0.01, 0.9, 0.999, 1e-7, false)
	if err := o.SetLearningRate(0.005); err != nil {
		t.Fatal(err)
	}
	if got := o.LearningRate(); got != 0.005 {
		t.Errorf("LearningRate() after SetLearningRate(0.005) = %v", got)
	}
	if got := o.Config()["learning_rate"]; got != 0.005 {
		t.Errorf("Config()[learning_rate] after SetLearningRate(0.005) = %v", got)
	}
	if err := o.SetLearningRate(-1); err == nil || !strings.Contains(err.Error(), "learning_rate must be a finite number >= 0, got -1") {
		t.Errorf("SetLearningRate(-1): got %v", err)
	}
	s := NewSGD(0.1, 0, false, WithSchedule(&ExponentialDecay{InitialLearningRate: 0.1, DecaySteps: 1, DecayRate: 0.5}))
	if err := s.SetLearningRate(0.01); err == nil || !strings.Contains(err.Error(), "SGD: the learning rate is set by a ExponentialDecay schedule") {
		t.Errorf("SetLearningRate under a schedule: got %v", err)
	}
}

// TestMixedDTypes checks one optimizer updating a float32 and a float64
// variable together, each in its own precision.
func TestMixedDTypes(t *testing.T) {
	a32, a64 := trainVars(tensor.Float32), trainVars(tensor.Float64)
	mixed := []Variable{a32[0], a64[1]}
	o := NewRMSprop(0.01, 0.9, 0.5, 1e-7, true)
	ref32, ref64 := NewRMSprop(0.01, 0.9, 0.5, 1e-7, true), NewRMSprop(0.01, 0.9, 0.5, 1e-7, true)
	b32, b64 := cloneVars(a32), cloneVars(a64)
	for s := range 3 {
		fillGrads(mixed, s)
		fillGrads(b32, s)
		fillGrads(b64, s)
		for _, run := range []struct {
			o    Optimizer
			vars []Variable
		}{{o, mixed}, {ref32, b32}, {ref64, b64}} {
			if err := run.o.Apply(run.vars); err != nil {
				t.Fatal(err)
			}
		}
	}
	assertSameValues(t, "float32 variable in a mixed optimizer", mixed[:1], b32[:1])
	assertSameValues(t, "float64 variable in a mixed optimizer", mixed[1:], b64[1:])
}
