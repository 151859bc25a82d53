package protocol

// Receipt codes of the subtensor modules, in the ranges codes.go reserves for them. Like every
// code they never change meaning once released.

// Subnets (register_network, start_call, hyperparameters, dissolve): 1000..1099.
const (
	CodeSubnetNotFound     Code = 1000 // no subnet with that netuid
	CodeNotSubnetOwner     Code = 1001 // the signer does not own the subnet
	CodeRootNetwork        Code = 1002 // the call is not allowed on the root network
	CodeNetworkRateLimited Code = 1003 // register_network again too soon
	CodeSubnetLimit        Code = 1004 // the subnet limit is reached and no subnet can be pruned (all immune)
	CodeAlreadyStarted     Code = 1005 // start_call on a started subnet
	CodeNotStarted         Code = 1006 // the subnet's owner has not called start_call
	CodeUnknownHyperparam  Code = 1007 // no hyperparameter of that name
	CodeHyperparamBounds   Code = 1008 // the value is outside the allowed bounds
	CodeNotSettable        Code = 1009 // the owner may not set this parameter (sudo only)
	CodeHyperparamRate     Code = 1010 // the owner set this parameter too recently, or the freeze window is on
	CodeLockPriceLimit     Code = 1011 // the lock cost exceeds the caller's limit
)

// Registration (burned_register, register, pruning): 1100..1199.
const (
	CodeAlreadyRegistered     Code = 1100 // the hotkey already has a uid on the subnet
	CodeRegistrationDisabled  Code = 1101 // registration (or PoW registration) is off on the subnet
	CodeSubnetFull            Code = 1102 // the subnet is full and no uid can be replaced
	CodeBurnPriceLimit        Code = 1103 // the burn exceeds the caller's limit
	CodeHotkeyOwnedByOther    Code = 1104 // the hotkey belongs to another coldkey
	CodeInvalidWorkBlock      Code = 1105 // PoW for a block in the future or too old
	CodeInvalidDifficulty     Code = 1106 // the seal does not meet the difficulty
	CodeInvalidSeal           Code = 1107 // the work is not the seal of (block hash, hotkey, nonce)
	CodeDuplicateWork         Code = 1108 // the PoW seal was used before
	CodeRegistrationSwapFails Code = 1109 // the burn could not be swapped through the pool
)

// Staking (add/remove/move/transfer/swap stake, takes): 1200..1299.
const (
	CodeStakeBelowMinimum   Code = 1200 // the amount is below the minimum stake
	CodeInsufficientStake   Code = 1201 // the position holds less than asked
	CodePriceLimitExceeded  Code = 1202 // the pool price is already beyond the limit
	CodeSwapFailed          Code = 1203 // the pool refused the swap (reserves, size)
	CodeHotkeyNotFound      Code = 1204 // the hotkey account does not exist
	CodeNotHotkeyOwner      Code = 1205 // the signer does not own the hotkey
	CodeTakeOutOfBounds     Code = 1206 // the take is outside [min take, max take]
	CodeTakeRateLimited     Code = 1207 // a take increase too soon after the previous one
	CodeTakeNotChanged      Code = 1208 // increase to a lower take, or decrease to a higher one
	CodeSameStakePosition   Code = 1209 // move/swap/transfer to the very same position
	CodeNominatorBelowMin   Code = 1210 // what a nominator would keep is below the nominator minimum
	CodeSlippageUnfulfilled Code = 1211 // a price-limited order that may not be partial would be partial
)

// Weights (set/commit/reveal): 1300..1399.
const (
	CodeNotRegistered         Code = 1300 // the hotkey has no uid on the subnet
	CodeStakeBelowThreshold   Code = 1301 // stake weight below the stake threshold
	CodeVersionKeyTooLow      Code = 1302 // the version key is below the subnet's
	CodeWeightsRateLimited    Code = 1303 // set again before the weights rate limit passed
	CodeNoValidatorPermit     Code = 1304 // non-self weights without a validator permit
	CodeDuplicateUids         Code = 1305 // a uid appears twice
	CodeInvalidUid            Code = 1306 // a uid that does not exist
	CodeTooFewWeights         Code = 1307 // fewer weights than min_allowed_weights
	CodeMaxWeightExceeded     Code = 1308 // a weight above max_weights_limit
	CodeCommitRevealEnabled   Code = 1309 // plain set_weights while commit-reveal is on
	CodeCommitRevealDisabled  Code = 1310 // commit or reveal while commit-reveal is off
	CodeTooManyCommits        Code = 1311 // too many unrevealed commits
	CodeNoCommit              Code = 1312 // reveal without a live commit
	CodeRevealTooEarly        Code = 1313 // reveal before the commit's reveal epoch
	CodeRevealExpired         Code = 1314 // reveal after the commit's reveal epoch
	CodeHashMismatch          Code = 1315 // the revealed data hashes to no live commit
	CodeTooManyUids           Code = 1316 // more uids than neurons
	CodeWeightsLengthMismatch Code = 1317 // uids and values differ in length
)

