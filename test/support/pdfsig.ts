// Runs poppler's pdfsig to VERIFY a PDF's signatures and parses its report (poppler 22.12 format):
//
//   Digital Signature Info of: FILE
//   Signature #1:
//     - Signature Field Name: Sig1
//     - Signer Certificate Common Name: Nguyễn Thị Hồng Nhung
//     - Signer full Distinguished Name: UID=CMND:001190000001,CN=Nguyễn Thị Hồng Nhung,...
//     - Signing Time: Nov 26 2026 09:55:16          (local time zone of the pdfsig process)
//     - Signing Hash Algorithm: SHA-256              (or SHA1, SHA-384, SHA-512, unknown, ...)
//     - Signature Type: adbe.pkcs7.detached          (or ETSI.CAdES.detached, adbe.pkcs7.sha1, unknown)
//     - Signed Ranges: [0 - 535730], [542730 - 543166]   (absent without a 4-number /ByteRange)
//     - Total document signed                        (or "Not total document signed"; absent with
//                                                     the ranges)
//     - Signature Validation: Signature is Valid.
//     - Certificate Validation: Certificate is Trusted.  (only when the signature is valid)
//
// Other shapes seen on real files: "  The signature form field is not signed." in place of the
// lines after the field name (an empty signature field); "ERROR: Unrecognized Hash ID" lines between
// the others; "(null)" as the name and DN when pdfsig found no signer certificate. A file without
// signatures prints "File 'FILE' does not contain any signatures" and exits 2. pdfsig 22.12 exits 0
// when it could report, whatever the validity of the signatures; 1 when it cannot open the file
// (stderr: "I/O Error: ...", "Command Line Error: Incorrect password"); it may print megabytes of
// "Syntax Error" lines on stderr for damaged files.
import { execFile } from 'node:child_process';
import path from 'node:path';

export interface PdfsigSignature {
  /** 1-based, as pdfsig numbers them. */
  index: number;
  fieldName?: string;
  signerCommonName?: string;
  signerDN?: string;
  signingTime?: string;
  hashAlgorithm?: string;
  signatureType?: string;
  signedRanges?: string;
  /** pdfsig's "Total document signed": the last signed range ends at the end of the file. */
  totalDocumentSigned: boolean;
  /**
   * e.g. 'Signature is Valid.', 'Digest Mismatch.', 'Signature has not yet been verified.'; for an
   * empty signature field, 'The signature form field is not signed.'.
   */
  signatureValidation: string;
  /** As printed, e.g. 'Certificate is Trusted.' (22.12 may say 'Unknown issue ...' for a good chain). */
  certificateValidation?: string;
  /** signatureValidation === 'Signature is Valid.' (says nothing about coverage or the certificate). */
  valid: boolean;
  /** Lines of the block that are none of the above, e.g. 'ERROR: Unrecognized Hash ID'. */
  otherLines: string[];
}

export interface PdfsigReport {
  signatures: PdfsigSignature[];
  /** pdfsig's stdout. */
  raw: string;
  exitCode: number;
  /** The start of pdfsig's stderr (at most 64 KiB). */
  stderr: string;
}

export const VALID_SIGNATURE = 'Signature is Valid.';
export const UNSIGNED_FIELD = 'The signature form field is not signed.';

const STDERR_KEPT = 64 * 1024;

