// Postinstall: lets pkcs11js pass a NULL PIN to C_Login, which PIN-pad tokens
// (CKF_PROTECTED_AUTHENTICATION_PATH) require (PKCS#11 v2.40 §5.6). pkcs11js 2.x accepts only a
// string, and "" becomes a zero-length non-NULL pointer that such libraries reject or treat as a
// wrong PIN. The patch adds one branch: an undefined or null PIN argument is passed as NULL_PTR, 0.
// It is idempotent, and rebuilds the addon only when it changed the source.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const MARKER = 'kyso-null-pin';
const require = createRequire(import.meta.url);
let pkgDir;
try {
  pkgDir = path.dirname(require.resolve('pkcs11js/package.json'));
} catch {
  process.exit(0); // not installed (e.g. production install without it): nothing to patch
}
const file = path.join(pkgDir, 'src', 'pkcs11.cpp');
const source = readFileSync(file, 'utf8');
if (source.includes(MARKER)) process.exit(0);

const login =
  /(static napi_value C_Login\(napi_env env, napi_callback_info info\)\s*\{[\s\S]*?GET_ARGS_ULONG\(1, userType\)\n)(\s*GET_ARGS_STRING\(2, pin\))/;
if (!login.test(source)) {
  console.error('patch-pkcs11js: C_Login not found in the expected shape; PIN-pad tokens will not work');
  process.exit(1);
}
const patched = source.replace(
  login,
  `$1    // ${MARKER}: an undefined or null PIN means "use the PIN pad" (NULL_PTR, length 0).
    napi_valuetype pinType;
    napi_typeof(env, arg[2], &pinType);
    if (pinType == napi_undefined || pinType == napi_null)
    {
      CK_RV nullPinRv = pkcs11->functionList->C_Login(sessionHandle, (CK_USER_TYPE)userType, NULL_PTR, 0);
      ASSERT_RV(nullPinRv);
      return nullptr;
    }
$2`,
);
writeFileSync(file, patched);
execFileSync(
  process.platform === 'win32' ? 'npm.cmd' : 'npm',
  ['rebuild', 'pkcs11js', '--foreground-scripts'],
  {
    stdio: 'inherit',
    cwd: process.cwd(),
    shell: process.platform === 'win32',
  },
);
