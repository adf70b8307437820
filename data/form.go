package data

import (
	"fmt"
	"strconv"
)

// The series: and text: forms share Keras's split settings; these read
// them, with the same messages for both forms.

// parseValidationSplit reads validation_split=v of form: a fraction
// strictly between 0 and 1.
func parseValidationSplit(form, v string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f > 0 && f < 1) {
		return f, fmt.Errorf("data: %q: validation_split=%s: want a fraction between 0 and 1 (exclusive)", form, v)
	}
	return f, nil
}

// parseSubset reads subset=v of form: "training" or "validation".
func parseSubset(form, v string) (string, error) {
	if v != "training" && v != "validation" {
		return v, fmt.Errorf("data: %q: subset=%s: want subset=training or subset=validation", form, v)
	}
	return v, nil
}
