// appearance.preview: the engine draws the box as it will write it (renderAppearancePreview), with the
// chosen certificate's names and stored image, or a placeholder signer before one is chosen.
import {
  loadAppearanceSettings,
  renderAppearancePreview,
  type AppearanceSigner,
} from '../../signing/appearance-api.js';
import type { Language } from '../../shared/contract/index.js';
import type { Handlers } from './service-types.js';
import { readTokenCertificate } from './token-access.js';

function placeholderSigner(language: Language): AppearanceSigner {
  const name = language === 'vi' ? 'Họ và tên người ký' : 'Signer name';
  return {
    subjectCN: name,
    subjectDN: `CN=${name}`,
    subjectOrganization: language === 'vi' ? 'Tên cơ quan' : 'Agency',
    subjectTitle: undefined,
    // No stored image matches this: the preview shows the text lines only.
    sha256: '0'.repeat(64),
  };
}

export function appearanceHandlers(now: () => Date = () => new Date()): Handlers<'appearance.preview'> {
  return {
    'appearance.preview': async (request, ctx) => {
      const signer = request.certificate
        ? await readTokenCertificate(request.certificate)
        : placeholderSigner(ctx.language);
      const { pdf } = await renderAppearancePreview({
        width: request.width,
        height: request.height,
        signer,
        signingTime: now(),
        appearance: {
          template: request.template,
          settings: await loadAppearanceSettings(),
          ...(request.docNumber !== undefined ? { docNumber: request.docNumber } : {}),
          ...(request.agency !== undefined ? { organization: request.agency } : {}),
        },
      });
      return { pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength), warnings: [] };
    },
  };
}
