package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// versionInfo is what `btui version` and `btui --version` report, from the build information
// the Go toolchain embeds (module version; VCS revision, time and modified flag when built
// from a checkout).
type versionInfo struct {
	Module     string `json:"module"`
	Version    string `json:"version"`
	Commit     string `json:"commit"`
	CommitTime string `json:"commit_time"`
	Modified   bool   `json:"modified"`
	Go         string `json:"go"`
}

// buildCommit is the commit when the build has no VCS stamp (go build -buildvcs=false, or a
// tree the go command cannot read with git): set it with
// go build -ldflags "-X main.buildCommit=$(git rev-parse HEAD)" ./cmd/btui.
var buildCommit string

func buildVersion() versionInfo {
	v := versionInfo{Module: "github.com/btui/btui", Version: "(devel)", Go: runtime.Version()}
	v.Commit = buildCommit
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if bi.Main.Path != "" {
		v.Module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = s.Value
		case "vcs.time":
			v.CommitTime = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// String is the one-line form: "(devel) commit 1a2b3c4d5e6f (modified) go1.26.8".
func (v versionInfo) String() string {
	s := v.Version
	if v.Commit != "" {
		c := v.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		s += " commit " + c
		if v.Modified {
			s += " (modified)"
		}
	}
	return s + " " + v.Go
}

func newCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print btui's version and commit",
		Long: `Print the module version and the commit btui was built from (also btui --version).

The commit comes from the build's VCS stamp (go build in a git checkout), or from
-ldflags "-X main.buildCommit=$(git rev-parse HEAD)" when the build has none.

JSON (--json): {"module", "version", "commit", "commit_time", "modified", "go"}; commit and
commit_time are "" when neither says.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := buildVersion()
			return printJSONOr(f, v, func(w io.Writer) {
				fmt.Fprintf(w, "btui %s\nmodule %s\n", v, v.Module)
				if v.CommitTime != "" {
					fmt.Fprintf(w, "committed %s\n", v.CommitTime)
				}
			})
		},
	}
}
