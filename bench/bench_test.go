package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deepgo-dev/deepgo/data"
)

// fakePeerEnv makes the test binary act as peer.py (see fakePeer); its value
// picks the behaviour.
const fakePeerEnv = "DEEPGO_BENCH_FAKE_PEER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakePeerEnv); mode != "" {
		os.Exit(fakePeer(mode))
	}
	os.Exit(m.Run())
}

// fakeFigure is what the fake peer measures for every row.
const fakeFigure = 2.0

// fakePeer speaks peer.py's protocol without Python: it answers every run
// line with fakeFigure, except for sgemm-512 (an error, as for a row peer.py
// lacks). Mode "error" fails at start as a Python without torch does; mode
// "die" exits after its first answer.
func fakePeer(mode string) int {
	out := json.NewEncoder(os.Stdout)
	if mode == "error" {
		out.Encode(map[string]string{"error": "cannot import torch: No module named 'torch'"})
		return 1
	}
	out.Encode(PeerInfo{Torch: "fake", Threads: 2, Sgemm1024: 100})
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		w := strings.Fields(sc.Text())
		if len(w) == 0 || w[0] == "quit" {
			return 0
		}
		i := slices.IndexFunc(Rows, func(r Row) bool { return r.Name == w[1] })
		switch {
		case w[1] == "sgemm-512" || i < 0:
			out.Encode(map[string]string{"error": "KeyError: no row " + w[1]})
		default:
			out.Encode(peerResult{Row: w[1], Unit: Rows[i].Unit, Value: fakeFigure, Calls: 1})
		}
		if mode == "die" {
			return 3
		}
	}
	return 0
}

func fakeStarter(mode string) func(int) (*Peer, error) {
	return func(int) (*Peer, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), fakePeerEnv+"="+mode)
		return startPeer(cmd, "")
	}
}

// tiny is the length of one measurement in tests: a few calls of a step.
const tiny = 5 * time.Millisecond

