package examples

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing/fstest"
)

// The fortunes example classifies short texts by topic: the fortune
// cookies of five categories of the BSD fortune-mod data (Debian's
// fortunes package, BSD licence; see data/fortunes/README.md). The category
// files are committed as they ship, one file per category with the
// fortunes separated by lines holding a single "%". The example reads them
// in Keras's text_dataset_from_directory layout, one .txt file per fortune
// and one folder per category:
//
//	fortunes/texts/computers/0000.txt
//	fortunes/texts/computers/0001.txt
//	…
//	fortunes/texts/startrek/0226.txt
//
// Files serves that tree, built in memory from the category files, so the
// example's forms (text:fortunes/texts,validation_split=0.2,subset=…) work
// from any directory; WriteFortunes writes it to disk for the text:DIR
// form of the command line (go run ./examples/fortunes -out DIR).

// FortuneCategories are the categories the example uses, in label order
// (text_dataset_from_directory sorts the class folders).
var FortuneCategories = []string{"computers", "food", "law", "science", "startrek"}

// FortunesDir is the tree's folder inside Files.
const FortunesDir = "fortunes/texts"

// ParseFortunes splits the contents of a fortune file into its fortunes:
// the texts between lines holding a single "%", each with its lines'
// newlines; empty fortunes are dropped.
func ParseFortunes(file string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if strings.TrimSpace(cur.String()) != "" {
			out = append(out, cur.String())
		}
		cur.Reset()
	}
	for _, line := range strings.SplitAfter(file, "\n") {
		if strings.TrimRight(line, "\r\n") == "%" {
			flush()
			continue
		}
		cur.WriteString(line)
	}
	flush()
	return out
}

// WriteFortunes writes the fortunes' text:DIR tree (one folder per
// category, one .txt file per fortune) under dir, for the command line's
// text:DIR form, and returns the number of files written.
func WriteFortunes(dir string) (int, error) {
	n := 0
	err := fs.WalkDir(Files, FortunesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Files, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p, FortunesDir+"/")))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		n++
		return os.WriteFile(dst, b, 0o644)
	})
	return n, err
}

// fortuneTree builds the text:DIR tree of the categories found in src
// (the embedded data folder).
func fortuneTree(src fs.FS) (fstest.MapFS, error) {
	tree := fstest.MapFS{}
	for _, c := range FortuneCategories {
		b, err := fs.ReadFile(src, path.Join("fortunes", c))
		if err != nil {
			return nil, fmt.Errorf("examples: fortunes: %w", err)
		}
		for i, f := range ParseFortunes(string(b)) {
			tree[fmt.Sprintf("%s/%s/%04d.txt", FortunesDir, c, i)] = &fstest.MapFile{Data: []byte(f), Mode: 0o444}
		}
	}
	return tree, nil
}

// withFortunes adds the fortunes' tree, built on first use, to fsys under
// FortunesDir.
func withFortunes(fsys fs.FS) fs.FS { return &fortuneFS{base: fsys} }

type fortuneFS struct {
	base fs.FS
	once sync.Once
	tree fstest.MapFS
	err  error
}

func (f *fortuneFS) Open(name string) (fs.File, error) {
	if name != FortunesDir && !strings.HasPrefix(name, FortunesDir+"/") {
		return f.base.Open(name)
	}
	f.once.Do(func() { f.tree, f.err = fortuneTree(f.base) })
	if f.err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: f.err}
	}
	return f.tree.Open(name)
}
