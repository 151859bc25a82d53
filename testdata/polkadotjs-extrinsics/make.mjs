// Builds independent expectations for chainclient/substrate's tests with polkadot.js:
//   vectors.json               signed extrinsics (ECDSA and sr25519) built from the recorded
//                              finney metadata (spec 343 V14, spec 393 V15)
//   metagraph-expect.json.gz   the recorded metagraph answers (finney block 6,852,690, spec 343)
//                              decoded with @polkadot/types from the same metadata
//   stakeview.json             storage and runtime-API answers for a stake view at block
//                              6,852,690 (spec 343), encoded from known values
//   reads-expect.json          the recorded reads subnets list, chain info, chain events,
//                              subnets burn-cost and weights show replay (heads,
//                              get_subnets_info_v2 with Swap.AlphaSqrtPrice, TotalNetworks, two
//                              blocks' System.Events, the network registration cost, the
//                              Weights and Bonds rows of netuid 23), decoded
// Run: npm ci && node make.mjs   (reads ../subtensor/, writes into this directory)
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { TypeRegistry, Metadata, expandMetadata } from '@polkadot/types';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, blake2AsHex, xxhashAsU8a } from '@polkadot/util-crypto';
import { hexToU8a, u8aToHex, compactStripLength } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';

const fixtures = new URL('../subtensor/', import.meta.url);
const readGz = (name) => gunzipSync(readFileSync(new URL(name, fixtures))).toString('utf8').trim();
const GENESIS = '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03';
const BLOCK_HASH = '0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0';
const BLOCK = 6852690;

function load(name) {
  let hex = readGz(name + '.hex.gz');
  if (!hex.startsWith('0x6d657461')) {
    // Option<OpaqueMetadata>: 01 + compact length + bytes
    const [, inner] = compactStripLength(hexToU8a(hex).subarray(1));
    hex = u8aToHex(inner);
  }
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, hex);
  registry.setMetadata(metadata);
  const spec = metadata.asLatest.pallets.find((p) => p.name.toString() === 'System')
    .constants.find((c) => c.name.toString() === 'Version');
  const version = registry.createTypeUnsafe(registry.createLookupType(spec.type), [spec.value]).toJSON();
  return { registry, metadata, decorated: expandMetadata(registry, metadata), version };
}

await cryptoWaitReady();
const ecdsa = new Keyring({ type: 'ecdsa', ss58Format: 42 });
const sr = new Keyring({ type: 'sr25519', ss58Format: 42 });
const signers = {
  'ecdsa//Alice': ecdsa.addFromUri('//Alice'),
  'ecdsa//Bob': ecdsa.addFromUri('//Bob'),
  'sr25519//Alice': sr.addFromUri('//Alice'),
  'sr25519//Charlie': sr.addFromUri('//Charlie'),
};
const bob = u8aToHex(signers['ecdsa//Bob'].addressRaw);
const charlie = signers['sr25519//Charlie'].address;

// [pallet, call, args by metadata name]
const calls = [
  ['SubtensorModule', 'add_stake', { hotkey: bob, netuid: 1, amount_staked: '1000000000' }],
  ['Balances', 'transfer_keep_alive', { dest: { Id: bob }, value: '500000000' }],
  ['Balances', 'transfer_allow_death', { dest: { Id: charlie }, value: '123456789012' }],
  ['SubtensorModule', 'remove_stake', { hotkey: bob, netuid: 3, amount_unstaked: '18446744073709551615' }],
  ['SubtensorModule', 'add_stake_limit', { hotkey: bob, netuid: 64, amount_staked: '2500000000', limit_price: '12000000', allow_partial: true }],
  ['SubtensorModule', 'remove_stake_limit', { hotkey: bob, netuid: 5, amount_unstaked: '77', limit_price: '1', allow_partial: false }],
  ['SubtensorModule', 'move_stake', { origin_hotkey: bob, destination_hotkey: charlie, origin_netuid: 1, destination_netuid: 2, alpha_amount: '999' }],
  ['SubtensorModule', 'transfer_stake', { destination_coldkey: charlie, hotkey: bob, origin_netuid: 0, destination_netuid: 19, alpha_amount: '1000000' }],
  ['SubtensorModule', 'swap_stake', { hotkey: bob, origin_netuid: 7, destination_netuid: 8, alpha_amount: '31337' }],
  ['SubtensorModule', 'burned_register', { netuid: 12, hotkey: bob }],
  ['SubtensorModule', 'serve_axon', { netuid: 1, version: 9011001, ip: '3235789677', port: 6028, ip_type: 4, protocol: 4, placeholder1: 0, placeholder2: 0 }],
  ['SubtensorModule', 'set_weights', { netuid: 1, dests: [0, 1, 2, 1023], weights: [65535, 1, 0, 7], version_key: '21706' }],
  ['SubtensorModule', 'commit_weights', { netuid: 3, commit_hash: '0x' + '11'.repeat(32) }],
  ['SubtensorModule', 'reveal_weights', { netuid: 3, uids: [1, 2], values: [3, 4], salt: [5, 6, 7], version_key: '0' }],
  ['SubtensorModule', 'root_register', { hotkey: bob }],
  ['SubtensorModule', 'unstake_all', { hotkey: bob }],
  ['Balances', 'transfer_all', { dest: { Id: bob }, keep_alive: true }],
];
const long = Array.from({ length: 64 }, (_, i) => i);
calls.push(['SubtensorModule', 'set_weights', { netuid: 1, dests: long, weights: long.map((i) => 1000 + i), version_key: '0' }]);

