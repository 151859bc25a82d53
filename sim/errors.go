package sim

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidScenario is wrapped by every scenario validation failure (*ScenarioError).
var ErrInvalidScenario = errors.New("invalid scenario")

// ErrSetup is wrapped when the chain refuses a step of setting a scenario up (funding, subnet
// creation, hyperparameters, registration, staking): the receipt's message says why.
var ErrSetup = errors.New("scenario setup failed")

// ErrNotIncluded is wrapped when a transaction of the simulation is still pending after the
// blocks the simulation waited for (another producer paused, a full pool).
var ErrNotIncluded = errors.New("transaction not included")

// FieldError is one problem of a scenario file, at a JSON path such as "groups[2].behaviour.kind".
type FieldError struct {
	Path string
	Msg  string
}

// Error returns "path: message".
func (e FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// ScenarioError lists every problem found in a scenario; it wraps ErrInvalidScenario.
type ScenarioError struct {
	Source string // file name, if known
	Errs   []FieldError
}

// Error lists the problems, one per line after the first.
func (e *ScenarioError) Error() string {
	var b strings.Builder
	src := e.Source
	if src == "" {
		src = "scenario"
	}
	fmt.Fprintf(&b, "%s: %d problem", src, len(e.Errs))
	if len(e.Errs) != 1 {
		b.WriteString("s")
	}
	for _, fe := range e.Errs {
		b.WriteString("\n  ")
		b.WriteString(fe.Error())
	}
	return b.String()
}

// Unwrap returns ErrInvalidScenario.
func (e *ScenarioError) Unwrap() error { return ErrInvalidScenario }
