package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
)

// The config file holds defaults for the global flags, in the user's config directory
// ($XDG_CONFIG_HOME/btui/config.json, else ~/.config/btui/config.json; env BTUI_CONFIG names
// another file). Precedence: flag, then environment variable, then config file, then built-in
// default. It is one small JSON object with string values, written atomically.

// configKeys are the settable keys, each with what it is the default of.
var configKeys = map[string]string{
	"wallet-name":   "--wallet-name",
	"wallet-hotkey": "--wallet-hotkey",
	"wallet-path":   "--wallet-path",
	"node":          "--node",
	"datadir":       "--datadir",
}

func configKeyList() string {
	keys := make([]string, 0, len(configKeys))
	for k := range configKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// btuiConfig is the loaded config file.
type btuiConfig struct {
	path   string
	values map[string]string
	err    error // a file that exists but cannot be read or parsed
	warned bool
}

// ConfigPath is the config file's path; "" when the environment names no home or config
// directory (then there is no config file).
func (f *Factory) ConfigPath() string {
	if p := f.getenv("BTUI_CONFIG"); p != "" {
		return p
	}
	dir := f.getenv("XDG_CONFIG_HOME")
	if dir == "" {
		// Only the factory's environment counts (a test's fake one has no HOME: no config).
		home := f.getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "btui", "config.json")
}

// loadConfig reads the config file; a missing file is an empty config.
func loadConfig(path string) (map[string]string, error) {
	if path == "" {
		return map[string]string{}, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var m map[string]string
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("config %s is not a JSON object of strings: %v (fix or remove it)", path, err)
	}
	if m == nil {
		m = map[string]string{}
	}
	for k := range m {
		if _, ok := configKeys[k]; !ok {
			return nil, fmt.Errorf("config %s has unknown key %q (the keys are %s)", path, k, configKeyList())
		}
	}
	return m, nil
}

// configValue returns the config file's value for key, or "" (a broken file is reported once
// on stderr and otherwise ignored, so that flags still work).
func (f *Factory) configValue(key string) string {
	if f.cfg == nil {
		c := &btuiConfig{path: f.ConfigPath()}
		c.values, c.err = loadConfig(c.path)
		f.cfg = c
	}
	if f.cfg.err != nil {
		if !f.cfg.warned && f.IO != nil {
			fmt.Fprintln(f.IO.ErrOut, "warning: "+f.cfg.err.Error())
			f.cfg.warned = true
		}
		return ""
	}
	return f.cfg.values[key]
}

// writeConfig writes m to path atomically: a temporary file in the same directory, synced,
// renamed over the old file, and the directory synced.
func writeConfig(path string, m map[string]string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create config directory: %w", err)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".config-*.json")
	if err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write config: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write config: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// newCmdConfig is the `btui config` group.
func newCmdConfig(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config <command>",
		Short: "Get and set defaults for the global flags",
		Long: `Defaults for the global flags, kept in a small JSON file in the user's config directory
($XDG_CONFIG_HOME/btui/config.json, or ~/.config/btui/config.json; env BTUI_CONFIG names another
file). Keys: ` + configKeyList() + `. A flag or environment variable still wins over the file.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCmdConfigGet(f, nil), newCmdConfigSet(f, nil))
	return cmd
}

type configGetOptions struct {
	f   *Factory
	Key string
}

func newCmdConfigGet(f *Factory, runF func(*configGetOptions) error) *cobra.Command {
	opts := &configGetOptions{f: f}
	return &cobra.Command{
		Use:   "get [KEY]",
		Short: "Show the config file's values (all, or one key)",
		Long: `Show every key of the config file, or one.

JSON (--json): {"path", "values": {KEY: VALUE}} (keys that are not set are absent); with KEY,
{"path", "key", "value", "set"}.`,
		Args:      usageArgs(cobra.MaximumNArgs(1)),
		ValidArgs: []string{"wallet-name", "wallet-hotkey", "wallet-path", "node", "datadir"},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Key = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return configGetRun(opts)
		},
	}
}

type configJSON struct {
	Path   string            `json:"path"`
	Values map[string]string `json:"values"`
}

type configKeyJSON struct {
	Path  string `json:"path"`
	Key   string `json:"key"`
	Value string `json:"value"`
	Set   bool   `json:"set"`
}

func configGetRun(o *configGetOptions) error {
	f := o.f
	path := f.ConfigPath()
	m, err := loadConfig(path)
	if err != nil {
		return err
	}
	if o.Key != "" {
		if _, ok := configKeys[o.Key]; !ok {
			return usageErrorf("unknown config key %q: the keys are %s", o.Key, configKeyList())
		}
		v, set := m[o.Key]
		return printJSONOr(f, configKeyJSON{Path: path, Key: o.Key, Value: v, Set: set}, func(w io.Writer) {
			if set {
				fmt.Fprintln(w, v)
			}
		})
	}
	return printJSONOr(f, configJSON{Path: path, Values: m}, func(w io.Writer) {
		fmt.Fprintf(w, "# %s\n", path)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "%s = %s\n", k, m[k])
		}
	})
}

type configSetOptions struct {
	f     *Factory
	Key   string
	Value string
	Unset bool
}

func newCmdConfigSet(f *Factory, runF func(*configSetOptions) error) *cobra.Command {
	opts := &configSetOptions{f: f}
	cmd := &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Set (or with --unset, remove) a default",
		Long: `Set the default of a global flag in the config file, written atomically. --unset KEY removes it.

JSON (--json): {"path", "values"} after the change.`,
		Example: `  btui config set wallet-name alice
  btui config set node http://127.0.0.1:9944
  btui config set --unset node`,
		Args: func(cmd *cobra.Command, args []string) error {
			if opts.Unset {
				if len(args) != 1 {
					return usageErrorf("--unset takes exactly one KEY")
				}
				return nil
			}
			if len(args) != 2 {
				return usageErrorf("give KEY and VALUE (the keys are %s)", configKeyList())
			}
			return nil
		},
		ValidArgs: []string{"wallet-name", "wallet-hotkey", "wallet-path", "node", "datadir"},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			if len(args) == 2 {
				opts.Value = args[1]
			}
			if runF != nil {
				return runF(opts)
			}
			return configSetRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Unset, "unset", false, "remove KEY from the file")
	return cmd
}

func configSetRun(o *configSetOptions) error {
	f := o.f
	if _, ok := configKeys[o.Key]; !ok {
		return usageErrorf("unknown config key %q: the keys are %s", o.Key, configKeyList())
	}
	v := strings.TrimSpace(o.Value)
	if !o.Unset {
		if v == "" {
			return usageErrorf("the value of %s is empty: use --unset %s to remove it", o.Key, o.Key)
		}
		if err := checkConfigValue(o.Key, v); err != nil {
			return err
		}
	}
	path := f.ConfigPath()
	if path == "" {
		return errors.New("no config directory: set HOME, XDG_CONFIG_HOME or BTUI_CONFIG")
	}
	m, err := loadConfig(path)
	if err != nil {
		return err
	}
	if o.Unset {
		delete(m, o.Key)
	} else {
		m[o.Key] = v
	}
	if err := writeConfig(path, m); err != nil {
		return err
	}
	f.cfg = nil
	return printJSONOr(f, configJSON{Path: path, Values: m}, func(w io.Writer) {
		if o.Unset {
			fmt.Fprintf(w, "removed %s from %s\n", o.Key, path)
		} else {
			fmt.Fprintf(w, "%s = %s (in %s)\n", o.Key, v, path)
		}
	})
}

// checkConfigValue validates a value the way its flag would be.
func checkConfigValue(key, v string) error {
	switch key {
	case "node":
		if _, err := resolveNode(v); err != nil {
			return usageErrorf("node: %v", err)
		}
	case "wallet-name", "wallet-hotkey":
		if strings.ContainsAny(v, "/\\") && !isDevName(v) {
			return usageErrorf("%s %q: a name has no path separators", key, v)
		}
	}
	return nil
}
