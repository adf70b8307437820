//go:build !race

package layers_test

// raceEnabled reports whether the race detector is on (see conv_race_test.go).
const raceEnabled = false