/** Verifies `file` with `pdfsig -nssdir sql:<nssdir> -no-ocsp <file>` and parses the report. */
export async function pdfsigVerify(file: string, nssdir: string): Promise<PdfsigReport> {
  const { stdout, stderr, exitCode } = await new Promise<{
    stdout: string;
    stderr: string;
    exitCode: number;
  }>((resolve, reject) => {
    execFile(
      'pdfsig',
      ['-nssdir', `sql:${nssdir}`, '-no-ocsp', file],
      // Damaged files make pdfsig print megabytes of syntax errors on stderr.
      { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 120_000 },
      (error, out, err) => {
        if (error === null) {
          resolve({ stdout: out, stderr: err, exitCode: 0 });
          return;
        }
        // A non-zero exit is a result; failing to run pdfsig, or its being killed, is not.
        if (typeof error.code === 'number' && error.signal === null) {
          resolve({ stdout: out, stderr: err, exitCode: error.code });
          return;
        }
        const reason =
          error.signal !== null ? `killed by ${error.signal}` : String(error.code ?? error.message);
        reject(new Error(`pdfsig on ${file}: ${reason}\n${err.slice(0, 2000)}`));
      },
    );
  });
  if (
    !/^Digital Signature Info of: /m.test(stdout) &&
    !/^File '.*' does not contain any signatures$/m.test(stdout)
  ) {
    throw new Error(
      `pdfsig could not report on ${file} (exit ${exitCode}):\n${stdout}${stderr.slice(0, 2000)}`,
    );
  }
  return {
    signatures: parsePdfsigReport(stdout),
    raw: stdout,
    exitCode,
    stderr: stderr.slice(0, STDERR_KEPT),
  };
}

/** The signatures in pdfsig's verification report (stdout); none for "does not contain any signatures". */
export function parsePdfsigReport(stdout: string): PdfsigSignature[] {
  const signatures: PdfsigSignature[] = [];
  let current: PdfsigSignature | null = null;
  for (const line of stdout.split('\n')) {
    const header = /^Signature #(\d+):\s*$/.exec(line);
    if (header !== null) {
      current = {
        index: Number(header[1]),
        totalDocumentSigned: false,
        signatureValidation: '',
        valid: false,
        otherLines: [],
      };
      signatures.push(current);
      continue;
    }
    if (current === null || line.trim() === '') continue;
    const text = line.trim();
    if (text === '- Total document signed') {
      current.totalDocumentSigned = true;
      continue;
    }
    if (text === '- Not total document signed') continue;
    if (text === UNSIGNED_FIELD) {
      current.signatureValidation = UNSIGNED_FIELD;
      continue;
    }
    const field = /^ {2}- ([^:]+): ?(.*)$/.exec(line);
    if (field === null) {
      current.otherLines.push(text);
      continue;
    }
    const key = field[1] ?? '';
    const value = (field[2] ?? '').trimEnd();
    // pdfsig prints a missing name or DN as glibc's "(null)".
    const present = value !== '' && value !== '(null)';
    switch (key) {
      case 'Signature Field Name':
        if (present) current.fieldName = value;
        break;
      case 'Signer Certificate Common Name':
        if (present) current.signerCommonName = value;
        break;
      case 'Signer full Distinguished Name':
        if (present) current.signerDN = value;
        break;
      case 'Signing Time':
        if (present) current.signingTime = value;
        break;
      case 'Signing Hash Algorithm':
        current.hashAlgorithm = value;
        break;
      case 'Signature Type':
        current.signatureType = value;
        break;
      case 'Signed Ranges':
        current.signedRanges = value;
        break;
      case 'Signature Validation':
        current.signatureValidation = value;
        current.valid = value === VALID_SIGNATURE;
        break;
      case 'Certificate Validation':
        current.certificateValidation = value;
        break;
      default:
        current.otherLines.push(text);
    }
  }
  return signatures;
}

export const PDFSIG_SIGN_SCRIPT = path.resolve(import.meta.dirname, '../../fixtures/pdf/pdfsig-sign.sh');

/**
 * Signs `input` into `output` with pdfsig and the "Kyso Bench" SoftHSM token of a fixture set
 * (fixtures/pdf/pdfsig-sign.sh); rejects unless the result verifies.
 */
export function pdfsigSign(
  fixtures: string,
  input: string,
  output: string,
  extraArgs: string[] = [],
): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [PDFSIG_SIGN_SCRIPT, fixtures, input, output, ...extraArgs],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, _out, err) => {
        if (error === null) resolve();
        else reject(new Error(`pdfsig-sign.sh ${input} failed: ${error.message}\n${err.slice(0, 4000)}`));
      },
    );
  });
}
