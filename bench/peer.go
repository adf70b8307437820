package bench

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed peer.py
var peerScript []byte

// OpenBLASDir is where Debian's libopenblas0-openmp installs the OpenMP
// build of OpenBLAS, with a libblas.so.3 that torch picks up in place of the
// reference BLAS when this folder comes first on LD_LIBRARY_PATH.
const OpenBLASDir = "/usr/lib/x86_64-linux-gnu/openblas-openmp"

// PeerInfo is what the peer reports about itself when it starts.
type PeerInfo struct {
	Python     string   `json:"python"`         // the interpreter's path, as given
	Version    string   `json:"python_version"` // Python's version
	Torch      string   `json:"torch"`          // torch.__version__
	Threads    int      `json:"threads"`        // torch.get_num_threads() after set_num_threads
	BLAS       []string `json:"blas"`           // BLAS libraries mapped into the process (/proc/self/maps)
	BLASConfig string   `json:"blas_config"`    // openblas_get_config() and its threading, when OpenBLAS is loaded
	TorchBLAS  string   `json:"torch_blas"`     // the BLAS lines of torch.__config__.show()
	Sgemm1024  float64  `json:"sgemm_1024"`     // the peer's torch.mm GFLOP/s at n = 1024
	Reference  bool     `json:"reference_blas"` // true when only the reference BLAS was found
}

// Peer is the PyTorch side: peer.py in a Python subprocess, driven one
// request at a time.
type Peer struct {
	Info    PeerInfo
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	lines   chan string   // stdout, line by line; closed at EOF
	stderr  *tailBuffer   // the last lines of stderr, for error messages
	dir     string        // holds the script; removed by Close
	timeout time.Duration // the longest wait for one answer, beyond the time asked for
	dead    error         // set once the process is gone or out of step
	waited  bool          // cmd.Wait has been called
}

// peerStartTimeout bounds the wait for the peer's first line: importing
// torch takes 1–3 s and the peer then times its own sgemm for about a
// second; a minute covers a cold disk cache.
const peerStartTimeout = 60 * time.Second

// StartPeer starts peer.py under the Python at python with the given
// thread count, and waits for its report. OpenBLAS's OpenMP build is put
// first on the library path when it is installed, and OPENBLAS_CORETYPE and
// OPENBLAS_L2_SIZE are removed from the peer's environment so that OpenBLAS
// picks its kernels for this CPU.
func StartPeer(python string, threads int) (*Peer, error) {
	dir, err := os.MkdirTemp("", "deepgo-bench-peer-")
	if err != nil {
		return nil, err
	}
	script := filepath.Join(dir, "peer.py")
	if err := os.WriteFile(script, peerScript, 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	cmd := exec.Command(python, "-u", script, strconv.Itoa(threads))
	cmd.Env = peerEnv(os.Environ(), threads)
	p, err := startPeer(cmd, dir)
	if err != nil {
		return nil, err
	}
	p.Info.Python = python
	return p, nil
}

// peerEnv is the peer's environment: env with the thread count set for
// OpenMP and OpenBLAS and OpenBLAS's OpenMP build first on the library path.
func peerEnv(env []string, threads int) []string {
	var out []string
	libPath := ""
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS":
			continue
		case "LD_LIBRARY_PATH":
			libPath = v
			continue
		}
		out = append(out, kv)
	}
	if st, err := os.Stat(OpenBLASDir); err == nil && st.IsDir() {
		libPath = strings.TrimSuffix(OpenBLASDir+":"+libPath, ":")
	}
	if libPath != "" {
		out = append(out, "LD_LIBRARY_PATH="+libPath)
	}
	n := strconv.Itoa(threads)
	return append(out, "OMP_NUM_THREADS="+n, "OPENBLAS_NUM_THREADS="+n)
}

