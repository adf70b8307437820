package examples_test

import (
	"io/fs"
	"reflect"
	"slices"
	"testing"

	"github.com/deepgo-dev/deepgo/data"
	"github.com/deepgo-dev/deepgo/examples"
)

func TestParseFortunes(t *testing.T) {
	got := examples.ParseFortunes("one\nline two\n%\n%\nthree\n%\r\n\n%\nfour")
	want := []string{"one\nline two\n", "three\n", "four"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseFortunes = %q, want %q", got, want)
	}
}

// TestFortunesData checks the example's data: the number of fortunes of
// each category (counted with Python: re.split(r"^%$", text, flags=re.M),
// non-empty parts, on Debian's fortunes 1:1.99.1-7.3), the text:DIR tree
// served by Files, its split, and the same tree written to disk.
func TestFortunesData(t *testing.T) {
	counts := map[string]int{"computers": 1051, "food": 198, "law": 206, "science": 625, "startrek": 227}
	for _, c := range examples.FortuneCategories {
		files, err := fs.ReadDir(examples.Files, examples.FortunesDir+"/"+c)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != counts[c] {
			t.Errorf("%s: %d fortunes, want %d", c, len(files), counts[c])
		}
	}
	ex, err := examples.Get("fortunes")
	if err != nil {
		t.Fatal(err)
	}
	train, test := loadData(t, ex.Train), loadData(t, ex.Test)
	if !reflect.DeepEqual(train.ClassNames, examples.FortuneCategories) {
		t.Errorf("class names %q", train.ClassNames)
	}
	if len(test.Texts) != 461 || len(train.Texts) != 2307-461 { // int(0.2·2307) held out
		t.Errorf("split %d + %d, want 1846 + 461", len(train.Texts), len(test.Texts))
	}

	dir := t.TempDir()
	n, err := examples.WriteFortunes(dir)
	if err != nil || n != 2307 {
		t.Fatalf("WriteFortunes: %d files, %v", n, err)
	}
	disk, err := data.Load("text:"+dir, data.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all := loadData(t, "text:"+examples.FortunesDir)
	if !reflect.DeepEqual(disk.Texts, all.Texts) || !reflect.DeepEqual(disk.ClassNames, all.ClassNames) {
		t.Errorf("the tree written to disk reads back differently")
	}
}

// TestFortunesBeatsMajority trains the fortunes example as `deepgo train
// --example fortunes` does (its spec, data forms and the default seed) and
// checks that its test accuracy clearly beats always answering the most
// frequent class of the training data. Run it with -v to see both.
func TestFortunesBeatsMajority(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the example")
	}
	ex, _ := examples.Get("fortunes")
	s, m := specModel(t, ex)
	load := func(form string, adapt bool) *data.Dataset {
		t.Helper()
		ds, err := m.TextData(loadData(t, form), adapt)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	train, test := load(ex.Train, true), load(ex.Test, false)
	logs := fitEvaluate(t, m, s, train, test)
	acc, _ := logs.Get("accuracy")
	freq := make([]int, len(train.ClassNames))
	for i := range train.Y.Len() {
		freq[int(train.Y.AtFlat(i))]++
	}
	major := slices.Index(freq, slices.Max(freq))
	hits := 0
	for i := range test.Y.Len() {
		if int(test.Y.AtFlat(i)) == major {
			hits++
		}
	}
	baseline := float64(hits) / float64(test.Y.Len())
	t.Logf("test accuracy %.4f; majority class (%s) %.4f", acc, train.ClassNames[major], baseline)
	if acc < baseline+0.15 {
		t.Errorf("test accuracy %.4f does not clearly beat the majority baseline %.4f", acc, baseline)
	}
}