// TestRunDeepgoOnly runs one small row in-process with no peer, as
// `deepgo bench --peer ""` does, and prints its table.
func TestRunDeepgoOnly(t *testing.T) {
	res, err := Run(Options{Rows: "^sgemm-256$", Pairs: 2, Time: tiny})
	if err != nil {
		t.Fatal(err)
	}
	if res.Peer != nil || res.PeerMissing == "" {
		t.Errorf("peer = %+v, missing %q; want no peer and a reason", res.Peer, res.PeerMissing)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("got %d rows, want 1", len(res.Rows))
	}
	rr := res.Rows[0]
	if rr.Error != "" || len(rr.Deepgo) != 2 || !(rr.DeepgoMed > 0) || len(rr.Ratios) != 0 {
		t.Errorf("row = %+v; want 2 positive deepgo figures, no ratios", rr)
	}
	var b bytes.Buffer
	if err := res.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sgemm-256", "GFLOP/s", "peer:    missing", "GOMAXPROCS 2"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}

// TestRunModelRows runs each model row once, briefly, to keep its set-up
// working. mnist-epoch is left out: one epoch takes seconds.
func TestRunModelRows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and trains models")
	}
	res, err := Run(Options{Rows: "^(mlp|cnn|lstm)-", Pairs: 1, Time: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, rr := range res.Rows {
		if rr.Error != "" || !(rr.DeepgoMed > 0) {
			t.Errorf("%s: error %q, figure %v; want a positive figure", rr.Name, rr.Error, rr.DeepgoMed)
		}
	}
}

// TestRunWithPeer checks the A/B pairing against the fake peer: one ratio
// per pair, deepgo's figure over the peer's, and a row the peer fails on
// reported without stopping the others.
func TestRunWithPeer(t *testing.T) {
	res, err := Run(Options{Rows: "^sgemm-(256|512)$", Pairs: 3, Time: tiny, startPeer: fakeStarter("ok")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Peer == nil || res.Peer.Torch != "fake" {
		t.Fatalf("peer = %+v (missing: %s), want the fake one", res.Peer, res.PeerMissing)
	}
	good, bad := res.Rows[0], res.Rows[1]
	if len(good.Ratios) != 3 || good.PeerMed != fakeFigure || good.PeerError != "" {
		t.Fatalf("sgemm-256 = %+v; want 3 ratios and PyTorch %v", good, fakeFigure)
	}
	for i, r := range good.Ratios {
		if want := good.Deepgo[i] / fakeFigure; r != want {
			t.Errorf("ratio %d = %v, want %v", i, r, want)
		}
	}
	if good.Ratio != median(good.Ratios) || good.MinRatio != slices.Min(good.Ratios) {
		t.Errorf("summary %v (min %v) does not match ratios %v", good.Ratio, good.MinRatio, good.Ratios)
	}
	if !strings.Contains(bad.PeerError, "no row sgemm-512") || len(bad.Deepgo) != 3 || len(bad.Ratios) != 0 {
		t.Errorf("sgemm-512 = %+v; want the peer's error, 3 deepgo figures, no ratios", bad)
	}
}

// TestRunTimeRowRatio checks that a row in seconds is inverted: the ratio
// is the peer's time over deepgo's. The row borrows mnist-epoch's name, which
// the fake peer knows, with a short nap for its step.
func TestRunTimeRowRatio(t *testing.T) {
	peer, err := fakeStarter("ok")(1)
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	nap := &Row{Name: "mnist-epoch", Unit: Seconds, Setup: func(*Env) (*Step, error) {
		return &Step{Run: func() error { time.Sleep(tiny); return nil }, Work: 1}, nil
	}}
	rr := runRow(nap, peer, Options{Pairs: 1, Time: time.Hour}, t.TempDir())
	if len(rr.Deepgo) != 1 || rr.Deepgo[0] < tiny.Seconds() || rr.Deepgo[0] > 100*tiny.Seconds() {
		t.Fatalf("one nap took %v s, want about %v (one call, whatever Time says)", rr.Deepgo, tiny.Seconds())
	}
	if want := fakeFigure / rr.Deepgo[0]; len(rr.Ratios) != 1 || rr.Ratios[0] != want {
		t.Errorf("ratios %v, want [%v]", rr.Ratios, want)
	}
}

// TestRowFailures checks that a row whose set-up fails or whose step
// panics is reported, not fatal.
func TestRowFailures(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*Env) (*Step, error)
		want  string
	}{
		{"setup error", func(*Env) (*Step, error) { return nil, errors.New("no data") }, "no data"},
		{"setup panic", func(*Env) (*Step, error) { panic("bad shape") }, "panic: bad shape"},
		{"step panic", func(*Env) (*Step, error) {
			return &Step{Run: func() error { panic("index out of range") }, Work: 1}, nil
		}, "panic: index out of range"},
	}
	for _, tt := range tests {
		rr := runRow(&Row{Name: tt.name, Unit: Samples, Setup: tt.setup}, nil, Options{Pairs: 1, Time: tiny}, t.TempDir())
		if rr.Error != tt.want || len(rr.Deepgo) != 0 {
			t.Errorf("%s: error %q, figures %v; want %q and none", tt.name, rr.Error, rr.Deepgo, tt.want)
		}
	}
}

// TestPeerFailures checks that a peer that cannot start, or dies, leaves
// the deepgo side running and says why.
func TestPeerFailures(t *testing.T) {
	res, err := Run(Options{Rows: "^sgemm-256$", Pairs: 1, Time: tiny, startPeer: fakeStarter("error")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Peer != nil || !strings.Contains(res.PeerMissing, "No module named 'torch'") {
		t.Errorf("peer %+v, missing %q; want the import error", res.Peer, res.PeerMissing)
	}
	if len(res.Rows[0].Deepgo) != 1 {
		t.Errorf("deepgo figures %v, want one", res.Rows[0].Deepgo)
	}

	res, err = Run(Options{Rows: "^sgemm-256$", Pairs: 3, Time: tiny, startPeer: fakeStarter("die")})
	if err != nil {
		t.Fatal(err)
	}
	rr := res.Rows[0]
	if len(rr.Ratios) != 1 || !strings.Contains(rr.PeerError, "the peer exited") || len(rr.Deepgo) != 3 {
		t.Errorf("row = %+v; want one pair, then the peer's exit, and 3 deepgo figures", rr)
	}
}

// TestPeerPy runs the real peer.py on one tiny row, when /usr/bin/python3
// has torch.
func TestPeerPy(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Python and imports torch")
	}
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import torch").Run(); err != nil {
		t.Skipf("%s cannot import torch: %v", python, err)
	}
	p, err := StartPeer(python, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.Info.Torch == "" || p.Info.Threads != 1 || !(p.Info.Sgemm1024 > 0) {
		t.Errorf("peer info %+v; want a torch version, 1 thread and a GFLOP/s figure", p.Info)
	}
	// The first row, the CNN's, whose PyTorch set-up (channels_last,
	// TorchScript) has more that can break, and the LSTM's.
	for _, r := range Rows {
		if r.Name != Rows[0].Name && !strings.HasPrefix(r.Name, "cnn-") && !strings.HasPrefix(r.Name, "lstm-") {
			continue
		}
		v, err := p.Run(&r, time.Millisecond, nil)
		if err != nil || !(v > 0) {
			t.Errorf("%s: %v, %v; want a positive figure", r.Name, v, err)
		}
	}
	if _, err := p.Run(&Row{Name: "no-such-row", Unit: Samples}, time.Millisecond, nil); err == nil || !strings.Contains(err.Error(), "no row") {
		t.Errorf("unknown row: err = %v, want peer.py's KeyError", err)
	}
}

// TestRowsInPeerScript checks that peer.py has every row of the table.
func TestRowsInPeerScript(t *testing.T) {
	for _, r := range Rows {
		if !bytes.Contains(peerScript, []byte(fmt.Sprintf("%q:", r.Name))) {
			t.Errorf("peer.py's ROWS lacks %q", r.Name)
		}
	}
}

func TestSelect(t *testing.T) {
	tests := []struct {
		expr    string
		want    []string
		wantErr string
	}{
		{"^sgemm-", []string{"sgemm-256", "sgemm-512", "sgemm-1024"}, ""},
		{"b32$|epoch", []string{"mlp-train-b32", "mnist-epoch"}, ""},
		{"cnn", []string{"cnn-train-b128", "cnn-predict-b1000"}, ""},
		{"(", nil, "missing closing )"},
		{"lstm", []string{"lstm-train-b128", "lstm-predict-b1000"}, ""},
		{"resnet", nil, "matches no row (rows: sgemm-256,"},
	}
	for _, tt := range tests {
		rows, err := Select(tt.expr)
		var got []string
		for _, r := range rows {
			got = append(got, r.Name)
		}
		if !slices.Equal(got, tt.want) || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("Select(%q) = %v, %v; want %v, error containing %q", tt.expr, got, err, tt.want, tt.wantErr)
		}
	}
	if all, _ := Select(""); len(all) != len(Rows) {
		t.Errorf("Select(\"\") gave %d rows, want all %d", len(all), len(Rows))
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, tt := range tests {
		if got := median(tt.xs); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.xs, got, tt.want)
		}
	}
}

