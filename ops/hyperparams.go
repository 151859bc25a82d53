package ops

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/btui/btui/chainclient"
	"github.com/btui/btui/protocol"
	"github.com/btui/btui/wallet"
)

// Hyperparameters: the one table of their names as btcli spells them, units and descriptions
// (the CLI's `sudo set`, `sudo get` and `subnets hyperparameters`, and the console's
// hyperparameter form), the parsing of a value, and the plan of subtensor.set_hyperparameter.
// Who may set a hyperparameter is protocol's table (protocol.HyperFields); the bounds and the
// cross-field checks are the chain's rules (localchain's hyperRules), which the plan reaches
// through the chain's dry run.

// HyperparamDoc describes one hyperparameter of the chain.
type HyperparamDoc struct {
	Name  string // btui's name: the chain's set_hyperparameter name and the JSON name
	Btcli string // btcli's name; "" when btcli has none
	Unit  string
	About string
	Type  string // "bool", "u16", "u32" or "u64"
	Owner bool   // the subnet owner may set it (within the chain's owner bounds); sudo always may
}

// hyperparamDocs: every name of protocol.HyperFields (TestHyperparamTableCoversChain).
var hyperparamDocs = map[string]struct{ btcli, unit, about string }{
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

// btcliAliases are further btcli spellings of a btui name.
var btcliAliases = map[string]string{
	"network_registration_allowed": "registration_allowed",
	"yuma_version":                 "yuma3",
}

// btcliOnlyHyperparams are btcli names whose btui counterpart has another unit: refused with
// the translation instead of silently mapped.
var btcliOnlyHyperparams = map[string]string{
	"activity_cutoff": "btui sets activity_cutoff_factor_milli, in thousandths of tempo (btcli's activity_cutoff counts blocks): for a cutoff of B blocks give B*1000/tempo",
	"alpha_values":    "set alpha_low and alpha_high one at a time",
}

// hyperparamTypes maps each JSON name of protocol.Hyperparams to its Go kind's name.
var hyperparamTypes = func() map[string]string {
	out := map[string]string{}
	t := reflect.TypeOf(protocol.Hyperparams{})
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		switch t.Field(i).Type.Kind() {
		case reflect.Bool:
			out[name] = "bool"
		case reflect.Uint16:
			out[name] = "u16"
		case reflect.Uint32:
			out[name] = "u32"
		default:
			out[name] = "u64"
		}
	}
	return out
}()

// LookupHyperparam describes the hyperparameter btui calls name (btcli's names are not
// looked up here: CanonicalHyperparam first).
func LookupHyperparam(name string) (HyperparamDoc, bool) {
	typ, ok := hyperparamTypes[name]
	if !ok {
		return HyperparamDoc{}, false
	}
	d := hyperparamDocs[name]
	f, settable := protocol.LookupHyperField(name)
	return HyperparamDoc{Name: name, Btcli: d.btcli, Unit: d.unit, About: d.about, Type: typ, Owner: settable && f.Owner}, true
}

// Hyperparams lists every hyperparameter of protocol.Hyperparams, sorted by btui's name.
func Hyperparams() []HyperparamDoc {
	out := make([]HyperparamDoc, 0, len(hyperparamTypes))
	for name := range hyperparamTypes {
		d, _ := LookupHyperparam(name)
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// CanonicalHyperparam returns btui's name for a btcli or btui name (case, '-' and spaces
// forgiven); an unknown name comes back unchanged, for the caller to report.
func CanonicalHyperparam(name string) string {
	n := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(name, "-", "_")))
	if _, ok := hyperparamDocs[n]; ok {
		return n
	}
	for btui, d := range hyperparamDocs {
		if d.btcli != "" && d.btcli == n {
			return btui
		}
	}
	if btui, ok := btcliAliases[n]; ok {
		return btui
	}
	return name
}

// BtcliHyperparamError is the KindInput error (about "Param") for a btcli name that btui has
// under another unit, or nil.
func BtcliHyperparamError(name string) error {
	if why, ok := btcliOnlyHyperparams[strings.ToLower(strings.TrimSpace(name))]; ok {
		return inputf("Param", "hyperparameter %q: %s", name, why)
	}
	return nil
}

// UnknownHyperparam is the KindInput error (about "Param") for a name the chain does not know.
func UnknownHyperparam(name string) error {
	var names, btcli []string
	for n := range protocol.HyperparamNames() {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if d := hyperparamDocs[n].btcli; d != "" && d != n {
			btcli = append(btcli, d)
		}
	}
	return inputf("Param", "unknown hyperparameter %q: the names are %s (btcli's names %s are accepted too)", name, strings.Join(names, ", "), strings.Join(btcli, ", "))
}

