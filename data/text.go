package data

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/deepgo-dev/deepgo/tensor"
)

// TextForm is the syntax of the text: data form, which [Load] reads with
// [LoadTextFS]. Its optional settings, comma-separated after the folder,
// are those of Keras's text_dataset_from_directory:
//
//   - validation_split=F, subset=training|validation: shuffle the files
//     with the seed, hold out the last int(F·n) of them as the validation
//     subset and keep the rest as the training subset. Two forms that
//     differ only in subset never share a file. Each subset keeps the
//     folder's order (by class, then path), which is easier to read back
//     than Keras's shuffled order; Fit shuffles anyway.
//   - seed=N (default 1337): the shuffle's seed. The same seed gives the
//     same split on every machine; it is not the split Keras's NumPy
//     shuffle makes for that seed.
//
// For example, 80 % of a folder for training and 20 % for validation:
//
//	text:reviews,validation_split=0.2,subset=training
//	text:reviews,validation_split=0.2,subset=validation
const TextForm = `text:DIR[,validation_split=F,subset=training|validation][,seed=N]`

// defaultTextSeed is the seed of text:DIR,validation_split=F when none is
// given (1337, the seed of Keras's text classification examples).
const defaultTextSeed = 1337

// LoadText reads a folder of text files from the operating system's files;
// see [LoadTextFS].
func LoadText(dir string) (*Dataset, error) { return LoadTextFS(nil, dir) }

// LoadTextFS reads the folder dir of fsys (of the operating system's files
// when fsys is nil), laid out as Keras's text_dataset_from_directory wants:
//
//	DIR/
//	  class_a/  a_1.txt  a_2.txt …
//	  class_b/  b_1.txt …
//
// Each sub-folder is a class; the classes, in alphanumeric (byte) order,
// get the labels 0, 1, …, k−1 and are the Dataset's ClassNames. Every file
// whose name ends in ".txt" (in any case, as Keras's formats=(".txt",)),
// at any depth inside a class folder, is one sample; other files are
// skipped, and so are names starting with "." (a ".git" folder is not a
// class). Samples come in a fixed order: by class, then by path.
//
// A folder with .txt files and no sub-folders is read as unlabeled samples
// (Y nil, for predict), in file-name order.
//
// Files are read as UTF-8; bytes that are not valid UTF-8 become U+FFFD,
// so that a model's vocabulary survives the round trip through its JSON
// config unchanged. The texts go to Dataset.Texts and X stays nil: the
// model's TextVectorization layer turns them into ids.
func LoadTextFS(fsys fs.FS, dir string) (*Dataset, error) {
	root, show := dir, func(p string) string { return path.Clean(p) }
	if fsys == nil {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("data: text folder %s: %w", dir, unwrapPath(err))
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("data: text:%s is a file, want a folder with one sub-folder per class", dir)
		}
		fsys, root = os.DirFS(dir), "."
		show = func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }
	}
	info, err := fs.Stat(fsys, root)
	if err != nil {
		return nil, fmt.Errorf("data: text folder %s: %w", dir, unwrapPath(err))
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("data: text:%s is a file, want a folder with one sub-folder per class", dir)
	}
	entries, err := fs.ReadDir(fsys, root) // sorted by name
	if err != nil {
		return nil, fmt.Errorf("data: text folder %s: %w", dir, unwrapPath(err))
	}
	var classes, topFiles []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := path.Join(root, e.Name())
		if st, err := fs.Stat(fsys, p); err == nil && st.IsDir() { // a link to a folder counts, as in Keras
			classes = append(classes, e.Name())
		} else if err == nil && isText(e.Name()) {
			topFiles = append(topFiles, p)
		}
	}
	ds := &Dataset{Source: "text:" + dir}
	if len(classes) == 0 {
		if len(topFiles) == 0 {
			return nil, fmt.Errorf("data: empty text folder %s: no class sub-folders and no .txt files", dir)
		}
		ds.Texts, err = readTexts(fsys, topFiles, show)
		return ds, err
	}
	var labels []float32
	for label, class := range classes {
		files, err := textFiles(fsys, path.Join(root, class), show)
		if err != nil {
			return nil, err
		}
		texts, err := readTexts(fsys, files, show)
		if err != nil {
			return nil, err
		}
		ds.Texts = append(ds.Texts, texts...)
		for range texts {
			labels = append(labels, float32(label))
		}
	}
	if len(ds.Texts) == 0 {
		return nil, fmt.Errorf("data: empty text folder %s: no .txt files in its class sub-folders (%s)", dir, strings.Join(classes, ", "))
	}
	ds.Y = tensor.FromFloat32(labels, len(labels))
	ds.ClassNames = classes
	ds.NumClasses = len(classes)
	return ds, nil
}