func TestFigure(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "-"},
		{0.8521, "0.852"},
		{12.34, "12.3"},
		{201.26, "201.3"},
		{47312.4, "47,312"},
		{1234567, "1,234,567"},
	}
	for _, tt := range tests {
		if got := figure(tt.v); got != tt.want {
			t.Errorf("figure(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// TestWriteBytesNPY reads the peer's data files back with deepgo's own NPY
// reader, for shapes whose headers need different padding.
func TestWriteBytesNPY(t *testing.T) {
	for _, shape := range [][]int{{5}, {3, 2, 2}, {60000}} {
		n := 1
		for _, d := range shape {
			n *= d
		}
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i * 7)
		}
		path := filepath.Join(t.TempDir(), "x.npy")
		if err := writeBytesNPY(path, b, shape...); err != nil {
			t.Fatal(err)
		}
		raw, _ := os.ReadFile(path)
		if start := len(raw) - n; start%64 != 0 {
			t.Errorf("shape %v: data starts at byte %d, want a multiple of 64", shape, start)
		}
		x, err := data.LoadNPY(path)
		if err != nil {
			t.Fatalf("shape %v: %v", shape, err)
		}
		if !slices.Equal(x.Shape(), shape) {
			t.Errorf("shape = %v, want %v", x.Shape(), shape)
		}
		for i, v := range x.Float32s() {
			if v != float32(b[i]) {
				t.Fatalf("shape %v: element %d = %v, want %v", shape, i, v, b[i])
			}
		}
	}
}

func TestPeerEnv(t *testing.T) {
	env := peerEnv([]string{"HOME=/root", "OPENBLAS_CORETYPE=Haswell", "OPENBLAS_L2_SIZE=1024", "OMP_NUM_THREADS=8", "LD_LIBRARY_PATH=/opt/lib"}, 3)
	for _, unwanted := range []string{"OPENBLAS_CORETYPE=", "OPENBLAS_L2_SIZE=", "OMP_NUM_THREADS=8"} {
		if slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, unwanted) }) {
			t.Errorf("env %v still has %s", env, unwanted)
		}
	}
	want := []string{"HOME=/root", "OMP_NUM_THREADS=3", "OPENBLAS_NUM_THREADS=3"}
	if _, err := os.Stat(OpenBLASDir); err == nil {
		want = append(want, "LD_LIBRARY_PATH="+OpenBLASDir+":/opt/lib")
	} else {
		want = append(want, "LD_LIBRARY_PATH=/opt/lib")
	}
	for _, kv := range want {
		if !slices.Contains(env, kv) {
			t.Errorf("env %v lacks %s", env, kv)
		}
	}
}

// BenchmarkRows times the deepgo side of each row but mnist-epoch (an
// epoch is timed by the table itself) as a Go benchmark, in the row's unit,
// so that a row can be profiled:
//
//	go test -run '^$' -bench 'Rows/cnn-train' -cpuprofile cpu.out ./bench
//	go tool pprof -top bench.test cpu.out
func BenchmarkRows(b *testing.B) {
	for _, r := range Rows {
		if r.Unit == Seconds {
			continue
		}
		b.Run(r.Name, func(b *testing.B) {
			step, err := r.Setup(&Env{Dir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if err := step.Run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(step.Work*float64(b.N)/b.Elapsed().Seconds(), r.Unit)
		})
	}
}
