// Cross-check of btui's polkadot.js keyring JSON support against @polkadot/keyring itself.
//
//   npm ci && node make.mjs
//
// 1. Writes keyring JSON files (version 3, scrypt + xsalsa20-poly1305, pkcs8) for sr25519 and
//    ecdsa test mnemonics into from-polkadotjs/, with expected.json naming each file's
//    password, mnemonic, type and address, and one signature per key for btui to verify.
// 2. Reads every file btui wrote into from-btui/ (go test ./keystore -run TestPolkadotJSWrite
//    -update-polkadotjs), unlocks it with the password in from-btui/expected.json, checks the
//    address, that its own signature verifies and that btui's signature (expected.json)
//    verifies, and records the results and a polkadot.js signature in from-btui/checked.json.
// btui's Go tests check both directories offline. Test keys only: never fund them.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, signatureVerify } from '@polkadot/util-crypto';
import { u8aToHex, stringToU8a } from '@polkadot/util';

await cryptoWaitReady();

const PASSWORD = 'btui polkadot.js test ✓';
const CASES = [
  { file: 'sr25519-root.json', type: 'sr25519', suri: 'legal winner thank year wave sausage worth useful legal winner thank yellow' },
  { file: 'sr25519-derived.json', type: 'sr25519', suri: 'legal winner thank year wave sausage worth useful legal winner thank yellow//btui/soft' },
  { file: 'ecdsa-root.json', type: 'ecdsa', suri: 'legal winner thank year wave sausage worth useful legal winner thank yellow' },
  { file: 'ecdsa-derived.json', type: 'ecdsa', suri: 'legal winner thank year wave sausage worth useful legal winner thank yellow//btui//0' },
];

mkdirSync('from-polkadotjs', { recursive: true });
const expected = { generator: '@polkadot/keyring 14.0.3 (make.mjs)', password: PASSWORD, message: 'signed by polkadot.js', files: [] };
for (const c of CASES) {
  const keyring = new Keyring({ type: c.type, ss58Format: 42 });
  const pair = keyring.addFromUri(c.suri, { name: c.file }, c.type);
  const json = pair.toJson(PASSWORD);
  writeFileSync(`from-polkadotjs/${c.file}`, JSON.stringify(json, null, 2) + '\n');
  const sig = pair.sign(stringToU8a(expected.message));
  expected.files.push({ file: c.file, type: c.type, suri: c.suri, address: pair.address, publicKey: u8aToHex(pair.publicKey), signature: u8aToHex(sig) });
  console.log(`wrote from-polkadotjs/${c.file}: ${c.type} ${pair.address}`);
}
writeFileSync('from-polkadotjs/expected.json', JSON.stringify(expected, null, 2) + '\n');

if (existsSync('from-btui/expected.json')) {
  const want = JSON.parse(readFileSync('from-btui/expected.json', 'utf8'));
  const checked = { checker: '@polkadot/keyring 14.0.3 (make.mjs)', message: 'signed by polkadot.js after importing a btui file', files: [] };
  let failures = 0;
  for (const w of want.files) {
    const json = JSON.parse(readFileSync(`from-btui/${w.file}`, 'utf8'));
    const keyring = new Keyring({ type: w.type, ss58Format: 42 });
    const result = { file: w.file, type: w.type, address: w.address };
    try {
      const pair = keyring.addFromJson(json);
      pair.unlock(want.password);
      const msg = stringToU8a(checked.message);
      const sig = pair.sign(msg);
      const verified = signatureVerify(msg, sig, pair.address).isValid;
      result.imported = pair.address === w.address && pair.type === w.type && verified;
      result.importedAddress = pair.address;
      result.signature = u8aToHex(sig);
      // btui's own signature (made when it wrote the file) verifies in polkadot.js.
      result.btuiSignatureValid = signatureVerify(stringToU8a(want.message), w.signature, w.address).isValid;
      if (!result.btuiSignatureValid) result.imported = false;
      // A wrong password must be refused.
      const again = new Keyring({ type: w.type, ss58Format: 42 }).addFromJson(json);
      try { again.unlock(want.password + 'x'); result.wrongPasswordRefused = false; } catch { result.wrongPasswordRefused = true; }
    } catch (e) {
      result.imported = false;
      result.error = String(e.message || e);
    }
    if (!result.imported || !result.wrongPasswordRefused) failures++;
    checked.files.push(result);
    console.log(`checked from-btui/${w.file}: ${result.imported ? 'ok' : 'FAILED'} ${result.importedAddress || result.error}`);
  }
  writeFileSync('from-btui/checked.json', JSON.stringify(checked, null, 2) + '\n');
  if (failures) { console.error(`${failures} btui file(s) failed`); process.exit(1); }
} else {
  console.log('no from-btui/expected.json yet: run go test ./keystore -run TestPolkadotJSWrite -update-polkadotjs, then this script again');
}
