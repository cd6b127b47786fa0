package store

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
)

// Provenance is what a run was made with: the build of argmax and the
// machine it ran on. It is stored with every run, so a figure can be traced
// to the code and the CPU that produced it.
type Provenance struct {
	Version   string `json:"version,omitempty"`    // module version ("(devel)" for a build from a checkout)
	Commit    string `json:"commit,omitempty"`     // VCS revision the binary was built from; "" if unknown
	Modified  bool   `json:"modified,omitempty"`   // the checkout had uncommitted changes
	GoVersion string `json:"go_version,omitempty"` // e.g. go1.26.0
	Platform  string `json:"platform,omitempty"`   // GOOS/GOARCH
	CPU       string `json:"cpu,omitempty"`        // CPU model name; "unknown" where it cannot be read
	Cores     int    `json:"cores,omitempty"`      // logical CPUs
}

var (
	currentOnce sync.Once
	current     Provenance
)

// Current returns the provenance of this process: its build information
// (runtime/debug.ReadBuildInfo: the module version, vcs.revision and
// vcs.modified, stamped by go build in a checkout) and this machine's CPU.
func Current() Provenance {
	currentOnce.Do(func() {
		current = Provenance{
			GoVersion: runtime.Version(),
			Platform:  runtime.GOOS + "/" + runtime.GOARCH,
			CPU:       CPUModel(),
			Cores:     runtime.NumCPU(),
		}
		if bi, ok := debug.ReadBuildInfo(); ok {
			current.Version = bi.Main.Version
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					current.Commit = s.Value
				case "vcs.modified":
					current.Modified = s.Value == "true"
				}
			}
		}
	})
	return current
}

// Build renders the build part: "commit 1a2b3c4d5e6f (modified), go1.26.0,
// linux/amd64", or "commit unknown, ..." when the binary carries no VCS
// information (go test, go run outside a checkout).
func (p Provenance) Build() string {
	commit := "commit unknown"
	if p.Commit != "" {
		commit = "commit " + short(p.Commit)
		if p.Modified {
			commit += " (modified)"
		}
	}
	return fmt.Sprintf("%s, %s, %s", commit, p.GoVersion, p.Platform)
}

// Machine renders the machine part: "AMD EPYC 7B13, 2 cores".
func (p Provenance) Machine() string {
	return fmt.Sprintf("%s, %d cores", p.CPU, p.Cores)
}

// String renders the whole provenance on one line.
func (p Provenance) String() string { return p.Build() + "; " + p.Machine() }

// short abbreviates a commit hash to 12 characters.
func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// CPUModel returns the CPU model name from /proc/cpuinfo, or "unknown".
func CPUModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
