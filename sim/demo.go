package sim

import (
	"bytes"
	_ "embed"
)

// demoJSON is examples/demo.json (a test keeps the two equal).
//
//go:embed demo.json
var demoJSON []byte

// DemoName is the name `btui devnet simulate` and the TUI accept for the built-in demo.
const DemoName = "demo"

// DemoScenario returns the built-in demo: a small living subnet with every behaviour, for a
// first run (the TUI's first-run offer, `btui devnet simulate demo`).
func DemoScenario() *Scenario {
	sc, err := Parse(bytes.NewReader(demoJSON), "demo")
	if err != nil {
		panic("sim: the embedded demo scenario is invalid: " + err.Error())
	}
	return sc
}
