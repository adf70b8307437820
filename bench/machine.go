package bench

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/sys/cpu"
)

// Machine describes where the deepgo side ran.
type Machine struct {
	CPU        string   `json:"cpu"`        // the model name in /proc/cpuinfo
	CPUs       int      `json:"cpus"`       // runtime.NumCPU
	GOMAXPROCS int      `json:"gomaxprocs"` // during the run
	Go         string   `json:"go"`         // runtime.Version, GOOS/GOARCH
	Features   []string `json:"features"`   // the vector extensions deepgo's kernels can use
	Tags       string   `json:"build_tags,omitempty"`
}

func probeMachine() Machine {
	m := Machine{
		CPU:        cpuModel(),
		CPUs:       runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		Go:         runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH,
	}
	for _, f := range []struct {
		name string
		has  bool
	}{
		{"AVX-512F", cpu.X86.HasAVX512F},
		{"AVX2", cpu.X86.HasAVX2},
		{"FMA", cpu.X86.HasFMA},
		{"NEON", cpu.ARM64.HasASIMD},
	} {
		if f.has {
			m.Features = append(m.Features, f.name)
		}
	}
	// A binary built with -tags noasm runs the pure-Go kernels, which the
	// table must not pass off as the assembly's figures.
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-tags" {
				m.Tags = s.Value
			}
		}
	}
	return m
}

// cpuModel returns the first CPU's "model name" in /proc/cpuinfo, with its
// family and model numbers (virtual machines often name only the vendor's
// line, "AMD EPYC", where family 25 model 17 says Zen 4), or GOARCH where
// there is no /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	fields := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() && sc.Text() != "" { // the first CPU's block ends at a blank line
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok {
			fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	name := fields["model name"]
	if name == "" {
		return runtime.GOARCH
	}
	if fam, model := fields["cpu family"], fields["model"]; fam != "" && model != "" {
		name += " (family " + fam + ", model " + model + ")"
	}
	return name
}
