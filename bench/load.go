package bench

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc: 100 on every
// mainstream Linux build (proc(5)); Go cannot ask sysconf without cgo.
const clockTicks = 100

// loadMeter measures how much CPU other processes took while a row ran:
// the machine's busy time (/proc/stat, steal included, since a hypervisor
// that runs other guests takes the CPU as surely as a neighbour does) less
// this process's and the peer's own (/proc/PID/stat). On shared machines
// this is what makes a row's figures unreliable: OpenMP's spinning threads
// in particular slow down many times when another process holds a core.
type loadMeter struct {
	pids  []int
	start time.Time
	busy  float64 // ticks
	own   float64 // ticks
	ok    bool
}

func startLoad(pids ...int) *loadMeter {
	l := &loadMeter{pids: pids, start: time.Now()}
	busy, ok1 := machineBusy()
	own, ok2 := processTicks(pids)
	l.busy, l.own, l.ok = busy, own, ok1 && ok2
	return l
}

// others returns the mean number of CPUs that other processes kept busy
// since startLoad, or -1 where /proc cannot tell.
func (l *loadMeter) others() float64 {
	busy, ok1 := machineBusy()
	own, ok2 := processTicks(l.pids)
	wall := time.Since(l.start).Seconds()
	if !l.ok || !ok1 || !ok2 || wall <= 0 {
		return -1
	}
	return max(0, (busy-l.busy)-(own-l.own)) / clockTicks / wall
}

// machineBusy is the busy time of all CPUs in ticks: the first line of
// /proc/stat, "cpu user nice system idle iowait irq softirq steal …",
// less idle and iowait.
func machineBusy() (float64, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, false
	}
	busy := 0.0
	for i, s := range f[1:9] {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, false
		}
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return busy, true
}

// processTicks is the CPU time (user and system, in ticks) of this process
// and of the given ones: fields 14 and 15 of /proc/PID/stat, counted after
// the command name's closing parenthesis since the name may hold spaces.
func processTicks(pids []int) (float64, bool) {
	total := 0.0
	for _, pid := range append([]int{os.Getpid()}, pids...) {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return 0, false
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 13 {
			return 0, false
		}
		for _, v := range f[11:13] { // utime, stime: fields 14 and 15 of the whole line
			t, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0, false
			}
			total += t
		}
	}
	return total, true
}