const eras = [
  { period: 128, current: BLOCK, blockHash: BLOCK_HASH },
  { period: 64, current: BLOCK, blockHash: BLOCK_HASH },
  { immortal: true },
];

const vectors = [];
for (const metaName of ['metadata-v14-spec343', 'metadata-v15-spec393']) {
  const { registry, decorated, version } = load(metaName);
  calls.forEach(([pallet, name, args], i) => {
    const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    const palletKey = pallet[0].toLowerCase() + pallet.slice(1);
    const fn = decorated.tx[palletKey][camel(name)];
    const snake = (s) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
    const positional = fn.meta.args.map((a) => {
      const v = args[a.name.toString()] ?? args[snake(a.name.toString())];
      if (v === undefined) throw new Error(`${pallet}.${name}: no value for ${a.name}`);
      return v;
    });
    const method = fn(...positional);
    const signerName = Object.keys(signers)[i % 4];
    const pair = signers[signerName];
    const era = eras[i % 3];
    const nonce = (i * 7919) % 100000;
    const tip = i % 2 ? String(5000000 * i) : '0';
    const ext = registry.createType('Extrinsic', { method }, { version: 4 });
    const opts = {
      blockHash: era.immortal ? GENESIS : era.blockHash,
      era: era.immortal ? registry.createType('ExtrinsicEra', '0x00')
        : registry.createType('ExtrinsicEra', { current: era.current, period: era.period }),
      genesisHash: GENESIS,
      nonce,
      tip,
      runtimeVersion: { specVersion: version.specVersion, transactionVersion: version.transactionVersion },
      signedExtensions: registry.signedExtensions,
      mode: 0,
      metadataHash: null,
    };
    ext.sign(pair, opts);
    const payload = registry.createType('ExtrinsicPayload', { ...opts, method: method.toHex(), era: opts.era, version: 4, specVersion: version.specVersion, transactionVersion: version.transactionVersion }, { version: 4 });
    vectors.push({
      name: `${metaName} ${pallet}.${name} ${signerName}`,
      metadata: metaName,
      pallet, call: name, args,
      signer: signerName,
      nonce, tip, era,
      genesis: GENESIS,
      specVersion: version.specVersion, transactionVersion: version.transactionVersion,
      callHex: method.toHex(),
      payloadHex: u8aToHex(payload.toU8a({ method: true })),
      extrinsicHex: ext.toHex(),
      hash: blake2AsHex(ext.toU8a()),
    });
  });
}
writeFileSync(new URL('vectors.json', import.meta.url), JSON.stringify(vectors, null, 1) + '\n');
console.log(`vectors.json: ${vectors.length} extrinsics`);

