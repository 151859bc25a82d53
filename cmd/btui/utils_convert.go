package main

import (
	"context"
	"fmt"
	"github.com/btui/btui/protocol"
	"io"
	"math/big"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

type utilsConvertOptions struct {
	f   *Factory
	ctx context.Context

	TAO, Rao, Alpha string
	Netuid          uint16
	netuidSet       bool
}

func newCmdUtilsConvert(f *Factory, runF func(*utilsConvertOptions) error) *cobra.Command {
	opts := &utilsConvertOptions{f: f}
	cmd := &cobra.Command{
		Use:   "convert",
		Short: "Convert TAO and rao, and alpha and TAO at a subnet's current price",
		Long: `Convert an amount: --tao or --rao gives both units (1 TAO = 10^9 rao); with --netuid it also
gives the alpha that amount is worth at the subnet's current spot price, and --alpha (which
needs --netuid) gives the TAO it is worth. Spot price means no slippage: a real trade of that
size gets less (the preview of btui stake add quotes it exactly).

JSON (--json): {"rao", "tao", "netuid", "price", "alpha"}: rao is an integer, tao a decimal
string; with --netuid, price is the spot price in rao per alpha and alpha the amount in alpha
units of 10^-9 (without --netuid, netuid, price and alpha are absent).`,
		Example: `  btui utils convert --tao 1.5
  btui utils convert --rao 812252346
  btui utils convert --alpha 100 --netuid 1 --json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ctx, opts.netuidSet = cmd.Context(), cmd.Flags().Changed("netuid")
			if runF != nil {
				return runF(opts)
			}
			return utilsConvertRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.TAO, "tao", "", "an amount of TAO, up to 9 decimals")
	cmd.Flags().StringVar(&opts.Rao, "rao", "", "an amount of rao (a whole number)")
	cmd.Flags().StringVar(&opts.Alpha, "alpha", "", "an amount of alpha, up to 9 decimals (needs --netuid)")
	netuidFlag(cmd, &opts.Netuid, "the subnet whose price converts alpha and TAO")
	return cmd
}

type utilsConvertJSON struct {
	Rao    uint64  `json:"rao"`
	TAO    string  `json:"tao"`
	Netuid *uint16 `json:"netuid,omitempty"`
	Price  *uint64 `json:"price,omitempty"`
	Alpha  *uint64 `json:"alpha,omitempty"`
}

// mulDiv is a*b/c rounded down; ok is false when the result does not fit 64 bits.
func mulDiv(a, b, c uint64) (uint64, bool) {
	r := new(big.Int).Mul(new(big.Int).SetUint64(a), new(big.Int).SetUint64(b))
	r.Quo(r, new(big.Int).SetUint64(c))
	return r.Uint64(), r.IsUint64()
}

func utilsConvertRun(o *utilsConvertOptions) error {
	f := o.f
	given := 0
	for _, s := range []string{o.TAO, o.Rao, o.Alpha} {
		if s != "" {
			given++
		}
	}
	if given != 1 {
		return usageErrorf("give exactly one of --tao, --rao and --alpha")
	}
	if o.Alpha != "" && !o.netuidSet {
		return usageErrorf("--alpha needs --netuid: alpha is worth what its subnet's price says")
	}
	var out utilsConvertJSON
	var alpha uint64
	switch {
	case o.TAO != "":
		v, err := protocol.ParseTAO(o.TAO)
		if err != nil {
			return usageErrorf("--tao: %v", err)
		}
		out.Rao = v
	case o.Rao != "":
		s := strings.TrimSpace(o.Rao)
		if strings.HasPrefix(s, "-") {
			return usageErrorf("--rao %q: negative numbers are not allowed", o.Rao)
		}
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return usageErrorf("--rao %q: give a whole number of rao from 0 to 18446744073709551615", o.Rao)
		}
		out.Rao = v
	case o.Alpha != "":
		v, err := protocol.ParseTAO(o.Alpha)
		if err != nil {
			return usageErrorf("--alpha: %v", err)
		}
		alpha = v
	}
	if o.netuidSet {
		s, err := openChain(o.ctx, f)
		if err != nil {
			return err
		}
		defer s.Close()
		si, err := s.subnetInfo(o.Netuid)
		if err != nil {
			return err
		}
		if si.Price == 0 {
			return fmt.Errorf("subnet %d has no price yet (its pool is empty)", o.Netuid)
		}
		price := si.Price
		out.Netuid, out.Price = &o.Netuid, &price
		if o.Alpha != "" {
			tao, ok := mulDiv(alpha, price, 1e9)
			if !ok {
				return usageErrorf("--alpha %s at %s TAO per alpha is more TAO than can exist", o.Alpha, protocol.TAODecimal(price))
			}
			out.Rao = tao
		} else {
			a, ok := mulDiv(out.Rao, 1e9, price)
			if !ok {
				return usageErrorf("that much TAO is more alpha than can exist at %s TAO per alpha", protocol.TAODecimal(price))
			}
			alpha = a
		}
		out.Alpha = &alpha
	}
	out.TAO = protocol.TAODecimal(out.Rao)
	return printJSONOr(f, out, func(w io.Writer) {
		fmt.Fprintf(w, "%s TAO = %d rao\n", out.TAO, out.Rao)
		if out.Alpha != nil {
			fmt.Fprintf(w, "%s TAO = %s alpha on subnet %d at the spot price %s TAO per alpha (before slippage)\n",
				out.TAO, protocol.TAODecimal(*out.Alpha), o.Netuid, protocol.TAODecimal(*out.Price))
		}
	})
}
