package mechanism

import "errors"

// Sentinel errors of the chain-facing mechanism functions (weights, commit-reveal, pools,
// registration). Each corresponds to one subtensor dispatch error; the chain turns them into
// receipt codes with errors.Is. Functions wrap them with fmt.Errorf("...: %w") to add the
// offending values, so compare with errors.Is, never with ==.
var (
	// ErrRootNetworkWeights: set_weights was called on the root network (netuid 0).
	ErrRootNetworkWeights = errors.New("weights cannot be set on the root network: use a subnet netuid")
	// ErrWeightVecNotEqualSize: the uids and values vectors differ in length.
	ErrWeightVecNotEqualSize = errors.New("uids and weights differ in length: send one weight per uid")
	// ErrTooManyUids: more uids than the subnet has neurons.
	ErrTooManyUids = errors.New("more uids than neurons on the subnet: send at most one weight per neuron")
	// ErrHotkeyNotRegistered: the hotkey has no uid on the subnet.
	ErrHotkeyNotRegistered = errors.New("hotkey is not registered on the subnet: register it first")
	// ErrNotEnoughStakeToSetWeights: the hotkey's stake weight is below StakeThreshold.
	ErrNotEnoughStakeToSetWeights = errors.New("stake weight below the stake threshold: add stake to the hotkey")
	// ErrIncorrectWeightVersionKey: the version key is older than the subnet's WeightsVersionKey.
	ErrIncorrectWeightVersionKey = errors.New("weights version key is out of date: upgrade the validator")
	// ErrSettingWeightsTooFast: fewer than WeightsSetRateLimit blocks since the last update.
	ErrSettingWeightsTooFast = errors.New("weights set too fast: wait for the rate limit to pass")
	// ErrNoValidatorPermit: a non-self weight vector from a uid without a validator permit.
	ErrNoValidatorPermit = errors.New("uid has no validator permit: only self-weights are allowed")
	// ErrDuplicateUids: a uid appears twice in the weight vector.
	ErrDuplicateUids = errors.New("duplicate uid in weights: list every uid once")
	// ErrInvalidUid: a uid that does not exist on the subnet.
	ErrInvalidUid = errors.New("uid does not exist on the subnet: weight only registered uids")
	// ErrWeightVecLengthIsLow: fewer weights than min(MinAllowedWeights, n).
	ErrWeightVecLengthIsLow = errors.New("too few weights: set at least the subnet's minimum number of weights")
	// ErrMaxWeightExceeded: the largest normalised weight exceeds MaxWeightsLimit.
	ErrMaxWeightExceeded = errors.New("a weight exceeds the subnet's max weight limit: spread weight over more uids")
	// ErrCommitRevealEnabled: plain set_weights on a subnet with commit-reveal on.
	ErrCommitRevealEnabled = errors.New("commit-reveal is enabled on the subnet: commit and reveal weights instead")
	// ErrCommitRevealDisabled: commit or reveal on a subnet with commit-reveal off.
	ErrCommitRevealDisabled = errors.New("commit-reveal is disabled on the subnet: use set_weights")
	// ErrCommittingWeightsTooFast: a commit within WeightsSetRateLimit blocks of the last update.
	ErrCommittingWeightsTooFast = errors.New("weights committed too fast: wait for the rate limit to pass")
	// ErrTooManyUnrevealedCommits: the hotkey already holds the maximum of unrevealed commits.
	ErrTooManyUnrevealedCommits = errors.New("too many unrevealed weight commits: reveal or let some expire first")
	// ErrNoWeightsCommitFound: a reveal without any live commit.
	ErrNoWeightsCommitFound = errors.New("no weights commit found: commit the weights hash first")
	// ErrRevealTooEarly: a reveal before the commit's reveal epoch.
	ErrRevealTooEarly = errors.New("reveal is too early: wait for the commit's reveal epoch")
	// ErrExpiredWeightCommit: the matching commit's reveal epoch has passed.
	ErrExpiredWeightCommit = errors.New("weights commit has expired: commit again")
	// ErrRevealHashMismatch: the revealed data does not hash to any live commit.
	ErrRevealHashMismatch = errors.New("revealed weights do not match any commit: reveal the exact uids, values, salt and version key")

	// ErrPoolEmpty: a reserve of the pool is zero, so it cannot quote or swap.
	ErrPoolEmpty = errors.New("pool has an empty reserve: it cannot trade until liquidity is injected")
	// ErrZeroAmount: a swap of zero.
	ErrZeroAmount = errors.New("swap amount is zero: send a positive amount")
	// ErrReservesTooLow: the swap would leave the output reserve below MinimumReserve or pay nothing.
	ErrReservesTooLow = errors.New("pool reserves too low for this swap: trade a smaller amount")
	// ErrSwapInputTooLarge: the net input exceeds 1000 times the input reserve.
	ErrSwapInputTooLarge = errors.New("swap input too large for the pool: trade at most 1000 times the reserve")
	// ErrPriceLimitExceeded: the price is already beyond the order's limit, nothing can trade.
	ErrPriceLimitExceeded = errors.New("price is already beyond the limit: raise the limit or wait")
	// ErrInvalidPoolWeight: a quote weight outside [0.01, 0.99].
	ErrInvalidPoolWeight = errors.New("pool weight outside [0.01, 0.99]: the injection would unbalance the pool")

	// ErrInvalidWorkBlock: the PoW block number is in the future or more than two blocks old.
	ErrInvalidWorkBlock = errors.New("proof-of-work block is in the future or too old: solve for a recent block")
	// ErrInvalidDifficulty: the seal does not meet the subnet's difficulty.
	ErrInvalidDifficulty = errors.New("proof-of-work does not meet the difficulty: keep solving")
	// ErrInvalidSeal: the submitted work is not the seal of (block hash, hotkey, nonce).
	ErrInvalidSeal = errors.New("proof-of-work seal does not match the block hash, hotkey and nonce")
	// ErrDuplicateWork: the same work was already used for a registration.
	ErrDuplicateWork = errors.New("proof-of-work already used: solve again")
	// ErrRegistrationPriceLimit: the burn cost exceeds the caller's limit price.
	ErrRegistrationPriceLimit = errors.New("registration burn exceeds the limit price: raise the limit or wait for the price to decay")
	// ErrInvalidBurnParams: owner-set registration-price parameters outside their bounds.
	ErrInvalidBurnParams = errors.New("registration price parameters out of bounds: see the allowed ranges")
	// ErrNoNeuronToPrune: the subnet is full and every uid is owner-immortal.
	ErrNoNeuronToPrune = errors.New("subnet is full and no uid can be replaced: wait for immunity to end")
)
