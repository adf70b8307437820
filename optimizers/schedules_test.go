package optimizers

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestScheduleValues checks every schedule against values computed by hand
// from Keras's documented formulas (the comment on each row shows the sum).
func TestScheduleValues(t *testing.T) {
	exp := &ExponentialDecay{InitialLearningRate: 0.1, DecaySteps: 10, DecayRate: 0.5}
	expStair := &ExponentialDecay{InitialLearningRate: 0.1, DecaySteps: 10, DecayRate: 0.5, Staircase: true}
	inv := &InverseTimeDecay{InitialLearningRate: 0.1, DecaySteps: 10, DecayRate: 1}
	invStair := &InverseTimeDecay{InitialLearningRate: 0.1, DecaySteps: 10, DecayRate: 1, Staircase: true}
	piece := &PiecewiseConstantDecay{Boundaries: []int64{10, 20}, Values: []float64{1, 0.5, 0.1}}
	cos := &CosineDecay{InitialLearningRate: 1, DecaySteps: 10}
	cosAlpha := &CosineDecay{InitialLearningRate: 1, DecaySteps: 10, Alpha: 0.2}
	warm := &CosineDecay{InitialLearningRate: 0, DecaySteps: 10, WarmupTarget: 1, WarmupSteps: 4}
	tests := []struct {
		s    Schedule
		step int64
		want float64
	}{
		{exp, 0, 0.1},                  // 0.1 * 0.5^0
		{exp, 5, 0.1 * math.Sqrt(0.5)}, // 0.1 * 0.5^(5/10)
		{exp, 10, 0.05},                // 0.1 * 0.5^1
		{expStair, 15, 0.05},           // 0.1 * 0.5^floor(1.5)
		{expStair, 20, 0.025},          // 0.1 * 0.5^2
		{inv, 5, 0.1 / 1.5},            // 0.1 / (1 + 1*5/10)
		{inv, 10, 0.05},                // 0.1 / (1 + 1)
		{invStair, 15, 0.05},           // 0.1 / (1 + floor(1.5))
		{piece, 0, 1},                  // step <= 10
		{piece, 10, 1},                 // boundaries are inclusive: step <= 10
		{piece, 11, 0.5},               // 10 < step <= 20
		{piece, 20, 0.5},               // step <= 20
		{piece, 21, 0.1},               // after the last boundary
		{cos, 0, 1},                    // 0.5*(1+cos 0)
		{cos, 5, 0.5},                  // 0.5*(1+cos(pi/2))
		{cos, 10, 0},                   // 0.5*(1+cos pi)
		{cos, 50, 0},                   // step clamped to decay_steps
		{cosAlpha, 5, 0.6},             // (1-0.2)*0.5 + 0.2
		{cosAlpha, 10, 0.2},            // (1-0.2)*0 + 0.2
		{warm, 0, 0},                   // warmup starts at initial_learning_rate
		{warm, 2, 0.5},                 // (1-0)*(2/4) + 0
		{warm, 4, 1},                   // decay starts at warmup_target
		{warm, 9, 0.5},                 // cos(pi*5/10) halfway through the decay
		{warm, 14, 0},                  // end of decay
		{warm, 100, 0},                 // clamped to warmup_steps + decay_steps
		{&CosineDecay{InitialLearningRate: 2, DecaySteps: 4, Alpha: 0.5}, 2, 1.5}, // 2*((1-0.5)*0.5+0.5)
	}
	for _, tt := range tests {
		if got := tt.s.At(tt.step); math.Abs(got-tt.want) > 1e-15 {
			t.Errorf("%s%v.At(%d) = %.17g, want %.17g", tt.s.ClassName(), tt.s.Config(), tt.step, got, tt.want)
		}
	}
}