// Serving: 1400..1499.
const (
	CodeServingRateLimited Code = 1400 // serve_axon again too soon
	CodeInvalidAxon        Code = 1401 // bad ip type, address or port
)

// Keys: 1500..1599.
const (
	CodeNewHotkeyInUse Code = 1500 // swap_hotkey to a hotkey that already exists
)

var subCodeNames = map[Code]string{
	CodeSubnetNotFound:        "subnet_not_found",
	CodeNotSubnetOwner:        "not_subnet_owner",
	CodeRootNetwork:           "root_network",
	CodeNetworkRateLimited:    "network_rate_limited",
	CodeSubnetLimit:           "subnet_limit",
	CodeAlreadyStarted:        "already_started",
	CodeNotStarted:            "not_started",
	CodeUnknownHyperparam:     "unknown_hyperparameter",
	CodeHyperparamBounds:      "hyperparameter_bounds",
	CodeNotSettable:           "not_settable_by_owner",
	CodeHyperparamRate:        "hyperparameter_rate_limited",
	CodeLockPriceLimit:        "lock_price_limit",
	CodeAlreadyRegistered:     "already_registered",
	CodeRegistrationDisabled:  "registration_disabled",
	CodeSubnetFull:            "subnet_full",
	CodeBurnPriceLimit:        "burn_price_limit",
	CodeHotkeyOwnedByOther:    "hotkey_owned_by_other",
	CodeInvalidWorkBlock:      "invalid_work_block",
	CodeInvalidDifficulty:     "invalid_difficulty",
	CodeInvalidSeal:           "invalid_seal",
	CodeDuplicateWork:         "duplicate_work",
	CodeRegistrationSwapFails: "registration_swap_failed",
	CodeStakeBelowMinimum:     "stake_below_minimum",
	CodeInsufficientStake:     "insufficient_stake",
	CodePriceLimitExceeded:    "price_limit_exceeded",
	CodeSwapFailed:            "swap_failed",
	CodeHotkeyNotFound:        "hotkey_not_found",
	CodeNotHotkeyOwner:        "not_hotkey_owner",
	CodeTakeOutOfBounds:       "take_out_of_bounds",
	CodeTakeRateLimited:       "take_rate_limited",
	CodeTakeNotChanged:        "take_not_changed",
	CodeSameStakePosition:     "same_stake_position",
	CodeNominatorBelowMin:     "nominator_below_minimum",
	CodeSlippageUnfulfilled:   "slippage_unfulfilled",
	CodeNotRegistered:         "not_registered",
	CodeStakeBelowThreshold:   "stake_below_threshold",
	CodeVersionKeyTooLow:      "version_key_too_low",
	CodeWeightsRateLimited:    "weights_rate_limited",
	CodeNoValidatorPermit:     "no_validator_permit",
	CodeDuplicateUids:         "duplicate_uids",
	CodeInvalidUid:            "invalid_uid",
	CodeTooFewWeights:         "too_few_weights",
	CodeMaxWeightExceeded:     "max_weight_exceeded",
	CodeCommitRevealEnabled:   "commit_reveal_enabled",
	CodeCommitRevealDisabled:  "commit_reveal_disabled",
	CodeTooManyCommits:        "too_many_commits",
	CodeNoCommit:              "no_commit",
	CodeRevealTooEarly:        "reveal_too_early",
	CodeRevealExpired:         "reveal_expired",
	CodeHashMismatch:          "hash_mismatch",
	CodeTooManyUids:           "too_many_uids",
	CodeWeightsLengthMismatch: "weights_length_mismatch",
	CodeServingRateLimited:    "serving_rate_limited",
	CodeInvalidAxon:           "invalid_axon",
	CodeNewHotkeyInUse:        "new_hotkey_in_use",
}

// The core's code table lives in codes.go; these names join it once at start-up (before any
// concurrent use of Code.String).
func init() {
	for c, n := range subCodeNames {
		if _, dup := codeNames[c]; dup {
			panic("localchain: receipt code registered twice: " + n)
		}
		codeNames[c] = n
	}
}
