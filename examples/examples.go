// Package examples holds deepgo's built-in examples: a spec file (in
// specs/, embedded here) and the data it trains and is tested on. The
// command line lists them with `deepgo examples` and trains one with
// `deepgo train --example NAME`.
package examples

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

//go:embed specs/*.yaml
var specs embed.FS

//go:embed data
var dataFiles embed.FS

// Files holds the examples' own data files, the folder examples/data built
// into the program. The file paths in the examples' Train and Test forms
// are paths inside it, so pass it as data.LoadOptions.FS when loading them:
// the examples then run from any directory.
// It also holds the fortunes example's text:DIR tree, made from the
// committed category files (see fortunes.go).
var Files fs.FS = withFortunes(mustSub(dataFiles, "data"))

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // dir is a literal embedded above
	}
	return sub
}

// Example is a built-in model with its data.
type Example struct {
	Name        string
	Description string
	SpecFile    string // path inside specs/
	Train, Test string // data specifications (INTERFACE.md DATA forms)
}

// All lists the built-in examples.
var All = []Example{
	{
		Name:        "mnist-mlp",
		Description: "the course's DNN on MNIST: Flatten → Dense 256 → ReLU → Dense 128 ReLU → Dense 10 → Softmax; Adam; 5 epochs",
		SpecFile:    "specs/mnist-mlp.yaml",
		Train:       "mnist:train",
		Test:        "mnist:test",
	},
	{
		Name:        "mnist-cnn",
		Description: "Keras's simple MNIST convnet: Conv2D 32 → MaxPooling2D → Conv2D 64 → MaxPooling2D → Flatten → Dropout 0.5 → Dense 10 softmax; Adam; 3 epochs",
		SpecFile:    "specs/mnist-cnn.yaml",
		Train:       "mnist:train",
		Test:        "mnist:test",
	},
	{
		Name:        "mnist-lstm",
		Description: "each image as 28 rows of 28 features: LSTM 128 → Dense 10 softmax; Adam (learning rate 2e-3); 3 epochs",
		SpecFile:    "specs/mnist-lstm.yaml",
		Train:       "mnist:train",
		Test:        "mnist:test",
	},
	{
		Name:        "sunspots",
		Description: "forecast next year's sunspot number (NOAA, 1700–2008) from the last 12: LSTM 32 → Dense 1; mse; train 1700–1946, test 1947–2008",
		SpecFile:    "specs/sunspots.yaml",
		Train:       "series:sunspots/sunspots.csv,window=12,column=SUNACTIVITY,scale=standard,validation_split=0.2,subset=training",
		Test:        "series:sunspots/sunspots.csv,window=12,column=SUNACTIVITY,scale=standard,validation_split=0.2,subset=validation",
	},
	{
		Name:        "fortunes",
		Description: "the topic of a fortune cookie (computers, food, law, science, startrek; BSD fortune-mod): TextVectorization → Embedding 32 (mask_zero) → GlobalAveragePooling1D → Dense 5 softmax; Adam; 30 epochs; tested on a held-out 20 %",
		SpecFile:    "specs/fortunes.yaml",
		Train:       "text:fortunes/texts,validation_split=0.2,subset=training",
		Test:        "text:fortunes/texts,validation_split=0.2,subset=validation",
	},
}

// Get returns the example called name.
func Get(name string) (Example, error) {
	var names []string
	for _, e := range All {
		if e.Name == name {
			return e, nil
		}
		names = append(names, e.Name)
	}
	return Example{}, fmt.Errorf("unknown example %q (known: %s)", name, strings.Join(names, ", "))
}

// Spec returns the example's spec file contents.
func (e Example) Spec() ([]byte, error) { return specs.ReadFile(e.SpecFile) }