// ParseHyperparam resolves a settable hyperparameter's name (btui's or btcli's) and parses
// value for its type: booleans take true/false, 1/0, on/off, yes/no; integers must fit the
// type. Errors are KindInput about "Param" (the name) or "Value".
func ParseHyperparam(name, value string) (string, uint64, error) {
	if err := BtcliHyperparamError(name); err != nil {
		return "", 0, err
	}
	canon := CanonicalHyperparam(name)
	d, ok := LookupHyperparam(canon)
	if _, settable := protocol.LookupHyperField(canon); !ok || !settable {
		return "", 0, UnknownHyperparam(name)
	}
	s := strings.TrimSpace(value)
	if d.Type == "bool" {
		switch strings.ToLower(s) {
		case "true", "1", "on", "yes":
			return canon, 1, nil
		case "false", "0", "off", "no":
			return canon, 0, nil
		}
		return "", 0, inputf("Value", "%q: %s is a boolean: give true or false", s, canon)
	}
	bitsz := map[string]int{"u16": 16, "u32": 32, "u64": 64}[d.Type]
	v, err := strconv.ParseUint(s, 10, bitsz)
	if err != nil {
		return "", 0, inputf("Value", "%q: %s is an integer from 0 to %d", s, canon, ^uint64(0)>>(64-bitsz))
	}
	return canon, v, nil
}

// HyperparamInput is a hyperparameter change, resolved: the signing coldkey, the subnet, the
// name (btui's or btcli's) and the value as typed.
type HyperparamInput struct {
	Signer wallet.AccountID
	Netuid uint16
	Param  string
	Value  string
}

// HyperparamPreview is the JSON preview of a hyperparameter change.
type HyperparamPreview struct {
	Netuid uint16 `json:"netuid"`
	Param  string `json:"param"`
	Old    uint64 `json:"old"`
	New    uint64 `json:"new"`
	As     string `json:"as"` // "owner" or "sudo"
	Fee    uint64 `json:"fee"`
}

// PlanSetHyperparameter plans subtensor.set_hyperparameter: the name and value parsed
// (ParseHyperparam), the value now read for the preview, and the chain's dry run for every
// rule: who may set it (the subnet owner for an owner parameter, or sudo), the owner's or
// sudo's bounds, the checks against the other hyperparameters, the owner's rate limit and the
// fee. A refusal for the signer is about "Signer", one for a sudo-only parameter about
// "Param", the others about "Value".
func PlanSetHyperparameter(ctx context.Context, c chainclient.Client, in HyperparamInput) (Plan, error) {
	name, v, err := ParseHyperparam(in.Param, in.Value)
	if err != nil {
		return Plan{}, err
	}
	si, err := c.Subnet(ctx, in.Netuid)
	if errors.Is(err, protocol.ErrNotFound) {
		return Plan{}, notFoundf("Netuid", "subnet %d does not exist (it was never created or has been dissolved): the subnet list shows the live ones", in.Netuid)
	}
	if err != nil {
		return Plan{}, chainErr(err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	h, err := c.Hyperparameters(ctx, in.Netuid)
	if err != nil {
		return Plan{}, chainErr(err)
	}
	f, _ := protocol.LookupHyperField(name)
	old := f.Get(&h)
	as := "owner"
	if in.Signer == info.Sudo {
		as = "sudo"
	}
	p := Plan{
		Title:  fmt.Sprintf("Set %s of subnet %d to %d (as %s)", name, in.Netuid, v, as),
		Signer: in.Signer,
		Call:   protocol.SetHyperparameter{Netuid: in.Netuid, Name: name, Value: v},
	}
	if err := simulate(ctx, c, &p, "Value"); err != nil {
		return Plan{}, hyperparamRefusal(err, in, si, info, name)
	}
	pv := HyperparamPreview{Netuid: in.Netuid, Param: name, Old: old, New: v, As: as, Fee: p.Sim.Receipt.Fee}
	p.JSON = pv
	p.Lines = []Line{{"now", fmt.Sprint(old)}, {"new", fmt.Sprint(v)}, {"fee", tao(pv.Fee)}}
	return p, nil
}

// hyperparamRefusal words the chain's refusal of who may set a hyperparameter in the
// request's terms; every other refusal passes unchanged.
func hyperparamRefusal(err error, in HyperparamInput, si protocol.SubnetInfo, info protocol.ChainInfo, name string) error {
	var oe *Error
	if !errors.As(err, &oe) || oe.Sim == nil {
		return err
	}
	code, _ := protocol.CodeOf(oe.Err)
	e := *oe
	switch code {
	case protocol.CodeNotSubnetOwner:
		e.Field = "Signer"
		e.Msg = fmt.Sprintf("%s is not the owner of subnet %d (%s) nor the sudo account: it cannot set hyperparameters; nothing was submitted", in.Signer, in.Netuid, si.Owner)
	case protocol.CodeNotSettable:
		e.Field = "Param"
		e.Msg = fmt.Sprintf("%s can only be set by the sudo account (%s), not by the subnet owner; nothing was submitted", name, info.Sudo)
	default:
		return err
	}
	return &e
}
