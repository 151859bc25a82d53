package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/btui/btui/chainclient"
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
"schema_version"} (amounts in rao).

On a subtensor node (--network) it reads what the bittensor SDK reads: the head
(chain_getHead and its header), the chain's name and token, the runtime version, the number
of subnets (SubtensorModule.TotalNetworks at the head), and from the metadata the existential
deposit and the block time. A node has no btui producer, pause flag or single fee, and the
pool, the issuance and the head's timestamp are not read: the text says so for each, and the
JSON leaves those keys out, names them in "not_read", and adds "spec_version",
"transaction_version" and "total_networks".`,
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
	if st, ok := c.(*chainclient.Subtensor); ok {
		return chainInfoSubtensor(opts, st, info)
	}
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

// chainInfoSubtensor shows a subtensor node's summary: what Info read, the runtime version and
// the number of subnets, and a plain "not read" for the rest.
func chainInfoSubtensor(opts *chainInfoOptions, st *chainclient.Subtensor, info protocol.ChainInfo) error {
	f := opts.f
	total, haveTotal, err := st.TotalNetworks(opts.ctx, info.Head)
	var totalErr error
	if err != nil {
		if !chainclient.NodeAnswered(err) {
			return chainErr(err)
		}
		totalErr = err // the node would not give it: shown as not read, with why
	}
	v := st.Substrate().RuntimeVersion()
	if f.Opts.JSON {
		doc, err := dropUnread(chainInfoJSON{Endpoint: st.Endpoint(), ChainInfo: info}, chainclient.ChainInfoUnreadOnSubtensor)
		if err != nil {
			return err
		}
		notRead := append([]string(nil), chainclient.ChainInfoUnreadOnSubtensor...)
		put := func(k string, v any) {
			b, _ := json.Marshal(v)
			doc[k] = b
		}
		put("spec_version", v.SpecVersion)
		put("transaction_version", v.TransactionVersion)
		if haveTotal {
			put("total_networks", total)
		} else {
			notRead = append(notRead, "total_networks")
		}
		put("not_read", notRead)
		return chainPrintJSON(f.IO.Out, doc)
	}
	const notRead = "not read from a subtensor node"
	w := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "chain\t%s (%s)\n", info.ChainName, endpointLabel(st))
	fmt.Fprintf(w, "genesis\t%s\n", info.GenesisHash)
	fmt.Fprintf(w, "head\t#%d %s\n", info.Height, info.Head)
	fmt.Fprintf(w, "runtime\t%s spec %d, transaction version %d\n", v.SpecName, v.SpecVersion, v.TransactionVersion)
	if info.BlockTimeMs > 0 {
		fmt.Fprintf(w, "block time\tevery %d ms (Aura slot), produced by the network\n", info.BlockTimeMs)
	} else {
		fmt.Fprintln(w, "block time\tproduced by the network (the runtime declares no Aura slot)")
	}
	switch {
	case totalErr != nil:
		fmt.Fprintf(w, "subnets\tnot read: %v\n", totalErr)
	case haveTotal:
		fmt.Fprintf(w, "subnets\t%d\n", total)
	default:
		fmt.Fprintf(w, "subnets\tnot in runtime %d\n", v.SpecVersion)
	}
	fmt.Fprintf(w, "existential dep.\t%s %s\n", protocol.TAODecimal(info.ExistentialDeposit), info.Token)
	fmt.Fprintf(w, "pending txs\t%s\n", notRead)
	fmt.Fprintf(w, "issuance\t%s\n", notRead)
	fmt.Fprintln(w, "tx fee\tper extrinsic: a transaction's preview shows the node's fee for it")
	fmt.Fprintf(w, "state root\t%s\n", info.StateDigest)
	return w.Flush()
}
