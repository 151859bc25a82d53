package main

import (
	"context"

	"github.com/spf13/cobra"
)

type devnetResumeOptions struct {
	f   *Factory
	ctx context.Context
}

func newCmdDevnetResume(f *Factory, runF func(*devnetResumeOptions) error) *cobra.Command {
	opts := &devnetResumeOptions{f: f}
	return &cobra.Command{
		Use:   "resume",
		Short: "Let producers seal blocks again after pause",
		Long: `Clear the devnet's stored pause flag: a running producer goes back to a block every block time.

JSON (--json): {"paused": false, "endpoint"}.`,
		Example: `  btui devnet resume --node http://127.0.0.1:9944`,
		Args:    chainArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return devnetSetPaused(opts.ctx, opts.f, false)
		},
	}
}
