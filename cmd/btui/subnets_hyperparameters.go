package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/btui/btui/ops"
	"github.com/btui/btui/protocol"
)

type subnetsHyperparametersOptions struct {
	f   *Factory
	ctx context.Context

	Netuid uint16
	Param  string
}

func newCmdSubnetsHyperparameters(f *Factory, runF func(*subnetsHyperparametersOptions) error) *cobra.Command {
	opts := &subnetsHyperparametersOptions{f: f}
	cmd := &cobra.Command{
		Use:     "hyperparameters",
		Aliases: []string{"hyperparams"},
		Short:   "Show a subnet's hyperparameters and who may change each",
		Long: `Show every hyperparameter of a subnet with its value, unit and who may set it: "owner" (the
subnet owner, or sudo) or "sudo" (sudo only). Change them with btui sudo set. Names are shown as
btcli spells them (weights_rate_limit, commit_reveal_weights_enabled, ...); --param and btui sudo
set accept btcli's name or btui's (weights_set_rate_limit, commit_reveal, ...).

JSON (--json): {"netuid", "hyperparameters": [{"name", "btcli_name", "value", "type", "unit",
"description", "settable_by"}]}; name is btui's, btcli_name "" when btcli has none; booleans are
true/false, everything else an integer.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := requireFlag(cmd.Flags().Changed("netuid"), "--netuid", "the subnet"); err != nil {
				return err
			}
			opts.ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return subnetsHyperparametersRun(opts)
		},
	}
	netuidFlag(cmd, &opts.Netuid, "the subnet")
	cmd.Flags().StringVar(&opts.Param, "param", "", "show only this hyperparameter")
	return cmd
}

// hyperparamJSON is one hyperparameter.
type hyperparamJSON struct {
	Name        string `json:"name"`
	BtcliName   string `json:"btcli_name"` // "" when btcli has no such hyperparameter
	Value       any    `json:"value"`      // bool or integer
	Type        string `json:"type"`       // "bool", "u16", "u32", "u64"
	Unit        string `json:"unit"`
	Description string `json:"description"`
	SettableBy  string `json:"settable_by"`
}

type hyperparamsJSON struct {
	Netuid          uint16           `json:"netuid"`
	Hyperparameters []hyperparamJSON `json:"hyperparameters"`
}

// hyperparamList renders h as sorted rows.
func hyperparamList(h protocol.Hyperparams) ([]hyperparamJSON, error) {
	b, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	who := protocol.HyperparamNames()
	out := make([]hyperparamJSON, 0, len(m))
	for name, v := range m {
		if n, ok := v.(json.Number); ok {
			v = json.RawMessage(n.String())
		}
		by := who[name]
		if by == "" {
			by = "none"
		}
		d := hyperparamDocs[name]
		out = append(out, hyperparamJSON{Name: name, BtcliName: d.Btcli, Value: v, Type: d.Type, Unit: d.Unit, Description: d.About, SettableBy: by})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// unknownHyperparam is the error for a name the chain does not know (ops' words).
func unknownHyperparam(name string) error { return opsErr(ops.UnknownHyperparam(name)) }

func subnetsHyperparametersRun(o *subnetsHyperparametersOptions) error {
	if o.Param != "" {
		if _, ok := hyperparamDocs[o.Param]; !ok {
			return unknownHyperparam(o.Param)
		}
	}
	s, err := openChain(o.ctx, o.f)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.subnetInfo(o.Netuid); err != nil {
		return err
	}
	h, err := s.m.Hyperparameters(s.ctx, o.Netuid)
	if err != nil {
		return chainErr(err)
	}
	rows, err := hyperparamList(h)
	if err != nil {
		return err
	}
	rows = subtensorHyperparams(s.c, rows)
	if o.Param != "" {
		kept := rows[:0]
		for _, r := range rows {
			if r.Name == o.Param {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	out := hyperparamsJSON{Netuid: o.Netuid, Hyperparameters: rows}
	return printJSONOr(o.f, out, func(w io.Writer) {
		fmt.Fprintf(w, "subnet %d\n", o.Netuid)
		t := textTable{Head: []string{"NAME", "VALUE", "UNIT", "SET BY", "ABOUT"}, Right: []bool{false, true}, Shrink: -1, Drop: []int{4, 2}}
		shown := append([]hyperparamJSON(nil), rows...)
		sort.Slice(shown, func(i, j int) bool {
			return hyperparamDisplayName(shown[i].Name) < hyperparamDisplayName(shown[j].Name)
		})
		for _, r := range shown {
			v := fmt.Sprint(r.Value)
			if raw, ok := r.Value.(json.RawMessage); ok {
				v = string(raw)
			}
			t.add(hyperparamDisplayName(r.Name), v, r.Unit, r.SettableBy, hyperparamDescribe(r.Name))
		}
		t.render(w, o.f.IO.Width)
	})
}
