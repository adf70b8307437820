package data

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// writeTree creates files (path → content) under a new temporary folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func labels(ds *Dataset) []int {
	var out []int
	for i := range ds.Y.Len() {
		out = append(out, int(ds.Y.AtFlat(i)))
	}
	return out
}

var textTree = map[string]string{
	"pos/1.txt":          "Great film",
	"pos/sub/2.TXT":      "loved it",
	"pos/notes.md":       "not a sample",
	"neg/a.txt":          "bad \xff film",
	"neg/.hidden/x.txt":  "skipped",
	".git/HEAD.txt":      "not a class",
	"README.txt":         "ignored when there are class folders, as in Keras",
	"empty_class/.keep":  "",
	"neg/b.txt":          "",
	"neg/c.txt":          "boring",
	"pos/3.txt":          "fine",
	"pos/sub/deep/4.txt": "superb",
}

func TestLoadText(t *testing.T) {
	dir := writeTree(t, textTree)
	ds, err := Load("text:"+dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Classes sorted: empty_class 0, neg 1, pos 2; files by path.
	wantTexts := []string{"bad \uFFFD film", "", "boring", "Great film", "fine", "loved it", "superb"}
	if !reflect.DeepEqual(ds.Texts, wantTexts) {
		t.Errorf("texts %q, want %q", ds.Texts, wantTexts)
	}
	if got, want := labels(ds), []int{1, 1, 1, 2, 2, 2, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("labels %v, want %v", got, want)
	}
	if want := []string{"empty_class", "neg", "pos"}; !reflect.DeepEqual(ds.ClassNames, want) || ds.NumClasses != 3 {
		t.Errorf("classes %q (%d), want %q", ds.ClassNames, ds.NumClasses, want)
	}
	if ds.X != nil || ds.Source != "text:"+dir {
		t.Errorf("X %v, source %q", ds.X, ds.Source)
	}
	s := ds.Slice(3, 5)
	if !reflect.DeepEqual(s.Texts, []string{"Great film", "fine"}) || s.Y.Len() != 2 || len(s.ClassNames) != 3 {
		t.Errorf("Slice(3, 5): %q %v %q", s.Texts, s.Y, s.ClassNames)
	}

	// The same tree from an fs.FS.
	fsys := fstest.MapFS{}
	for p, c := range textTree {
		fsys["data/"+p] = &fstest.MapFile{Data: []byte(c)}
	}
	ds2, err := Load("text:data", LoadOptions{FS: fsys})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ds2.Texts, ds.Texts) || !reflect.DeepEqual(labels(ds2), labels(ds)) {
		t.Errorf("from an fs.FS: %q %v", ds2.Texts, labels(ds2))
	}

	// No class folders: unlabeled samples.
	flat := writeTree(t, map[string]string{"b.txt": "two", "a.txt": "one", "c.csv": "x"})
	ds, err = LoadText(flat)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ds.Texts, []string{"one", "two"}) || ds.Y != nil || ds.ClassNames != nil {
		t.Errorf("flat folder: %q, Y %v", ds.Texts, ds.Y)
	}
}

