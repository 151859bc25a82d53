// Command btui is a terminal wallet and operator console for a Bittensor-style intelligence
// market, with its own embedded devnet chain.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	io := SystemIO()
	code := Run(ctx, io, os.Args[1:])
	stop()
	os.Exit(code)
}
