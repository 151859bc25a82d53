package main

import (
	"fmt"
	"strings"

	"github.com/btui/btui/ops"
)

// btcli spells many hyperparameters differently from the chain's storage names that btui
// uses (subtensor's SubnetHyperparameters and btcli's HYPERPARAMS table). `sudo set`, `sudo
// get` and `subnets hyperparameters` accept either name; the human output shows btcli's name
// with its unit, and the JSON adds "btcli_name", "unit" and "description" next to btui's
// "name".

// hyperparamDocs: every hyperparameter of the chain by btui's name, from ops' one table
// (ops.Hyperparams), shared with the console.
var hyperparamDocs = func() map[string]ops.HyperparamDoc {
	out := map[string]ops.HyperparamDoc{}
	for _, d := range ops.Hyperparams() {
		out[d.Name] = d
	}
	return out
}()

// canonicalHyperparam returns btui's name for a btcli or btui name (unknown names unchanged,
// so that the command reports them).
func canonicalHyperparam(name string) string { return ops.CanonicalHyperparam(name) }

// btcliHyperparamError explains a btcli name that btui has under another unit.
func btcliHyperparamError(name string) error { return opsErr(ops.BtcliHyperparamError(name)) }

// hyperparamCommands are the commands whose --param names a hyperparameter.
var hyperparamCommands = map[string]bool{"btui sudo set": true, "btui sudo get": true, "btui subnets hyperparameters": true}

// rewriteHyperparamArg maps --param's value to btui's name on the hyperparameter commands.
func rewriteHyperparamArg(path string, args []string) ([]string, error) {
	if !hyperparamCommands[path] {
		return args, nil
	}
	out := append([]string(nil), args...)
	for i := 0; i < len(out); i++ {
		a := out[i]
		if a == "--" {
			break
		}
		var v string
		switch {
		case (a == "--param" || a == "--hyperparameter") && i+1 < len(out):
			i++
			v = out[i]
			if err := btcliHyperparamError(v); err != nil {
				return nil, err
			}
			out[i] = canonicalHyperparam(v)
		case strings.HasPrefix(a, "--param="):
			v = strings.TrimPrefix(a, "--param=")
			if err := btcliHyperparamError(v); err != nil {
				return nil, err
			}
			out[i] = "--param=" + canonicalHyperparam(v)
		}
	}
	return out, nil
}

// hyperparamDisplayName is the name shown to people: btcli's when it has one.
func hyperparamDisplayName(name string) string {
	if d, ok := hyperparamDocs[name]; ok && d.Btcli != "" {
		return d.Btcli
	}
	return name
}

func hyperparamDescribe(name string) string {
	d, ok := hyperparamDocs[name]
	if !ok {
		return ""
	}
	if d.Btcli != "" && d.Btcli != name {
		return fmt.Sprintf("%s (btui: %s)", d.About, name)
	}
	return d.About
}