// Metagraph expectations: decode the recorded runtime-API answers with polkadot.js.
const { registry, metadata } = load('metadata-v15-spec343');
const seeds = JSON.parse(readGz('finney-sdk-recordings.json.gz'));
const apiOutput = (api, method) => {
  const a = metadata.asLatest.apis.find((x) => x.name.toString() === api);
  return a.methods.find((m) => m.name.toString() === method).output;
};
const decodeRecorded = (api, method) => {
  for (const [params, resp] of Object.entries(seeds.metagraph.state_call)) {
    if (JSON.parse(params)[0] !== `${api}_${method}`) continue;
    const bytes = hexToU8a(resp.result);
    const value = registry.createTypeUnsafe(registry.createLookupType(apiOutput(api, method)), [bytes]);
    if (value.encodedLength !== bytes.length) throw new Error(`${api}_${method}: ${value.encodedLength} of ${bytes.length} bytes`);
    return value;
  }
  throw new Error(`no recording of ${api}_${method}`);
};
const lite = decodeRecorded('NeuronInfoRuntimeApi', 'get_neurons_lite');
const mech = decodeRecorded('SubnetInfoRuntimeApi', 'get_selective_mechagraph').unwrap();
const bytesToString = (v) => Buffer.from(v.map((c) => Number(c.toString()))).toString('utf8');
const neurons = lite.map((n) => ({
  uid: n.uid.toNumber(), hotkey: n.hotkey.toString(), coldkey: n.coldkey.toString(), active: n.active.isTrue,
  axon: { ip: n.axonInfo.ip.toString(), port: n.axonInfo.port.toNumber(), ip_type: n.axonInfo.ipType.toNumber(), version: n.axonInfo.version.toNumber() },
  stake: n.stake.map(([acct, amt]) => [acct.toString(), amt.toString()]),
  rank: n.rank.toNumber(), emission: n.emission.toString(), incentive: n.incentive.toNumber(), consensus: n.consensus.toNumber(),
  trust: n.trust.toNumber(), validator_trust: n.validatorTrust.toNumber(), dividends: n.dividends.toNumber(),
  last_update: n.lastUpdate.toString(), validator_permit: n.validatorPermit.isTrue, pruning_score: n.pruningScore.toNumber(),
}));
const opt = (v) => (v.isSome ? v.unwrap() : null);
const str = (v) => (v === null ? null : v.toString());
const vec = (v) => (v === null ? null : v.map((x) => x.toString()));
const metagraph = {
  netuid: mech.netuid.toNumber(),
  name: bytesToString(opt(mech.name)), symbol: bytesToString(opt(mech.symbol)),
  owner_hotkey: str(opt(mech.ownerHotkey)), owner_coldkey: str(opt(mech.ownerColdkey)),
  network_registered_at: str(opt(mech.networkRegisteredAt)), block: str(opt(mech.block)), tempo: str(opt(mech.tempo)),
  last_step: str(opt(mech.lastStep)), blocks_since_last_step: str(opt(mech.blocksSinceLastStep)),
  alpha_in: str(opt(mech.alphaIn)), alpha_out: str(opt(mech.alphaOut)), tao_in: str(opt(mech.taoIn)),
  subnet_volume: str(opt(mech.subnetVolume)), moving_price_bits: opt(mech.movingPrice).bits.toString(),
  rho: str(opt(mech.rho)), kappa: str(opt(mech.kappa)), activity_cutoff: str(opt(mech.activityCutoff)),
  num_uids: str(opt(mech.numUids)), max_uids: str(opt(mech.maxUids)), burn: str(opt(mech.burn)),
  immunity_period: str(opt(mech.immunityPeriod)), max_validators: str(opt(mech.maxValidators)),
  weights_version: str(opt(mech.weightsVersion)), registration_allowed: opt(mech.registrationAllowed).isTrue,
  commit_reveal_weights_enabled: opt(mech.commitRevealWeightsEnabled).isTrue,
  hotkeys: vec(opt(mech.hotkeys)), coldkeys: vec(opt(mech.coldkeys)),
  active: opt(mech.active).map((b) => b.isTrue), validator_permit: opt(mech.validatorPermit).map((b) => b.isTrue),
  emission: vec(opt(mech.emission)), dividends: vec(opt(mech.dividends)), incentives: vec(opt(mech.incentives)),
  last_update: vec(opt(mech.lastUpdate)), block_at_registration: vec(opt(mech.blockAtRegistration)),
  alpha_stake: vec(opt(mech.alphaStake)), tao_stake: vec(opt(mech.taoStake)), total_stake: vec(opt(mech.totalStake)),
  validators: vec(opt(mech.validators)),
  commitments: opt(mech.commitments).map(([a, b]) => [a.toString(), u8aToHex(Uint8Array.from(b.map((c) => Number(c.toString()))))]),
};
const out = { source: 'finney block 6852690, spec 343, decoded by @polkadot/types 16.5.6', neurons_lite: neurons, metagraph };
writeFileSync(new URL('metagraph-expect.json.gz', import.meta.url), gzipSync(JSON.stringify(out), { level: 9 }));
console.log(`metagraph-expect.json.gz: ${neurons.length} neurons`);

