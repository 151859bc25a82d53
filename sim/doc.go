// Package sim runs scenarios of simulated neurons on a chain: subnets with hyperparameters,
// validators and miners with stake, and behaviours (honest evaluators with noise and lag, lazy
// weight copiers, cabals, sybil registration bursts, miners going offline, validators that
// stop). It is what `btui devnet simulate` and the TUI's demo run.
//
// Every simulated neuron is a key pair derived from the scenario's name and seed (NeuronSURI)
// that signs real transactions through a chainclient.Client, so a scenario runs the same on
// the embedded devnet and on a `btui node`; the report's stake and emission are read back from
// the chain's metagraph after each epoch, never computed on the side.
//
// Parse reads a scenario (JSON, validated with field paths); Start runs it in the background
// and streams one EpochReport per epoch; Pause, Resume and Wait control and finish it. The
// behaviours are pure functions (HonestWeights, CopierWeights, CabalWeights) from what a
// validator observes to the weight row it sends. docs/simulate.md documents the format and
// reports the shipped scenarios' results.
package sim
