package mechanism_test

import (
	"fmt"

	"github.com/btui/btui/mechanism"
)

// Example_blockStep runs the per-block emission of docs/emission.md for one subnet (netuid 1,
// tempo 10, no root stake) until its first epoch, then distributes the drained buckets to one
// validator and one miner as an epoch would report them. With no root stake the injection cap
// is 0, so each block's 1 TAO buys alpha for the protocol; 9 blocks of 1 alpha split into
// 9 × 179,995,422 for the owner and 9 × 410,002,288 for each half.
func Example_blockStep() {
	const netuid, tempo = 1, 10
	pool := mechanism.NewPool(1000*mechanism.RaoPerTao, 1000*mechanism.RaoPerTao)
	var alphaOut, protocolAlpha, issuance uint64 = 0, 0, 5_000_000 * mechanism.RaoPerTao
	var server, validator, owner uint64
	moving := mechanism.I96F32FromU64(1)
	for b := uint64(1); ; b++ {
		e := mechanism.TaoBlockEmission(issuance)
		price := mechanism.SharePrice(netuid, false, moving)
		em := mechanism.SubnetTaoEmissions(e, []mechanism.ShareInput{{Price: price}})
		r := mechanism.SubnetCoinbase(mechanism.SubnetBlockInput{
			Pool:           pool,
			AlphaIssuance:  pool.Alpha + alphaOut + protocolAlpha,
			TaoEmission:    em[0],
			RootProp:       mechanism.RootProportion(0, pool.Alpha+alphaOut, mechanism.TaoWeight(mechanism.DefaultTaoWeightRaw)),
			OwnerCut:       mechanism.OwnerCutFraction(mechanism.DefaultSubnetOwnerCut),
			RootSell:       mechanism.RootSellFlag([]mechanism.U64F64{price}),
			MinimumReserve: mechanism.DefaultMinimumReserve,
		})
		pool = r.Pool
		issuance += r.TaoInjected + r.ExcessTao
		protocolAlpha += r.BoughtAlpha
		alphaOut += r.Split.Minted - r.Split.RootRecycled
		server, validator, owner = server+r.Split.Server, validator+r.Split.Validator, owner+r.Split.OwnerCut
		moving = mechanism.UpdateMovingPrice(price, pool.Price(), b, 1, mechanism.DefaultMovingPriceParams())
		if mechanism.ShouldRunEpoch(netuid, tempo, b) {
			fmt.Printf("epoch at block %d: server %d, validator %d, owner %d\n", b, server, validator, owner)
			// The epoch (not shown) splits raoEmission = server + validator between the two uids.
			half := mechanism.EpochEmission(server, validator, 0) / 2
			d := mechanism.DistributeEmission(mechanism.DistributionInput{
				PendingServer: server, PendingValidator: validator, PendingOwnerCut: owner,
				Hotkeys: []mechanism.HotkeyEmission{
					{Dividend: half, AlphaStake: 1000 * mechanism.RaoPerTao, Take: mechanism.DefaultDelegateTake},
					{Incentive: half},
				},
			})
			v, m := d.Hotkeys[0], d.Hotkeys[1]
			fmt.Printf("validator take %d, nominators %d; miner %d; owner %d; undistributed %d\n",
				v.AlphaTake, v.AlphaPool, m.Incentive, d.OwnerCut, d.Undistributed)
			fmt.Printf("pool %d TAO / %d alpha, TAO minted %d\n", pool.Tao, pool.Alpha, issuance-5_000_000*mechanism.RaoPerTao)
			return
		}
	}
	// Output:
	// epoch at block 9: server 3690020592, validator 3690020592, owner 1619958798
	// validator take 664186814, nominators 3025833777; miner 3690020592; owner 1619958798; undistributed 1
	// pool 1009000000000 TAO / 991080277506 alpha, TAO minted 9000000000
}