// TestScheduleRoundTrip serializes each schedule, sends it through JSON and
// reads it back: the config must survive unchanged.
func TestScheduleRoundTrip(t *testing.T) {
	for _, s := range []Schedule{
		&ExponentialDecay{InitialLearningRate: 0.1, DecaySteps: 1000, DecayRate: 0.96, Staircase: true},
		&InverseTimeDecay{InitialLearningRate: 0.1, DecaySteps: 1, DecayRate: 0.5},
		&PiecewiseConstantDecay{Boundaries: []int64{100, 200}, Values: []float64{0.1, 0.01, 0.001}},
		&CosineDecay{InitialLearningRate: 0.1, DecaySteps: 1000, Alpha: 0.01},
		&CosineDecay{InitialLearningRate: 0, DecaySteps: 1000, WarmupTarget: 0.1, WarmupSteps: 100},
	} {
		data, err := json.Marshal(SerializeSchedule(s))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		got, err := ScheduleFromConfig(m)
		if err != nil {
			t.Fatalf("ScheduleFromConfig(%s): %v", data, err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Errorf("round trip of %s: got %#v, want %#v", data, got, s)
		}
	}
}

// TestScheduleKerasWarmupForms checks the two CosineDecay configs Keras
// accepts that have no field of their own here.
func TestScheduleKerasWarmupForms(t *testing.T) {
	tests := []struct {
		args map[string]any
		want CosineDecay
	}{
		// warmup_target None: Keras skips warmup and ignores warmup_steps.
		{map[string]any{"initial_learning_rate": 0.1, "decay_steps": 10, "warmup_target": nil, "warmup_steps": 5},
			CosineDecay{InitialLearningRate: 0.1, DecaySteps: 10}},
		// warmup_target set, warmup_steps 0: Keras decays from warmup_target.
		{map[string]any{"initial_learning_rate": 0.1, "decay_steps": 10, "warmup_target": 0.3},
			CosineDecay{InitialLearningRate: 0.3, DecaySteps: 10}},
	}
	for _, tt := range tests {
		got, err := GetSchedule("CosineDecay", tt.args)
		if err != nil {
			t.Fatalf("GetSchedule(CosineDecay, %v): %v", tt.args, err)
		}
		if *got.(*CosineDecay) != tt.want {
			t.Errorf("GetSchedule(CosineDecay, %v) = %+v, want %+v", tt.args, *got.(*CosineDecay), tt.want)
		}
	}
}

func TestGetScheduleErrors(t *testing.T) {
	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"StepDecay", nil, `unknown schedule "StepDecay" (valid: ExponentialDecay, CosineDecay, PiecewiseConstantDecay, InverseTimeDecay)`},
		{"ExponentialDecay", map[string]any{"initial_learning_rate": 0.1, "decay_rate": 0.5}, "missing argument decay_steps"},
		{"ExponentialDecay", map[string]any{"initial_learning_rate": 0.1, "decay_steps": 0, "decay_rate": 0.5}, "decay_steps must be > 0, got 0"},
		{"exponential_decay", map[string]any{"initial_learning_rate": 0.1, "decay_steps": 1, "decay_rate": 0.5, "decay": 1},
			`unknown argument "decay" (valid: initial_learning_rate, decay_steps, decay_rate, staircase)`},
		{"InverseTimeDecay", map[string]any{"initial_learning_rate": "0.1", "decay_steps": 1, "decay_rate": 0.5},
			`argument initial_learning_rate: want a number, got "0.1"`},
		{"PiecewiseConstantDecay", map[string]any{"boundaries": []any{10}, "values": []any{1.0}},
			"values must have one more element than boundaries, got 1 boundaries and 1 values"},
		{"PiecewiseConstantDecay", map[string]any{"boundaries": []any{10, 5}, "values": []any{1, 2, 3}},
			"boundaries must be strictly increasing, got [10 5]"},
		{"PiecewiseConstantDecay", map[string]any{"boundaries": []any{2.5}, "values": []any{1, 2}},
			"argument boundaries[0]: want a whole number of steps, got 2.5"},
		{"PiecewiseConstantDecay", map[string]any{"boundaries": 10, "values": []any{1, 2}},
			"argument boundaries: want a list of numbers, got 10 (int)"},
		{"CosineDecay", map[string]any{"initial_learning_rate": 0.1, "decay_steps": 10, "alpha": -1}, "alpha must be a finite number >= 0, got -1"},
	}
	for _, tt := range tests {
		_, err := GetSchedule(tt.name, tt.args)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("GetSchedule(%q, %v): got error %v, want one containing %q", tt.name, tt.args, err, tt.want)
		}
	}
}
