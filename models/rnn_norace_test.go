//go:build !race

package models

// raceDetectorOn reports whether the race detector is on (see
// rnn_race_test.go).
const raceDetectorOn = false
