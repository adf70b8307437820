package saving

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestAtomicWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	if err := AtomicWriteFile(path, write("a,b\n")); err != nil {
		t.Fatal(err)
	}
	if err := AtomicWriteFile(path, write("c,d\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "c,d\n" {
		t.Errorf("got %q, want %q", b, "c,d\n")
	}
	assertOnlyFiles(t, dir, "out.csv")

	// A bare file name is written in the current directory.
	t.Chdir(dir)
	if err := AtomicWriteFile("bare.csv", write("x\n")); err != nil {
		t.Fatal(err)
	}
	assertOnlyFiles(t, dir, "bare.csv", "out.csv")
}

func TestAtomicWriteFileFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.deepgo")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := AtomicWriteFile(path, func(w io.Writer) error {
		// More than the 64 KiB buffer, so part of it reaches the temp file.
		w.Write(make([]byte, 100<<10))
		return boom
	})
	if !errors.Is(err, boom) || err.Error() != path+": disk full" {
		t.Errorf("got error %v, want %q wrapping the callback's", err, path+": disk full")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("got %q after a failed write, want the old contents %q", b, "old")
	}
	assertOnlyFiles(t, dir, "model.deepgo")

	// A panic in the callback also leaves no temporary file.
	func() {
		defer func() {
			if r := recover(); r != "bug" {
				t.Errorf("got panic %v, want %q passed through", r, "bug")
			}
		}()
		AtomicWriteFile(path, func(w io.Writer) error { panic("bug") })
	}()
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("got %q after a panic, want the old contents %q", b, "old")
	}
	assertOnlyFiles(t, dir, "model.deepgo")

	// A missing directory is an error naming the path.
	missing := filepath.Join(dir, "no", "such", "model.deepgo")
	err = AtomicWriteFile(missing, func(io.Writer) error { return nil })
	if err == nil || !strings.HasPrefix(err.Error(), missing+": ") {
		t.Errorf("got error %v, want one starting with %q", err, missing)
	}
	// Replacing a directory fails and leaves nothing behind.
	if err := AtomicWriteFile(dir, func(io.Writer) error { return nil }); err == nil {
		t.Error("writing over a directory: got no error")
	}
	assertOnlyFiles(t, dir, "model.deepgo")
}

func TestAtomicWriteFileKeepsMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix permission bits")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.deepgo")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := AtomicWriteFile(path, func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("got mode %v (error %v), want -rw-------", fi.Mode(), err)
	}
	// A new file gets what os.Create would give it under the same umask.
	ref := filepath.Join(dir, "ref")
	rf, err := os.Create(ref)
	if err != nil {
		t.Fatal(err)
	}
	rf.Close()
	fresh := filepath.Join(dir, "new.deepgo")
	if err := AtomicWriteFile(fresh, func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	a, _ := os.Stat(ref)
	b, _ := os.Stat(fresh)
	if a.Mode() != b.Mode() {
		t.Errorf("got mode %v for a new file, want %v as os.Create gives", b.Mode(), a.Mode())
	}
}
