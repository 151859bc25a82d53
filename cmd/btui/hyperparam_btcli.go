package main

import (
	"fmt"
	"strings"
)

// btcli spells many hyperparameters differently from the chain's storage names that btui
// uses (subtensor's SubnetHyperparameters and btcli's HYPERPARAMS table). `sudo set`, `sudo
// get` and `subnets hyperparameters` accept either name; the human output shows btcli's name
// with its unit, and the JSON adds "btcli_name", "unit" and "description" next to btui's
// "name".

// hyperparamDoc describes one hyperparameter of the chain (keyed by btui's name).
type hyperparamDoc struct {
	Btcli string // btcli's name; "" when btcli has none
	Unit  string
	About string
}

// hyperparamDocs: every name of protocol.HyperparamNames (TestHyperparamDocsCoverChain
// checks that none is missing).
var hyperparamDocs = map[string]hyperparamDoc{
	"tempo":                        {"tempo", "blocks", "blocks between epochs (an epoch runs every tempo+1 blocks)"},
	"kappa":                        {"kappa", "u16 fraction (x/65535)", "stake share a weight needs to reach consensus"},
	"rho":                          {"rho", "integer", "steepness of the consensus sigmoid"},
	"activity_cutoff_factor_milli": {"", "thousandths of tempo", "a validator inactive this long loses its permit (btcli's activity_cutoff counts blocks instead)"},
	"immunity_period":              {"immunity_period", "blocks", "how long a new neuron cannot be pruned"},
	"min_allowed_weights":          {"min_allowed_weights", "count", "fewest non-zero weights a validator must set"},
	"max_weights_limit":            {"max_weights_limit", "u16 fraction (x/65535)", "largest share one weight may take"},
	"max_allowed_uids":             {"max_uids", "count", "neuron slots of the subnet"},
	"max_allowed_validators":       {"max_validators", "count", "validator permits per epoch"},
	"weights_set_rate_limit":       {"weights_rate_limit", "blocks", "blocks between two weight settings of a hotkey"},
	"weights_version_key":          {"weights_version", "integer", "weights with an older version key are refused"},
	"bonds_moving_average":         {"bonds_moving_avg", "millionths (975000 = 0.975)", "how slowly bonds follow the weights"},
	"bonds_penalty":                {"bonds_penalty", "u16 fraction (x/65535)", "bond cut for weights above consensus"},
	"yuma3":                        {"yuma3_enabled", "bool", "Yuma 3 bonds"},
	"liquid_alpha":                 {"liquid_alpha_enabled", "bool", "per-pair bond EMA between alpha_low and alpha_high"},
	"alpha_low":                    {"alpha_low", "u16 fraction (x/65535)", "lowest liquid-alpha bond EMA"},
	"alpha_high":                   {"alpha_high", "u16 fraction (x/65535)", "highest liquid-alpha bond EMA"},
	"alpha_sigmoid_steepness":      {"alpha_sigmoid_steepness", "integer", "steepness of the liquid-alpha sigmoid"},
	"commit_reveal":                {"commit_reveal_weights_enabled", "bool", "weights are committed as hashes and revealed later"},
	"reveal_period_epochs":         {"commit_reveal_period", "epochs", "epochs between a commit and its reveal"},
	"owner_cut_enabled":            {"", "bool", "the owner takes its cut of the subnet's emission"},
	"min_burn":                     {"min_burn", "rao", "lowest registration burn"},
	"max_burn":                     {"max_burn", "rao", "highest registration burn"},
	"burn_half_life":               {"", "blocks", "the registration burn halves toward min_burn over this many blocks"},
	"burn_increase_mult_ppm":       {"", "millionths (1260000 = x1.26)", "burn multiplier after each registration"},
	"registration_allowed":         {"registration_allowed", "bool", "burned registration is open"},
	"pow_registration_allowed":     {"network_pow_registration_allowed", "bool", "proof-of-work registration is open"},
	"difficulty":                   {"difficulty", "integer", "proof-of-work registration difficulty"},
	"serving_rate_limit":           {"serving_rate_limit", "blocks", "blocks between two axon updates of a hotkey"},
	"immune_owner_uids_limit":      {"", "count", "owner hotkeys that are never pruned"},
	"min_non_immune_uids":          {"", "count", "neurons that must stay prunable"},
	"whitepaper":                   {"", "bool", "whitepaper consensus instead of Yuma"},
	"fee_rate":                     {"", "u16 fraction (x/65535)", "swap fee of the subnet's pool"},
	"emission_enabled":             {"", "bool", "the subnet receives emission"},
}

// btcliOnlyHyperparams are btcli names whose btui counterpart has another unit: refused with
// the translation instead of silently mapped.
var btcliOnlyHyperparams = map[string]string{
	"activity_cutoff": "btui sets activity_cutoff_factor_milli, in thousandths of tempo (btcli's activity_cutoff counts blocks): for a cutoff of B blocks give B*1000/tempo",
	"alpha_values":    "set alpha_low and alpha_high one at a time",
}

// canonicalHyperparam returns btui's name for a btcli or btui name (unknown names unchanged,
// so that the command reports them).
func canonicalHyperparam(name string) string {
	n := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(name, "-", "_")))
	if _, ok := hyperparamDocs[n]; ok {
		return n
	}
	for btui, d := range hyperparamDocs {
		if d.Btcli != "" && d.Btcli == n {
			return btui
		}
	}
	switch n {
	case "network_registration_allowed":
		return "registration_allowed"
	case "yuma_version":
		return "yuma3"
	}
	return name
}

// btcliHyperparamError explains a btcli name that btui has under another unit.
func btcliHyperparamError(name string) error {
	if why, ok := btcliOnlyHyperparams[strings.ToLower(strings.TrimSpace(name))]; ok {
		return usageErrorf("hyperparameter %q: %s", name, why)
	}
	return nil
}

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
