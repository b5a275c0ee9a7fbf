// The printable HTML report of `kyso verify --report FILE.html`: one self-contained page (no
// scripts, no external resources) that a clerk can print or archive with the document. Every value
// from the document is escaped: a signer's name or a field name is data, never markup.
import { formatVietnamTime } from '../verification-texts.js';
import type { SignatureReport, VerificationReport } from '../verification-report.js';
import type { Lang } from '../../../shared/messages.js';
import { verifyLabels, type VerifyLabels } from './verification-labels.js';
import { evidenceRows, formatLevel } from './verification-text.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const STYLE = `
body { font-family: "Times New Roman", "Noto Serif", serif; font-size: 12pt; color: #000; margin: 2cm; }
h1 { font-size: 16pt; text-align: center; margin-bottom: 0.2cm; }
h2 { font-size: 13pt; margin-top: 0.8cm; border-bottom: 1px solid #000; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 0.2cm 0; }
th, td { border: 1px solid #555; padding: 3px 6px; text-align: left; vertical-align: top; }
th { width: 28%; background: #eee; }
.status { font-weight: bold; padding: 2px 8px; border: 2px solid; }
.valid { color: #0a5a0a; } .invalid { color: #a00000; } .indeterminate, .unsigned { color: #8a5a00; }
.passed { color: #0a5a0a; } .failed { color: #a00000; font-weight: bold; } .warning { color: #8a5a00; font-weight: bold; }
.not-checked { color: #555; }
section { page-break-inside: avoid; }
footer { margin-top: 1cm; font-size: 9pt; color: #444; }
@media print { body { margin: 1cm; } }
`;

function row(label: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
}

function signatureSection(s: SignatureReport, l: VerifyLabels, lang: Lang): string {
  const title = s.type === 'document-timestamp' ? l.documentTimestamp : l.signature;
  const time =
    s.signingTime === null
      ? null
      : `${formatVietnamTime(new Date(s.signingTime))} (${s.signingTimeSource === 'timestamp' ? l.timestamped : l.claimed})`;
  const timestamp = s.timestamp
    ? `${formatVietnamTime(new Date(s.timestamp.time))} — ${s.timestamp.tsa ?? '?'} (${s.timestamp.status})`
    : null;
  const format = [
    s.subFilter ?? '?',
    formatLevel(s, l),
    s.certification ? l.certification(s.certification) : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const coverage = s.coverage.wholeDocument
    ? l.wholeDocument
    : l.revisionOf(s.coverage.revision, s.coverage.revisions);
  const checks = s.checks
    .map(
      (c) =>
        `<tr><th>${escapeHtml(l.check[c.id])}</th><td><span class="${c.result}">${escapeHtml(l.result[c.result])}</span>${c.detail ? ` — ${escapeHtml(c.detail)}` : ''}</td></tr>`,
    )
    .join('');
  const changes =
    s.changesAfter.length === 0
      ? ''
      : `<h3>${escapeHtml(l.changesAfter)}</h3><ul>${s.changesAfter
          .map(
            (c) =>
              `<li class="${c.allowed ? 'passed' : 'failed'}">[${escapeHtml(c.allowed ? l.allowed : l.notAllowed)}] ${escapeHtml(c.description)}</li>`,
          )
          .join('')}</ul>`;
  return `<section>
<h2>${escapeHtml(`${title} ${s.index} — ${l.field} ${s.field}`)}: <span class="status ${s.status}">${escapeHtml(l.status[s.status])}</span></h2>
<table>
${row(l.reason, s.reason)}${row(l.signer, s.signer.name)}${row(l.organization, s.signer.organization)}${row(l.dn, s.signer.dn)}
${row(l.issuer, s.issuer)}${row(l.serial, s.serial)}${row(l.signingTime, time)}${row(l.timestamp, timestamp)}
${row(l.format, format)}${evidenceRows(s, lang)
    .map(([label, value]) => row(label, value))
    .join(
      '',
    )}${row(l.algorithms, [s.digestAlgorithm, s.signatureAlgorithm].filter(Boolean).join(', '))}${row(l.coverage, coverage)}
</table>
<h3>${escapeHtml(l.checks)}</h3>
<table>${checks}</table>
${changes}
</section>`;
}

export function renderVerificationHtml(report: VerificationReport, lang: Lang): string {
  const l = verifyLabels(lang);
  const signatures =
    report.signatures.length === 0
      ? `<p>${escapeHtml(l.noSignatures)}</p>`
      : report.signatures.map((s) => signatureSection(s, l, lang)).join('\n');
  const warnings =
    report.warnings.length === 0
      ? ''
      : `<h2>${escapeHtml(l.warnings)}</h2><ul>${report.warnings.map((w) => `<li class="warning">${escapeHtml(w)}</li>`).join('')}</ul>`;
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(`${l.title} — ${report.file}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(l.title)}</h1>
<table>
${row(l.file, report.file)}
<tr><th>${escapeHtml(l.documentStatus)}</th><td><span class="status ${report.status}">${escapeHtml(l.status[report.status])}</span></td></tr>
${row(l.revisions, String(report.revisions))}${row(l.validationTime, formatVietnamTime(new Date(report.validationTime)))}
</table>
${signatures}
${warnings}
<footer>${escapeHtml(l.generatedBy)} — ${escapeHtml(formatVietnamTime(new Date(report.validationTime)))}</footer>
</body>
</html>
`;
}
