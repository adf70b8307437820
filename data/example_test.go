package data_test

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/deepgo-dev/deepgo/data"
)

func Example() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "flowers.csv")
	csv := "petal_length,petal_width,label\n1.4,0.2,0\n4.7,1.4,1\n6.0,2.5,2\n1.3,0.2,0\n4.5,1.5,1\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		log.Fatal(err)
	}

	ds, err := data.Load("csv:"+path, data.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("features", ds.X.Shape(), "classes", ds.NumClasses)

	train, val, err := ds.Split(0.2) // the last 20% for validation, as Keras does
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("train", train.Len(), "validation", val.Len())

	b, err := data.NewBatcher(train, 3, true, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		log.Fatal(err)
	}
	for i := range b.Steps() {
		x, y := b.Batch(i)
		fmt.Println("batch", i, "x", x.Shape(), "y", y.Shape())
	}
	// Output:
	// features [5 2] classes 3
	// train 4 validation 1
	// batch 0 x [3 2] y [3]
	// batch 1 x [1 2] y [1]
}

func ExampleLoadMNIST() {
	ds, err := data.LoadMNIST("train")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ds.X.Shape(), ds.Y.Shape(), "first label:", ds.Y.At(0))
	// Output: [60000 28 28] [60000] first label: 5
}

func ExampleCheckLabels() {
	ds, err := data.LoadMNIST("test")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(data.CheckLabels(ds.Y, 10))
	fmt.Println(data.CheckLabels(ds.Y, 5))
	// Output:
	// <nil>
	// data: label 7 of sample 0 is out of range [0, 5)
}
