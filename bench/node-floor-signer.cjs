#!/usr/bin/env node
// The floor of any Node signer on this machine, for the 1-page benchmark only (not product code):
// start Node, load pkcs11js and the PKCS#11 library, log in, find the key, hash the file and sign
// the hash, append the signature to a copy. No PDF parsing, no CMS, no checks. Whatever `kyso
// sign` takes beyond this is the engine's own work; this much no Node program can avoid.
// Usage: node bench/node-floor-signer.cjs MODULE TOKEN_LABEL IN OUT  (PIN in KYSO_BENCH_PIN)
'use strict';
const pkcs11js = require('pkcs11js');
const crypto = require('node:crypto');
const fs = require('node:fs');

const [modulePath, label, input, output] = process.argv.slice(2);
const p11 = new pkcs11js.PKCS11();
p11.load(modulePath);
p11.C_Initialize();
try {
  const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === label);
  if (slot === undefined) throw new Error(`no token ${label}`);
  const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  p11.C_Login(session, pkcs11js.CKU_USER, process.env.KYSO_BENCH_PIN);
  p11.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }]);
  const [key] = p11.C_FindObjects(session, 1);
  p11.C_FindObjectsFinal(session);
  const pdf = fs.readFileSync(input);
  const digest = crypto.createHash('sha256').update(pdf).digest();
  p11.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key);
  const signature = p11.C_Sign(session, digest, Buffer.alloc(1024));
  fs.writeFileSync(output, Buffer.concat([pdf, signature]));
  p11.C_Logout(session);
  p11.C_CloseSession(session);
} finally {
  p11.C_Finalize();
}
