import { html, nothing, type TemplateResult } from 'lit';
import { fill } from './strings.ts';
import type { ElementView } from './view.ts';

/** The messages about files not added (a rejected file, a failed resume), each with a Dismiss button. */
export function renderNotices(v: ElementView): TemplateResult | typeof nothing {
  const { t, controller } = v;
  const notices = controller.notices;
  if (!notices.length) return nothing;
  return html`<ul part="notices" class="notices" aria-label=${t.rejectedHeading}>
    ${notices.map(
      (n) =>
        html`<li part="notice" class="notice">
          <span class="notice-text"
            >${fill(t.rejected, { name: n.name, reason: v.noticeReason(n) })}</span
          >
          <button
            part="button dismiss-button"
            class="button"
            type="button"
            aria-label=${fill(t.dismissRejected, { name: n.name })}
            @click=${() => controller.dismiss(n.id)}
          >
            ${t.dismiss}
          </button>
        </li>`,
    )}
  </ul>`;
}