// startPeer runs cmd, which must speak peer.py's protocol, and reads its
// first line. dir, if not empty, is removed by Close.
func startPeer(cmd *exec.Cmd, dir string) (*Peer, error) {
	p := &Peer{cmd: cmd, dir: dir, lines: make(chan string), stderr: &tailBuffer{max: 4096}, timeout: 2 * time.Minute}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		p.stdin, err = cmd.StdinPipe()
	}
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		p.cleanup()
		return nil, fmt.Errorf("cannot start %s: %v", cmd.Path, err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	var hello struct {
		PeerInfo
		Error string `json:"error"`
	}
	if err := p.read(peerStartTimeout, &hello); err != nil {
		p.Close()
		return nil, err
	}
	if hello.Error != "" {
		p.Close()
		return nil, errors.New(hello.Error)
	}
	p.Info = hello.PeerInfo
	return p, nil
}

// read waits up to timeout for the peer's next line and decodes it into v.
func (p *Peer) read(timeout time.Duration, v any) error {
	if p.dead != nil {
		return p.dead
	}
	select {
	case line, ok := <-p.lines:
		if !ok {
			werr := p.wait()
			p.dead = fmt.Errorf("the peer exited (%v)%s", werr, p.stderr.suffix())
			return p.dead
		}
		if err := json.Unmarshal([]byte(line), v); err != nil {
			p.dead = fmt.Errorf("the peer answered %q, not JSON%s", line, p.stderr.suffix())
			return p.dead
		}
		return nil
	case <-time.After(timeout):
		p.dead = fmt.Errorf("the peer did not answer within %v%s", timeout, p.stderr.suffix())
		return p.dead
	}
}

// peerResult is the peer's answer to a run line.
type peerResult struct {
	Row   string  `json:"row"`
	Unit  string  `json:"unit"`
	Value float64 `json:"value"`
	Calls int     `json:"calls"`
	Error string  `json:"error"`
}

// Run asks the peer to time row for about d (after its own set-up and
// warm-up on the first request for the row) and returns its figure.
func (p *Peer) Run(row *Row, d time.Duration, args []string) (float64, error) {
	if p.dead != nil {
		return 0, p.dead
	}
	line := fmt.Sprintf("run %s %g", row.Name, d.Seconds())
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n") {
			return 0, fmt.Errorf("peer argument %q is empty or has white space", a)
		}
		line += " " + a
	}
	var r peerResult
	if _, err := io.WriteString(p.stdin, line+"\n"); err != nil {
		// Most likely the peer has exited: its exit status says more than
		// the broken pipe.
		if rerr := p.read(5*time.Second, &r); rerr != nil {
			return 0, rerr
		}
		p.dead = fmt.Errorf("cannot write to the peer: %v%s", err, p.stderr.suffix())
		return 0, p.dead
	}
	if err := p.read(p.timeout+20*d, &r); err != nil {
		return 0, err
	}
	switch {
	case r.Error != "":
		return 0, errors.New(r.Error)
	case r.Row != row.Name || r.Unit != row.Unit:
		return 0, fmt.Errorf("the peer answered for %s in %s, want %s in %s", r.Row, r.Unit, row.Name, row.Unit)
	case !(r.Value > 0):
		return 0, fmt.Errorf("the peer measured %v %s", r.Value, r.Unit)
	}
	return r.Value, nil
}

// Close ends the peer: it asks it to quit, then kills it if it has not
// exited within a few seconds.
func (p *Peer) Close() error {
	if p.dead == nil {
		io.WriteString(p.stdin, "quit\n")
	}
	p.stdin.Close()
	done := make(chan struct{})
	go func() {
		for range p.lines { // let the reader reach EOF
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
	p.wait()
	if p.dead == nil {
		p.dead = errors.New("the peer was closed")
	}
	p.cleanup()
	return nil
}

// wait reaps the process once.
func (p *Peer) wait() error {
	if p.waited {
		return nil
	}
	p.waited = true
	return p.cmd.Wait()
}

func (p *Peer) cleanup() {
	if p.dir != "" {
		os.RemoveAll(p.dir)
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(b), nil
}

// suffix is ": " and the last line of stderr, or "" when it is empty.
func (t *tailBuffer) suffix() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.buf))
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	return ": " + strings.TrimSpace(lines[len(lines)-1])
}
