package cli

import (
	"runtime"
	"strings"
	"testing"

	"argmax/lab/store"
)

func TestVersion(t *testing.T) {
	for _, tc := range []struct {
		p    store.Provenance
		want string
	}{
		{store.Provenance{Version: "v1.2.0", Commit: "2a5a5d05caa1f5416817a3d453bda2396396660d", GoVersion: "go1.26.0", Platform: "linux/amd64"},
			"argmax v1.2.0, commit 2a5a5d05caa1, go1.26.0, linux/amd64"},
		{store.Provenance{Version: "(devel)", Commit: "abc", Modified: true, GoVersion: "go1.26.0", Platform: "darwin/arm64"},
			"argmax (devel), commit abc (modified), go1.26.0, darwin/arm64"},
		{store.Provenance{GoVersion: "go1.26.0", Platform: "linux/amd64"},
			"argmax (unknown version), commit unknown, go1.26.0, linux/amd64"},
	} {
		if got := versionLine(tc.p); got != tc.want {
			t.Errorf("versionLine(%+v) = %q, want %q", tc.p, got, tc.want)
		}
	}
	out, err := runRoot("--version")
	if err != nil || !strings.HasPrefix(out, "argmax ") || !strings.Contains(out, runtime.Version()) || !strings.Contains(out, runtime.GOOS+"/"+runtime.GOARCH) {
		t.Errorf("argmax --version: %q, %v", out, err)
	}
}