// loadTextForm reads the text: form described at [TextForm].
func loadTextForm(form string, opt LoadOptions) (*Dataset, error) {
	parts := strings.Split(strings.TrimPrefix(form, "text:"), ",")
	dir := parts[0]
	if dir == "" {
		return nil, fmt.Errorf("data: %q: want %s", form, TextForm)
	}
	var (
		split  float64
		subset string
		seed   uint64 = defaultTextSeed
		seen          = map[string]bool{}
	)
	for _, kv := range parts[1:] {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || v == "" || seen[k] {
			return nil, fmt.Errorf("data: %q: %q is not a setting key=value given once (keys: validation_split, subset, seed)", form, kv)
		}
		seen[k] = true
		var err error
		switch k {
		case "validation_split":
			if split, err = parseValidationSplit(form, v); err != nil {
				return nil, err
			}
		case "subset":
			if subset, err = parseSubset(form, v); err != nil {
				return nil, err
			}
		case "seed":
			if seed, err = strconv.ParseUint(v, 10, 64); err != nil {
				return nil, fmt.Errorf("data: %q: seed=%s: want a non-negative integer", form, v)
			}
		default:
			return nil, fmt.Errorf("data: %q: unknown setting %q (keys: validation_split, subset, seed)", form, k)
		}
	}
	if (split > 0) != (subset != "") {
		return nil, fmt.Errorf("data: %q: validation_split=F and subset=training|validation go together", form)
	}
	ds, err := LoadTextFS(opt.FS, dir)
	if err != nil || split == 0 {
		return ds, err
	}
	n := len(ds.Texts)
	nVal := int(split * float64(n)) // Keras's int(validation_split * len(samples))
	if nVal == 0 || nVal == n {
		return nil, fmt.Errorf("data: %q: %d files are too few to split with validation_split=%v", form, n, split)
	}
	perm := rand.New(rand.NewPCG(seed, 0x7e47)).Perm(n)
	keep := perm[:n-nVal]
	if subset == "validation" {
		keep = perm[n-nVal:]
	}
	slices.Sort(keep)
	out := &Dataset{Source: form, ClassNames: ds.ClassNames, NumClasses: ds.NumClasses}
	var labels []float32
	for _, i := range keep {
		out.Texts = append(out.Texts, ds.Texts[i])
		if ds.Y != nil {
			labels = append(labels, ds.Y.Float32s()[i])
		}
	}
	if ds.Y != nil {
		out.Y = tensor.FromFloat32(labels, len(labels))
	}
	return out, nil
}

// LoadLines reads a UTF-8 text file holding one document per line, for
// predicting on texts without a folder; Y is nil. Every line is a sample,
// empty ones included, so that output row i belongs to line i+1; the
// newline ending the last line does not start another one. A trailing
// "\r" (Windows line ends) is dropped. /dev/stdin reads standard input.
func LoadLines(path string) (*Dataset, error) { return loadLines(nil, path) }

func loadLines(fsys fs.FS, path string) (*Dataset, error) {
	b, err := readDataFile(fsys, path)
	if err != nil {
		return nil, err
	}
	s := strings.TrimSuffix(strings.ToValidUTF8(string(b), "\uFFFD"), "\n")
	if s == "" {
		return nil, fmt.Errorf("data: %s is empty: want one document per line", path)
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return &Dataset{Texts: lines, Source: "lines:" + path}, nil
}

// textFiles lists the .txt files under dir, at any depth, in path order.
func textFiles(fsys fs.FS, dir string, show func(string) string) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && isText(d.Name()) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: text folder %s: %w", show(dir), unwrapPath(err))
	}
	return out, nil
}

func isText(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".txt") }

func readTexts(fsys fs.FS, paths []string, show func(string) string) ([]string, error) {
	out := make([]string, len(paths))
	for i, p := range paths {
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("data: %s: %w", show(p), unwrapPath(err))
		}
		out[i] = strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return out, nil
}

// unwrapPath drops the *fs.PathError wrapper, whose message repeats a path
// the caller names already.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
