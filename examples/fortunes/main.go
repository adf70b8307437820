// Command fortunes trains the fortunes example's text classifier with the
// Go API: the same model and data as `deepgo train --example fortunes`.
// With -out DIR it instead writes the example's data to DIR in Keras's
// text_dataset_from_directory layout (one folder per category, one .txt
// file per fortune), for the command line's text:DIR form:
//
//	go run ./examples/fortunes -out fortunes
//	deepgo train --model examples/specs/fortunes.yaml \
//	    --data text:fortunes,validation_split=0.2,subset=training \
//	    --val text:fortunes,validation_split=0.2,subset=validation
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/examples"
	"github.com/deepgo-dev/deepgo/layers"
	"github.com/deepgo-dev/deepgo/losses"
	"github.com/deepgo-dev/deepgo/models"
	"github.com/deepgo-dev/deepgo/optimizers"
)

func main() {
	out := flag.String("out", "", "write the data as a text:DIR folder here instead of training")
	flag.Parse()
	if *out != "" {
		n, err := examples.WriteFortunes(*out)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("wrote %d fortunes to %s (classes: %v)\n", n, *out, examples.FortuneCategories)
		return
	}

	ex, err := examples.Get("fortunes")
	if err != nil {
		log.Fatal(err)
	}
	train, err := data.Load(ex.Train, data.LoadOptions{FS: examples.Files})
	if err != nil {
		log.Fatal(err)
	}
	test, err := data.Load(ex.Test, data.LoadOptions{FS: examples.Files})
	if err != nil {
		log.Fatal(err)
	}

	// One string per sample goes in; the numeric layers see 100 token ids.
	m := models.NewSequential([]int{1},
		layers.NewTextVectorization(100, layers.WithMaxTokens(10000)),
		layers.NewEmbedding(10000, 32, layers.MaskZero()),
		layers.NewGlobalAveragePooling1D(),
		layers.NewDense(5, layers.WithActivation("softmax")),
	)
	loss, err := losses.Get("sparse_categorical_crossentropy", nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Compile(optimizers.NewAdam(0.001, 0.9, 0.999, 1e-7, false), loss, "accuracy"); err != nil {
		log.Fatal(err)
	}
	// Adapt the vocabulary on the training texts, then turn both sets
	// into ids.
	if train, err = m.TextData(train, true); err != nil {
		log.Fatal(err)
	}
	if test, err = m.TextData(test, false); err != nil {
		log.Fatal(err)
	}
	if err := m.SetClassNames(train.ClassNames); err != nil {
		log.Fatal(err)
	}
	if _, err := m.Fit(train.X, train.Y, models.FitOptions{Epochs: 30, BatchSize: 32}); err != nil {
		log.Fatal(err)
	}
	logs, err := m.Evaluate(test.X, test.Y, 1000)
	if err != nil {
		log.Fatal(err)
	}
	acc, _ := logs.Get("accuracy")
	fmt.Printf("test accuracy %.4f\n", acc)

	texts := []string{"Beam me up, Scotty!", "The compiler crashed again.", "The judge sustained the objection."}
	p, err := m.PredictTexts(texts, 0)
	if err != nil {
		log.Fatal(err)
	}
	for i, text := range texts {
		best := 0
		for j := range p.Dim(1) {
			if p.At(i, j) > p.At(i, best) {
				best = j
			}
		}
		fmt.Printf("%-40q %s (%.2f)\n", text, m.ClassNames()[best], p.At(i, best))
	}
	if err := m.Save("fortunes.deepgo"); err != nil {
		log.Fatal(err)
	}
}
