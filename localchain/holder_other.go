//go:build !unix

package localchain

// processAlive cannot tell on this system: Open waits its lock timeout as before.
func processAlive(int) bool { return false }

func lockTaken(string) bool { return false }
