package spec

import (
	"regexp"
	"strings"
)

var (
	nonWord    = regexp.MustCompile(`[^\p{L}\p{N}_]+`)
	capWord    = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	lowerUpper = regexp.MustCompile(`([a-z])([A-Z])`)
)

// snakeAliases maps the few names where Keras's mechanical conversion splits
// an acronym to the names Keras users actually type: the activation functions
// relu and leaky_relu, and the optimizer keys Keras itself looks up
// (keras.optimizers.get uses the lower-cased class name, "rmsprop", "adamw").
var snakeAliases = map[string]string{
	"re_lu":             "relu",
	"leaky_re_lu":       "leaky_relu",
	"p_re_lu":           "prelu",
	"thresholded_re_lu": "thresholded_relu",
	"rm_sprop":          "rmsprop",
	"adam_w":            "adamw",
}

// SnakeCase converts a Keras class name to the snake_case name deepgo's
// registries use: "Dense" becomes "dense", "MaxPooling2D" "max_pooling2d",
// "BatchNormalization" "batch_normalization", and a name already in
// snake_case is returned unchanged.
//
// It follows Keras's to_snake_case (keras/src/utils/naming.py): drop
// non-word characters, put "_" before each capitalised word that follows
// another character, put "_" between a lower-case letter and a capital, and
// lower-case the result. Where that splits an acronym (ReLU becomes re_lu,
// RMSprop rm_sprop) a fixed table restores the name Keras users type:
// relu, leaky_relu, prelu, thresholded_relu, rmsprop and adamw.
// Registries should pass their own keys through SnakeCase too, so that both
// sides agree.
func SnakeCase(name string) string {
	name = KerasSnakeCase(name)
	if alias, ok := snakeAliases[name]; ok {
		return alias
	}
	return name
}

// KerasSnakeCase is Keras's to_snake_case exactly, without SnakeCase's
// alias table: the base of automatic layer names, so a ReLU layer is called
// "re_lu" as in Keras's model summary.
func KerasSnakeCase(name string) string {
	name = nonWord.ReplaceAllString(name, "")
	name = capWord.ReplaceAllString(name, "${1}_${2}")
	return strings.ToLower(lowerUpper.ReplaceAllString(name, "${1}_${2}"))
}

// validName reports whether name may be a layer, optimizer, loss or metric
// name in a spec: a letter followed by letters, digits and underscores.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || r != '_' && (r < '0' || r > '9')) {
			return false
		}
	}
	return true
}

// suggest returns ` (did you mean "x"?)` when one of the candidates is within
// a small edit distance of got, and "" otherwise.
func suggest(got string, candidates []string) string {
	best, bestDist := "", 3 // more than 2 edits is rarely a typo
	for _, c := range candidates {
		if d := editDistance(got, c); d < bestDist && d < len(c) {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return ` (did you mean "` + best + `"?)`
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
