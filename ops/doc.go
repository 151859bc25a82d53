// Package ops turns what a person asked for into a checked transaction plan: the one
// preparation of every transaction shared by the CLI (cmd/btui) and the console (tui). It
// imports chainclient, protocol, mechanism and wallet; it knows no cobra, no flags, no exit
// codes and no keys.
//
// # API
//
// Every action is one function over a chain client and a resolved input (accounts, not
// wallet names; rao, not text):
//
//	PlanTransfer(ctx, c, TransferInput{From, To, Amount, All, AllowDeath}) (Plan, error)
//	PlanStakeAdd(ctx, c, StakeInput{Cold, Hot, Netuid, Amount, All, Trade}) (Plan, error)
//	PlanStakeRemove(ctx, c, StakeInput{...})                               (Plan, error)
//	PlanStakeMove(ctx, c, StakeMoveInput{Cold, Hot, DestHot, Origin, DestNetuid, Amount,
//	    All, Trade})                                                       (Plan, error)
//	PlanBurnedRegister(ctx, c, RegisterInput{Cold, Hot, Netuid, MaxBurn}) (Plan, error)
//	PlanPowRegister(ctx, c, PowRegisterInput{Cold, Hot, Netuid})          (Plan, error)
//	SolvePow(ctx, c, plan, progress)     (Plan, error): the work, just before signing
//	PlanSetHyperparameter(ctx, c, HyperparamInput{Signer, Netuid, Param, Value}) (Plan, error)
//	PlanSetWeights / PlanCommitWeights / PlanRevealWeights(ctx, c, WeightsInput{Hot, Netuid,
//	    Uids, Values, VersionKey, Salt})                                   (Plan, error)
//	PlanSetIdentity(ctx, c, IdentityInput{Cold, Identity})               (Plan, error)
//	PlanSetSubnetIdentity(ctx, c, SubnetIdentityInput{Owner, Netuid, Identity}) (Plan, error)
//	PlanStakeTransfer(ctx, c, StakeTransferInput{Cold, Hot, DestCold, Origin, DestNetuid,
//	    Amount, All, Trade}) / PlanStakeSwap(ctx, c, StakeSwapInput{...})  (Plan, error)
//	PlanSetTake(ctx, c, TakeInput{Cold, Hot, Take})                        (Plan, error)
//	PlanCreateSubnet(ctx, c, SubnetCreateInput{Owner, Hot, MaxLock}) / PlanStartSubnet(ctx,
//	    c, SubnetStartInput{Owner, Netuid})                                (Plan, error)
//	PlanServeAxon(ctx, c, AxonInput{Hot, Netuid, IP, IPType, Port, Protocol, Version, Reset})
//	PlanSwapHotkey(ctx, c, SwapHotkeyInput{Cold, Hot, NewHotkey})          (Plan, error)
//	PlanFaucet(ctx, c, FaucetInput{To, Amount})   (Plan, error; a refused faucet is not an
//	    error: the devnet records it as a failed receipt, Plan.Sim says so)
//
// and the helpers the forms need: ParseTolerance (a tolerance fraction into ppm),
// ParseHyperparam, CanonicalHyperparam and Hyperparams (the hyperparameters' one table of
// btui's and btcli's names, units and descriptions),
// QuoteTrade and Quote.Lines (a pool trade's preview), TradingSubnet (a subnet's market),
// StakeOf, WeightsLines, PreviewLines (a simulation's balance and stake changes).
//
// A Plan is Title, Signer, Call, Lines (the preview for people), JSON (the preview object of
// the --json result) and Sim, the chain's own dry run of the call. The caller confirms, then
// unlocks a key, checks that its account is Plan.Signer, signs Plan.Call
// (chainclient.Sign) and submits it; a "dry run" instead shows Plan.Sim (or calls
// Client.Simulate) and submits nothing.
//
// # Pre-checks are quotes plus Simulate
//
// A plan reads only what it needs to quote (a pool's reserves and fee for the price and the
// limit price, a balance for "all", a position for "all" of it) and then asks the chain to
// run the call at its head in a rolled-back transaction (Client.Simulate). Every rule (the
// minimum stake, the existential deposit, a validator permit and its owner exemption, the
// stake threshold, the rate limits, ...) is the chain's, written once in localchain and
// mechanism; a plan never restates one. Balances and stake "after" in a preview come from that
// simulation, i.e. from one read transaction of the chain.
//
// # One snapshot
//
// A stake plan's quote comes from one query, Client.StakeView (ReadStakeSnapshot): the
// subnets' rows and fee rates, the minimum reserve, the coldkey's balance and positions, the
// fee and the existential deposit, read in one transaction at one head. Its dry run must then
// run in the block right after that head (Simulation.Height); when a block landed in between,
// the plan reads and dry-runs again (up to three times), so the quote and the simulated
// outcome describe the same state. The other plans read nothing before their dry run but
// what does not move (the sudo account), or take what the preview shows from the dry run
// itself (the lock cost and the old take from its events); swap-hotkey's subnet list and
// axon reset's "serving?" are read after it.
//
// # Errors
//
// Every error is an *Error: Kind (KindInput: wrong for the chain's state or on its own,
// nothing submitted; KindNotFound: a subnet, hotkey or position does not exist; KindChain:
// the chain could not be asked), Field (the input struct's field the error is about, e.g.
// "Amount", "To", "Tolerance", "Netuid", "Uids"; "" for none) and Msg (words without flag names).
// The CLI maps Field to its flag and Kind to an exit code; the console maps Field to its form
// field. Refused(err) returns the chain's simulation when the dry run refused the call.
package ops
