package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// This file holds what happens to the command line before and around cobra's parsing: the
// words of an unknown command, btcli's -n, flags that must not be empty, and flag errors
// rewritten so that they say what was wrong in the user's terms (a negative number, a value
// out of range) instead of pflag's or strconv's.

// checkUnknownCommand refuses an unknown subcommand before its flags are parsed: cobra would
// otherwise parse the flags first and report "unknown flag: --netuid" for
// `btui subnets no-such --netuid 2`. Exit code 2.
func checkUnknownCommand(root *cobra.Command, args []string) error {
	if len(args) > 0 && (args[0] == "help" || strings.HasPrefix(args[0], "__complete")) {
		return nil
	}
	cmd, rest, err := root.Find(args)
	if err != nil || !cmd.HasAvailableSubCommands() {
		return nil
	}
	word := firstPositional(cmd, rest)
	if word == "" {
		return nil
	}
	where := cmd.CommandPath()
	msg := fmt.Sprintf("unknown command %q for %q", word, where)
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2
	}
	if s := cmd.SuggestionsFor(word); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return usageErrorf("%s (run `%s --help` for its commands)", msg, where)
}

// firstPositional returns the first argument that is neither a flag nor a flag's value.
func firstPositional(cmd *cobra.Command, args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return ""
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return a
		}
		if strings.Contains(a, "=") {
			continue
		}
		var fl *pflag.Flag
		if strings.HasPrefix(a, "--") {
			name := string(normalizeFlag(nil, a[2:]))
			fl = cmd.Flags().Lookup(name)
			if fl == nil {
				fl = cmd.InheritedFlags().Lookup(name)
			}
			if fl == nil {
				fl = cmd.Root().PersistentFlags().Lookup(name)
			}
		} else if len(a) == 2 {
			fl = cmd.Flags().ShorthandLookup(a[1:])
			if fl == nil {
				fl = cmd.Root().PersistentFlags().ShorthandLookup(a[1:])
			}
		}
		if fl != nil && fl.NoOptDefVal == "" {
			i++ // the flag's value
		}
	}
	return ""
}

// btcliShorthands rewrites btcli's -n (netuid) into --netuid for a command that has --netuid
// and no -n of its own.
func btcliShorthands(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd.Flags().Lookup("netuid") == nil || cmd.Flags().ShorthandLookup("n") != nil {
		return args
	}
	out := make([]string, len(args))
	for i, a := range args {
		switch {
		case a == "--":
			copy(out[i:], args[i:])
			return out
		case a == "-n":
			a = "--netuid"
		case strings.HasPrefix(a, "-n="):
			a = "--netuid=" + a[3:]
		case strings.HasPrefix(a, "-n") && len(a) > 2 && a[2] >= '0' && a[2] <= '9':
			a = "--netuid=" + a[2:]
		}
		out[i] = a
	}
	return out
}

// nonEmptyValue is a string flag that refuses "": `--wallet-name ”` would otherwise fall
// back to the default silently.
type nonEmptyValue struct{ p *string }

func (v nonEmptyValue) String() string { return *v.p }
func (v nonEmptyValue) Type() string   { return "string" }
func (v nonEmptyValue) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("it is empty: give a value or leave the flag out for the default")
	}
	*v.p = s
	return nil
}

// nonEmptyVarP defines a string flag that refuses an empty value.
func nonEmptyVarP(fs *pflag.FlagSet, p *string, name, shorthand, usage string) {
	fs.VarP(nonEmptyValue{p: p}, name, shorthand, usage)
}

var (
	reShorthandNumber = regexp.MustCompile(`^unknown shorthand flag: '[0-9.]' in (-[0-9][0-9.]*)$`)
	reInvalidArgument = regexp.MustCompile(`^invalid argument "(.*)" for "(?:-[A-Za-z], )?--([A-Za-z0-9._-]+)" flag: (.*)$`)
)

// flagRanges are the accepted ranges of pflag's integer types.
var flagRanges = map[string]string{
	"uint8": "0 to 255", "uint16": "0 to 65535", "uint32": "0 to 4294967295", "uint64": "0 to 18446744073709551615",
	"uint": "0 to 18446744073709551615", "int8": "-128 to 127", "int16": "-32768 to 32767",
	"int32": "-2147483648 to 2147483647", "int": "-9223372036854775808 to 9223372036854775807",
	"int64": "-9223372036854775808 to 9223372036854775807",
}

// explainFlagError turns pflag's errors into ones that say what was wrong and the fix.
func explainFlagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if msg == "unknown flag: --offline" {
		return fmt.Errorf("unknown flag: --offline: `%s` signs nothing for a subtensor network (devnet-only or read-only); the transaction commands take --offline, and `btui tx sign --offline` signs any call (docs/offline-signing.md)", cmd.CommandPath())
	}
	if m := reShorthandNumber.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s: negative numbers are not allowed here (`%s --help` says what each argument takes)", m[1], cmd.CommandPath())
	}
	m := reInvalidArgument.FindStringSubmatch(msg)
	if m == nil {
		return err
	}
	val, name, why := m[1], m[2], m[3]
	typ := ""
	if fl := cmd.Flags().Lookup(name); fl != nil {
		typ = fl.Value.Type()
	}
	rng, isInt := flagRanges[typ]
	switch {
	case !isInt:
		return err
	case strings.HasPrefix(val, "-") && strings.HasPrefix(typ, "uint"):
		return fmt.Errorf("invalid argument %q for --%s: negative numbers are not allowed (give an integer from %s)", val, name, rng)
	case strings.Contains(why, "value out of range"):
		return fmt.Errorf("invalid argument %q for --%s: out of range (give an integer from %s)", val, name, rng)
	default:
		return fmt.Errorf("invalid argument %q for --%s: not a whole number (give an integer from %s)", val, name, rng)
	}
}

// applyGlobalFlags checks the global flags that depend on one another and applies --quiet and
// --verbose. It runs before every command.
func applyGlobalFlags(cmd *cobra.Command, f *Factory) error {
	o := f.Opts
	switch {
	case o.Yes && o.No:
		return usageErrorf("--yes and --no contradict each other: give one")
	case o.Quiet && o.Verbose:
		return usageErrorf("--quiet and --verbose contradict each other: give one")
	}
	if err := applyDevScheme(cmd, o); err != nil {
		return err
	}
	f.IO.AnswerNo = o.No
	if o.Quiet {
		f.IO.PromptOut = f.IO.ErrOut
		f.IO.ErrOut = io.Discard
		cmd.SetErr(io.Discard)
	}
	if o.Verbose {
		printSources(f)
	}
	return nil
}