// Views with no recording (stake, delegates, dynamic info): encode known values with
// @polkadot/types from the spec-393 metadata; the Go test decodes the bytes into btui's views.
{
  const { registry, metadata } = load('metadata-v15-spec393');
  const output = (api, method) => {
    const a = metadata.asLatest.apis.find((x) => x.name.toString() === api);
    return a.methods.find((m) => m.name.toString() === method).output;
  };
  const alice = u8aToHex(signers['sr25519//Alice'].publicKey);
  const utf8 = (s) => Array.from(Buffer.from(s, 'utf8'));
  const identity = { subnetName: '0x' + Buffer.from('Apex').toString('hex'), githubRepo: '0x', subnetContact: '0x', subnetUrl: '0x', discord: '0x', description: '0x' + Buffer.from('first subnet').toString('hex'), logoUrl: '0x', additional: '0x' };
  const cases = [
    ['StakeInfoRuntimeApi', 'get_stake_info_for_coldkey', [
      { hotkey: bob, coldkey: alice, netuid: 1, stake: '123456789012345', locked: 7, emission: 99, taoEmission: 98, drain: 0, isRegistered: true },
      { hotkey: alice, coldkey: alice, netuid: 64, stake: '18446744073709551615', locked: 0, emission: 0, taoEmission: 0, drain: 5, isRegistered: false },
    ]],
    ['SubnetInfoRuntimeApi', 'get_all_dynamic_info', [
      { netuid: 1, ownerHotkey: bob, ownerColdkey: alice, subnetName: utf8('Apex'), tokenSymbol: utf8('α'), tempo: 99, lastStep: 6852597, blocksSinceLastStep: 93,
        emission: 1000, alphaIn: '2316467425363654', alphaOut: '3000000000000000', taoIn: '22079400556774', alphaOutEmission: 1, alphaInEmission: 2, taoInEmission: 3,
        pendingAlphaEmission: 4, pendingRootEmission: 5, subnetVolume: '340282366920938463463374607431768211455', networkRegisteredAt: 1497824,
        subnetIdentity: identity, movingPrice: { bits: '40869489' } },
      null,
      { netuid: 3, ownerHotkey: alice, ownerColdkey: bob, subnetName: utf8('τ'), tokenSymbol: utf8('γ'), tempo: 360, lastStep: 1, blocksSinceLastStep: 2,
        emission: 0, alphaIn: 1, alphaOut: 2, taoIn: 3, alphaOutEmission: 0, alphaInEmission: 0, taoInEmission: 0, pendingAlphaEmission: 0, pendingRootEmission: 0,
        subnetVolume: 0, networkRegisteredAt: 0, subnetIdentity: null, movingPrice: { bits: '-4294967296' } },
    ]],
    ['DelegateInfoRuntimeApi', 'get_delegates', [
      { delegateSs58: bob, take: 11796, nominators: [[alice, [[1, '5000000000'], [0, 7]]], [bob, []]], ownerSs58: alice,
        registrations: [0, 1, 64], validatorPermits: [1], returnPer1000: 17, totalDailyReturn: '900000000' },
    ]],
  ];
  const views = cases.map(([api, method, value]) => {
    const t = registry.createTypeUnsafe(registry.createLookupType(output(api, method)), [value]);
    return { metadata: 'metadata-v15-spec393', api, method, input: value, hex: t.toHex() };
  });
  writeFileSync(new URL('views.json', import.meta.url), JSON.stringify(views, null, 1) + '\n');
  console.log(`views.json: ${views.length} encoded answers`);
}

