package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/btui/btui/protocol"
)

type chainInfoOptions struct {
	f   *Factory
	ctx context.Context
}

func newCmdChainInfo(f *Factory, runF func(*chainInfoOptions) error) *cobra.Command {
	opts := &chainInfoOptions{f: f}
	return &cobra.Command{
		Use:   "info",
		Short: "Show the chain: head, genesis, producer, issuance and parameters",
		Long: `Show a summary of the chain: where it is (embedded devnet or node URL), its name and genesis
hash, the head block, the producer (block time, running, paused), pending transactions, total
issuance, existential deposit and fee.

JSON (--json): {"endpoint", "chain_name", "genesis_hash", "height", "head", "head_timestamp_ms",
"state_digest", "target_block_time_ms", "block_time_ms", "producing", "paused", "pending_txs",
"total_issuance", "existential_deposit", "tx_fee", "sudo", "token", "decimals", "ss58_prefix",
"schema_version"} (amounts in rao).`,
		Example: `  btui chain info
  btui chain info --node http://127.0.0.1:9944 --json`,
		Args: chainArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return chainInfoRun(opts)
		},
	}
}

// chainInfoJSON is the stable output of `btui chain info --json`.
type chainInfoJSON struct {
	Endpoint string `json:"endpoint"`
	protocol.ChainInfo
}

func chainInfoRun(opts *chainInfoOptions) error {
	f := opts.f
	c, info, err := chainHead(opts.ctx, f)
	if err != nil {
		return err
	}
	defer f.Close()
	if f.Opts.JSON {
		return chainPrintJSON(f.IO.Out, chainInfoJSON{Endpoint: c.Endpoint(), ChainInfo: info})
	}
	producer := "on demand (blocks only when asked)"
	if info.BlockTimeMs > 0 {
		producer = fmt.Sprintf("every %d ms", info.BlockTimeMs)
	}
	if info.Producing {
		producer += ", running"
	} else {
		producer += ", no producer running"
	}
	if info.Paused {
		producer += ", PAUSED (btui devnet resume)"
	}
	w := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "chain\t%s (%s)\n", info.ChainName, endpointLabel(c))
	fmt.Fprintf(w, "genesis\t%s\n", info.GenesisHash)
	fmt.Fprintf(w, "head\t#%d %s\n", info.Height, info.Head)
	fmt.Fprintf(w, "block time\t%s (logical clock step %d ms)\n", blockTime(info.HeadTimestampMs), info.TargetBlockTimeMs)
	fmt.Fprintf(w, "producer\t%s\n", producer)
	fmt.Fprintf(w, "pending txs\t%d\n", info.PendingTxs)
	fmt.Fprintf(w, "issuance\t%s %s\n", protocol.TAODecimal(info.TotalIssuance), info.Token)
	fmt.Fprintf(w, "existential dep.\t%s %s\n", protocol.TAODecimal(info.ExistentialDeposit), info.Token)
	fmt.Fprintf(w, "tx fee\t%s %s\n", protocol.TAODecimal(info.TxFee), info.Token)
	fmt.Fprintf(w, "sudo\t%s\n", info.Sudo)
	fmt.Fprintf(w, "state digest\t%s\n", info.StateDigest)
	return w.Flush()
}