func TestLoadTextSplit(t *testing.T) {
	files := map[string]string{}
	for i := range 25 {
		class := []string{"a", "b", "c"}[i%3]
		files[class+"/"+strings.Repeat("x", i+1)+".txt"] = class + strings.Repeat("x", i+1)
	}
	dir := writeTree(t, files)
	load := func(settings string) *Dataset {
		t.Helper()
		ds, err := Load("text:"+dir+settings, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	train := load(",validation_split=0.2,subset=training")
	val := load(",subset=validation,validation_split=0.2")
	if len(train.Texts) != 20 || len(val.Texts) != 5 { // int(0.2·25) = 5 held out
		t.Fatalf("split sizes %d + %d, want 20 + 5", len(train.Texts), len(val.Texts))
	}
	all := append(slices.Clone(train.Texts), val.Texts...)
	slices.Sort(all)
	if len(slices.Compact(all)) != 25 {
		t.Errorf("training and validation overlap or miss files")
	}
	for _, ds := range []*Dataset{train, val} {
		for i, text := range ds.Texts {
			if want := ds.ClassNames[int(ds.Y.AtFlat(i))]; !strings.HasPrefix(text, want) {
				t.Errorf("%s: text %q carries label %s", ds.Source, text, want)
			}
		}
	}
	if again := load(",validation_split=0.2,subset=validation"); !reflect.DeepEqual(again.Texts, val.Texts) {
		t.Errorf("the same settings gave another split")
	}
	if other := load(",validation_split=0.2,subset=validation,seed=7"); reflect.DeepEqual(other.Texts, val.Texts) {
		t.Errorf("seed 7 gave the split of the default seed")
	}
}

func TestLoadTextErrors(t *testing.T) {
	dir := writeTree(t, map[string]string{"file.txt": "x", "empty/a/readme.md": "x", "one/a/1.txt": "x"})
	cases := []struct{ form, want string }{
		{"text:" + filepath.Join(dir, "missing"), "text folder " + filepath.Join(dir, "missing") + ": no such file"},
		{"text:" + filepath.Join(dir, "file.txt"), "is a file"},
		{"text:" + filepath.Join(dir, "empty"), "empty text folder " + filepath.Join(dir, "empty") + ": no .txt files in its class sub-folders (a)"},
		{"text:" + filepath.Join(dir, "empty", "a"), "empty text folder"},
		{"text:", "want text:DIR"},
		{"text:" + dir + ",validation_split=0.2", "go together"},
		{"text:" + dir + ",validation_split=2,subset=training", "validation_split=2"},
		{"text:" + dir + ",subset=test,validation_split=0.5", "subset=test"},
		{"text:" + dir + ",shuffle=false", `unknown setting "shuffle"`},
		{"text:" + filepath.Join(dir, "one") + ",validation_split=0.5,subset=training", "too few"},
		{"lines:" + filepath.Join(dir, "nothing.txt"), "no such file"},
		{"lines:", "want lines:FILE"},
	}
	for _, c := range cases {
		_, err := Load(c.form, LoadOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%q): error %v, want one containing %q", c.form, err, c.want)
		}
	}
}

func TestLoadLines(t *testing.T) {
	dir := writeTree(t, map[string]string{"docs": "first line\n\nthird\r\n", "empty": "\n"})
	ds, err := Load("lines:"+filepath.Join(dir, "docs"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"first line", "", "third"}; !reflect.DeepEqual(ds.Texts, want) || ds.Y != nil {
		t.Errorf("texts %q, want %q", ds.Texts, want)
	}
	if _, err := LoadLines(filepath.Join(dir, "empty")); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("empty file: error %v", err)
	}
}

// FuzzTextForm feeds arbitrary text: forms over a small in-memory folder:
// Load must return a dataset or an error, never panic, and a dataset's
// labels must name its classes.
func FuzzTextForm(f *testing.F) {
	fsys := fstest.MapFS{}
	for i := range 7 {
		fsys[fmt.Sprintf("d/%c/%d.txt", 'a'+rune(i%2), i)] = &fstest.MapFile{Data: []byte("text")}
	}
	for _, s := range []string{"d", "d,validation_split=0.3,subset=training", "d,seed=3,subset=validation,validation_split=0.5",
		"d/a", "d,,", "d,seed=-1", "d,validation_split=NaN,subset=training", "../d", "/d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, form string) {
		ds, err := Load("text:"+form, LoadOptions{FS: fsys})
		if err != nil {
			return
		}
		if ds.Y != nil {
			for i := range ds.Y.Len() {
				if l := int(ds.Y.AtFlat(i)); l < 0 || l >= len(ds.ClassNames) || len(ds.Texts) != ds.Y.Len() {
					t.Fatalf("label %d of %d texts, classes %q", l, len(ds.Texts), ds.ClassNames)
				}
			}
		}
	})
}
