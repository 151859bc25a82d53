//go:build !race

package chainclient_test

// raceEnabled reports a -race build (long tests shrink under the race detector).
const raceEnabled = false