// A stake view at finney block 6,852,690 (spec 343, the recorded metagraph's block): the
// answers no recording holds (Swap.FeeRate of netuid 1, //Alice's System.Account, her stake
// and the dynamic info it is valued at), encoded with @polkadot/types from the spec-343
// metadata, with the storage keys polkadot.js builds for them.
{
  const { registry, metadata, decorated } = load('metadata-v15-spec343');
  const output = (api, method) => {
    const a = metadata.asLatest.apis.find((x) => x.name.toString() === api);
    return a.methods.find((m) => m.name.toString() === method).output;
  };
  const storageValue = (pallet, item) => {
    const p = metadata.asLatest.pallets.find((x) => x.name.toString() === pallet);
    const e = p.storage.unwrap().items.find((x) => x.name.toString() === item);
    return e.type.isMap ? e.type.asMap.value : e.type.asPlain;
  };
  const alice = u8aToHex(signers['sr25519//Alice'].publicKey);
  const hotkey = '5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ'; // uid 0 of the recorded metagraph
  const storage = [
    ['Swap', 'FeeRate', [1], 179],
    ['System', 'Account', [alice], { nonce: 4, consumers: 0, providers: 1, sufficients: 0, data: { free: '5000000000', reserved: 0, frozen: 0, flags: '170141183460469231731687303715884105728' } }],
  ].map(([pallet, item, keys, value]) => {
    const fn = decorated.query[pallet.charAt(0).toLowerCase() + pallet.slice(1)][item.charAt(0).toLowerCase() + item.slice(1)];
    const t = registry.createTypeUnsafe(registry.createLookupType(storageValue(pallet, item)), [value]);
    return { pallet, item, keys, key: u8aToHex(compactStripLength(fn(...keys))[1]), value, hex: u8aToHex(t.toU8a()) };
  });
  const calls = [
    ['StakeInfoRuntimeApi', 'get_stake_info_for_coldkey', alice, [
      { hotkey, coldkey: alice, netuid: 1, stake: '2000000000', locked: 0, emission: 0, taoEmission: 0, drain: 0, isRegistered: true },
    ]],
    ['SubnetInfoRuntimeApi', 'get_all_dynamic_info', '0x', [
      { netuid: 1, ownerHotkey: hotkey, ownerColdkey: alice, subnetName: [], tokenSymbol: [], tempo: 99, lastStep: 6852597, blocksSinceLastStep: 93,
        emission: 0, alphaIn: '4000000000000', alphaOut: '9000000000000', taoIn: '100000000000', alphaOutEmission: 0, alphaInEmission: 0, taoInEmission: 0,
        pendingAlphaEmission: 0, pendingRootEmission: 0, subnetVolume: 0, networkRegisteredAt: 0, subnetIdentity: null, movingPrice: { bits: 0 } },
    ]],
  ].map(([api, method, args, value]) => {
    const t = registry.createTypeUnsafe(registry.createLookupType(output(api, method)), [value]);
    return { api, method, args, value, hex: u8aToHex(t.toU8a()) };
  });
  // The node's fee for a stake: TransactionPaymentApi_query_info's answer (its argument is the
  // extrinsic btui builds, which the test rebuilds).
  const queryInfo = { weight: { refTime: '206163000', proofSize: '4145' }, class: 'Normal', partialFee: '2470113' };
  const fee = { api: 'TransactionPaymentApi', method: 'query_info', value: queryInfo,
    hex: u8aToHex(registry.createTypeUnsafe(registry.createLookupType(output('TransactionPaymentApi', 'query_info')), [queryInfo]).toU8a()) };
  const out = { metadata: 'metadata-v15-spec343', block: BLOCK, block_hash: BLOCK_HASH, storage, calls, query_info: fee };
  writeFileSync(new URL('stakeview.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
  console.log(`stakeview.json: ${storage.length} storage values, ${calls.length} runtime-API answers`);
}

// Reads of the recorded traffic the commands replay (subnets list, chain info, chain events),
// decoded independently by @polkadot/types: the heads (the hash polkadot.js computes from each
// recorded header), get_subnets_info_v2 with the Swap.AlphaSqrtPrice map (get_all_subnets_info,
// spec 315, read with the spec-343 metadata), SubtensorModule.TotalNetworks
// (get_total_subnets), and the System.Events of blocks 7,959,635 and 7,959,608 (spec 393).
{
  const seeds = JSON.parse(readGz('finney-sdk-recordings.json.gz'));
  const seeds393 = JSON.parse(readGz('finney-spec393-recordings.json.gz'));
  // The recorded answer of (method, params): keys are the params' JSON text as sent.
  const rec = (s, method, params) => {
    for (const [p, r] of Object.entries(s[method] ?? {})) if (JSON.stringify(JSON.parse(p)) === JSON.stringify(params)) return r.result;
    throw new Error(`no recording of ${method} ${JSON.stringify(params)}`);
  };
  const head = (registry, seed) => {
    const hash = rec(seed, 'chain_getHead', []);
    const json = rec(seed, 'chain_getHeader', [hash]);
    const header = registry.createType('Header', json);
    if (header.hash.toHex() !== hash) throw new Error(`header hash ${header.hash.toHex()} != ${hash}`);
    return { hash, number: header.number.toNumber(), state_root: header.stateRoot.toHex(), parent_hash: header.parentHash.toHex() };
  };
  const typeOf = (metadata, api, method) => metadata.asLatest.apis.find((x) => x.name.toString() === api)
    .methods.find((m) => m.name.toString() === method).output;
  const storageType = (metadata, pallet, item) => {
    const e = metadata.asLatest.pallets.find((x) => x.name.toString() === pallet).storage.unwrap().items.find((x) => x.name.toString() === item);
    return e.type.isMap ? e.type.asMap.value : e.type.asPlain;
  };
  const constant = (registry, metadata, pallet, name) => {
    const c = metadata.asLatest.pallets.find((x) => x.name.toString() === pallet).constants.find((x) => x.name.toString() === name);
    return registry.createTypeUnsafe(registry.createLookupType(c.type), [c.value]).toString();
  };
  const { registry, metadata, decorated } = load('metadata-v15-spec343');

  // subnets list: get_all_subnets_info.
  const seed = seeds.get_all_subnets_info;
  const infoHex = rec(seed, 'state_call', ['SubnetInfoRuntimeApi_get_subnets_info_v2', '', null]);
  const infos = registry.createTypeUnsafe(registry.createLookupType(typeOf(metadata, 'SubnetInfoRuntimeApi', 'get_subnets_info_v2')), [hexToU8a(infoHex)]);
  if (infos.encodedLength !== hexToU8a(infoHex).length) throw new Error('get_subnets_info_v2: not all bytes decoded');
  const sqrtType = registry.createLookupType(storageType(metadata, 'Swap', 'AlphaSqrtPrice'));
  const prices = {};
  for (const resp of Object.values(seed.state_queryStorageAt)) {
    for (const [key, value] of resp.result[0].changes) {
      // prefix ++ Twox64Concat(netuid: u16)
      const k = hexToU8a(key);
      if (u8aToHex(k.subarray(0, 32)) !== u8aToHex(decorated.query.swap.alphaSqrtPrice.keyPrefix())) throw new Error(`key ${key} is not Swap.AlphaSqrtPrice`);
      if (u8aToHex(xxhashAsU8a(k.subarray(40), 64)) !== u8aToHex(k.subarray(32, 40))) throw new Error(`key ${key}: bad Twox64 hash`);
      const netuid = registry.createType('u16', k.subarray(40)).toNumber();
      const bits = BigInt(registry.createTypeUnsafe(sqrtType, [hexToU8a(value)]).bits.toString());
      prices[netuid] = { sqrt_bits: bits.toString(), price_rao: ((bits * bits * 1000000000n) >> 128n).toString() };
    }
  }
  const subnets = infos.filter((x) => x.isSome).map((o) => {
    const x = o.unwrap();
    return { netuid: x.netuid.toNumber(), owner: x.owner.toString(), tempo: x.tempo.toNumber(), burn: x.burn.toString(),
      difficulty: x.difficulty.toString(), subnetwork_n: x.subnetworkN.toNumber(), max_allowed_uids: x.maxAllowedUids.toNumber(),
      blocks_since_last_step: x.blocksSinceLastStep.toString(), price: prices[x.netuid.toNumber()] ?? null };
  });

  // chain info: get_total_subnets.
  const ts = seeds.get_total_subnets;
  const tsHead = head(registry, ts);
  const tnKey = u8aToHex(compactStripLength(decorated.query.subtensorModule.totalNetworks())[1]);
  const tnHex = rec(ts, 'state_getStorageAt', [tnKey, tsHead.hash]);
  const chainInfo = { head: tsHead, system_chain: rec(ts, 'system_chain', []),
    total_networks: registry.createTypeUnsafe(registry.createLookupType(storageType(metadata, 'SubtensorModule', 'TotalNetworks')), [hexToU8a(tnHex)]).toString(),
    existential_deposit: constant(registry, metadata, 'Balances', 'ExistentialDeposit'), slot_duration_ms: constant(registry, metadata, 'Aura', 'SlotDuration') };

  // chain events and blocks: System.Events of two spec-393 blocks.
  const r393 = load('metadata-v15-spec393');
  const eventsKey = u8aToHex(compactStripLength(r393.decorated.query.system.events())[1]);
  const blocks = ['test_get_events_proper_decoding', 'test_same_events'].map((name) => {
    const s = seeds393[name];
    const [number, hash] = Object.entries(s.chain_getBlockHash).map(([p, r]) => [JSON.parse(p)[0], r.result])[0];
    const json = rec(s, 'chain_getHeader', [hash]);
    const header = r393.registry.createType('Header', json);
    if (header.hash.toHex() !== hash || header.number.toNumber() !== number) throw new Error(`${name}: header does not match block ${number}`);
    const raw = rec(s, 'state_getStorageAt', [eventsKey, hash]);
    const evs = r393.registry.createTypeUnsafe(r393.registry.createLookupType(storageType(r393.metadata, 'System', 'Events')), [hexToU8a(raw)]);
    if (evs.encodedLength !== hexToU8a(raw).length) throw new Error(`${name}: events not fully decoded`);
    const events = evs.map((r, i) => {
      const palletName = (idx) => r393.metadata.asLatest.pallets.find((p) => p.index.toNumber() === Number(idx)).name.toString();
      const e = { index: i, phase: r.phase.isApplyExtrinsic ? r.phase.asApplyExtrinsic.toNumber() : r.phase.type, pallet: palletName(r.event.index[0]), name: r.event.method };
      if (e.pallet === 'System' && e.name === 'ExtrinsicFailed') {
        const de = r.event.data[0];
        if (de.isModule) {
          const me = r393.registry.findMetaError(de.asModule);
          e.error = `${palletName(de.asModule.index)}.${me.name}`;
        } else e.error = de.type;
      }
      return e;
    });
    return { seed: name, number, hash, parent_hash: header.parentHash.toHex(), state_root: header.stateRoot.toHex(), events };
  });
  // subnets burn-cost: get_network_registration_cost of seed get_subnet_burn_cost.
  const bcHex = rec(seeds.get_subnet_burn_cost, 'state_call', ['SubnetRegistrationRuntimeApi_get_network_registration_cost', '0x']);
  const burnCost = registry.createTypeUnsafe(registry.createLookupType(typeOf(metadata, 'SubnetRegistrationRuntimeApi', 'get_network_registration_cost')), [hexToU8a(bcHex)]);
  if (burnCost.encodedLength !== hexToU8a(bcHex).length) throw new Error('get_network_registration_cost: not all bytes decoded');

  // weights show: the SubtensorModule.Weights and .Bonds rows of netuid 23 (seeds weights and
  // bonds), each key rebuilt by polkadot.js from (netuid, uid) and each value decoded.
  const matrix = (name, item) => {
    const s = seeds[name];
    const entry = decorated.query.subtensorModule[item];
    const valueType = registry.createLookupType(storageType(metadata, 'SubtensorModule', item[0].toUpperCase() + item.slice(1)));
    const rows = [];
    for (const resp of Object.values(s.state_queryStorageAt)) {
      for (const [key, value] of resp.result[0].changes) {
        const k = hexToU8a(key);
        const uid = registry.createType('u16', k.subarray(k.length - 2)).toNumber();
        if (u8aToHex(compactStripLength(entry(23, uid))[1]) !== key) throw new Error(`${name}: key ${key} is not ${item}(23, ${uid})`);
        const v = registry.createTypeUnsafe(valueType, [hexToU8a(value)]);
        if (v.encodedLength !== hexToU8a(value).length) throw new Error(`${name}: value of uid ${uid} not fully decoded`);
        rows.push({ uid, entries: v.map(([a, b]) => [a.toNumber(), b.toNumber()]) });
      }
    }
    rows.sort((a, b) => a.uid - b.uid);
    return { head: head(registry, s), netuid: 23, rows };
  };

  const out = { source: 'recorded finney traffic decoded by @polkadot/types 16.5.6', subnets_list: { head: head(registry, seed), subnets }, chain_info: chainInfo, blocks,
    burn_cost: { network_registration_cost: burnCost.toString() }, weights: matrix('weights', 'weights'), bonds: matrix('bonds', 'bonds') };
  writeFileSync(new URL('reads-expect.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
  console.log(`reads-expect.json: ${subnets.length} subnets, ${blocks.map((b) => b.events.length).join(' and ')} events`);
}

// Submissions through ordinary commands (cmd/btui TestSubtensorTransferSubmit,
// TestSubtensorStakeSubmit): the extrinsic polkadot.js builds for the same call, nonce and
// era as the command (the nonce and the era's block come from the recordings: the spec-393
// test_get_payment_info seed's account_nextIndex and finalized head for the transfer; the
// spec-343 metagraph seed's head, with //Alice's nonce 4 from stakeview.json, for the stake;
// the stake's limit price 9,579,153 is the one btui's quote makes from that view, an input
// here), and the SCRIPTED inclusion a node would report, which no recording holds: a
// Timestamp.set inherent and the System.Events of the block, encoded event by event from the
// metadata (success: Balances.Withdraw of the fee, the call's own event,
// TransactionPayment.TransactionFeePaid, System.ExtrinsicSuccess; failure: the fee, then
// System.ExtrinsicFailed with a module error).
{
  const seeds = JSON.parse(readGz('finney-sdk-recordings.json.gz'));
  const seeds393 = JSON.parse(readGz('finney-spec393-recordings.json.gz'));
  const rec = (s, method, params) => {
    for (const [p, r] of Object.entries(s[method] ?? {})) if (JSON.stringify(JSON.parse(p)) === JSON.stringify(params)) return r.result;
    throw new Error(`no recording of ${method} ${JSON.stringify(params)}`);
  };
  const alice = signers['sr25519//Alice'];
  const bobSr = sr.addFromUri('//Bob');
  const build = (metaName, pallet, call, args, nonce, eraBlock, eraHash, events, nowMs) => {
    const { registry, metadata, decorated, version } = load(metaName);
    const lat = metadata.asLatest;
    const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    const fn = decorated.tx[pallet[0].toLowerCase() + pallet.slice(1)][camel(call)];
    const snake = (x) => x.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
    const method = fn(...fn.meta.args.map((a) => {
      const v = args[a.name.toString()] ?? args[snake(a.name.toString())];
      if (v === undefined) throw new Error(`${pallet}.${call}: no value for ${a.name}`);
      return v;
    }));
    const opts = { blockHash: eraHash, era: registry.createType('ExtrinsicEra', { current: eraBlock, period: 64 }), genesisHash: GENESIS, nonce, tip: 0,
      runtimeVersion: { specVersion: version.specVersion, transactionVersion: version.transactionVersion }, signedExtensions: registry.signedExtensions, mode: 0, metadataHash: null };
    const ext = registry.createType('Extrinsic', { method }, { version: 4 });
    ext.sign(alice, opts);
    const payload = registry.createType('ExtrinsicPayload', { ...opts, method: method.toHex(), version: 4, specVersion: version.specVersion, transactionVersion: version.transactionVersion }, { version: 4 });
    const inherent = registry.createType('Extrinsic', { method: decorated.tx.timestamp.set(nowMs) }, { version: 4 });
    // One event record: phase, pallet and variant index, fields encoded by their metadata
    // types, no topics.
    const palletOf = (name) => lat.pallets.find((x) => x.name.toString() === name);
    const encodeEvents = (list) => {
      const parts = [registry.createType('Compact<u32>', list.length).toU8a()];
      for (const [phase, pal, name, values] of list) {
        const p = palletOf(pal);
        const v = lat.lookup.getSiType(p.events.unwrap().type).def.asVariant.variants.find((x) => x.name.toString() === name);
        parts.push(phase === null ? Uint8Array.from([1]) : Uint8Array.from([0, phase, 0, 0, 0]));
        parts.push(Uint8Array.from([p.index.toNumber(), v.index.toNumber()]));
        v.fields.forEach((f, i) => parts.push(registry.createTypeUnsafe(registry.createLookupType(f.type), [values[i]]).toU8a()));
        parts.push(Uint8Array.from([0]));
      }
      const bytes = Uint8Array.from(parts.flatMap((x) => [...x]));
      const evType = (() => {
        const e = palletOf('System').storage.unwrap().items.find((x) => x.name.toString() === 'Events');
        return registry.createLookupType(e.type.asPlain);
      })();
      const decoded = registry.createTypeUnsafe(evType, [bytes]);
      if (decoded.encodedLength !== bytes.length) throw new Error('scripted events do not decode back');
      return { hex: u8aToHex(bytes), events: decoded.map((r) => `${r.event.section}.${r.event.method}`) };
    };
    const moduleError = (pal, name) => {
      const p = palletOf(pal);
      const idx = lat.lookup.getSiType(p.errors.unwrap().type).def.asVariant.variants.find((x) => x.name.toString() === name).index.toNumber();
      return { Module: { index: p.index.toNumber(), error: u8aToHex(Uint8Array.from([idx, 0, 0, 0])) } };
    };
    const info = (refTime, cls, pays) => ({ weight: { refTime, proofSize: 0 }, class: cls, paysFee: pays });
    const scripted = {};
    for (const [k, list] of Object.entries(events(encodeEvents, moduleError, info))) scripted[k] = list;
    return {
      metadata: metaName, pallet, call, args, signer: 'sr25519//Alice', nonce, era: { period: 64, current: eraBlock, blockHash: eraHash },
      genesis: GENESIS, specVersion: version.specVersion, transactionVersion: version.transactionVersion,
      callHex: method.toHex(), payloadHex: u8aToHex(payload.toU8a({ method: true })), extrinsicHex: ext.toHex(),
      scripted_inclusion: { timestamp_ms: nowMs, inherent_hex: inherent.toHex(), ...scripted },
    };
  };
  const aliceHex = u8aToHex(alice.publicKey);
  // Transfer: test_get_payment_info (spec 393).
  const pay = seeds393.test_get_payment_info;
  const fin = rec(pay, 'chain_getFinalizedHead', []);
  const finNumber = parseInt(rec(pay, 'chain_getHeader', [fin]).number, 16);
  const transferFee = 161248; // the recorded query_info answer for this transfer (TestSubtensorTransferDryRun)
  const transfer = build('metadata-v15-spec393', 'Balances', 'transfer_keep_alive', { dest: bobSr.address, value: 100000 },
    rec(pay, 'account_nextIndex', [alice.address]), finNumber, fin, (enc, modErr, info) => ({
      success: enc([
        [0, 'System', 'ExtrinsicSuccess', [info(6000000, 'Mandatory', 'No')]],
        [1, 'Balances', 'Withdraw', [aliceHex, transferFee]],
        [1, 'Balances', 'Transfer', [aliceHex, u8aToHex(bobSr.publicKey), 100000]],
        [1, 'TransactionPayment', 'TransactionFeePaid', [aliceHex, transferFee, 0]],
        [1, 'System', 'ExtrinsicSuccess', [info(190949000, 'Normal', 'Yes')]],
      ]),
      failure: enc([
        [0, 'System', 'ExtrinsicSuccess', [info(6000000, 'Mandatory', 'No')]],
        [1, 'Balances', 'Withdraw', [aliceHex, transferFee]],
        [1, 'TransactionPayment', 'TransactionFeePaid', [aliceHex, transferFee, 0]],
        [1, 'System', 'ExtrinsicFailed', [modErr('Balances', 'InsufficientBalance'), info(190949000, 'Normal', 'Yes')]],
      ]),
    }), 1744000000000);
  // Stake: the metagraph seed (spec 343), era at its head.
  const mg = seeds.metagraph;
  const head = rec(mg, 'chain_getHead', []);
  const headNumber = parseInt(rec(mg, 'chain_getHeader', [head]).number, 16);
  const hotkey = '5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ';
  const hotkeyHex = u8aToHex(decodeAddress(hotkey));
  const stakeFee = 2470113; // stakeview.json's query_info answer
  const stake = build('metadata-v15-spec343', 'SubtensorModule', 'add_stake_limit',
    { hotkey, netuid: 1, amount_staked: 1000000000, limit_price: 9579153, allow_partial: false }, 4, headNumber, head, (enc, modErr, info) => ({
      success: enc([
        [0, 'System', 'ExtrinsicSuccess', [info(6000000, 'Mandatory', 'No')]],
        [1, 'Balances', 'Withdraw', [aliceHex, stakeFee]],
        // StakeAdded(coldkey, hotkey, tao staked after the swap fee, alpha bought, netuid, swap fee)
        [1, 'SubtensorModule', 'StakeAdded', [aliceHex, hotkeyHex, 997268636, '104624034761', 1, 2731364]],
        [1, 'TransactionPayment', 'TransactionFeePaid', [aliceHex, stakeFee, 0]],
        [1, 'System', 'ExtrinsicSuccess', [info(340000000, 'Normal', 'Yes')]],
      ]),
    }), 1752000000000);
  writeFileSync(new URL('submissions.json', import.meta.url), JSON.stringify({ transfer, stake }, null, 1) + '\n');
  console.log('submissions.json: transfer and stake');
}
