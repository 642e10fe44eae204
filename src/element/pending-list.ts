import { html, nothing, type TemplateResult } from 'lit';
import { formatBytes, formatPlural } from './format.ts';
import { fill } from './strings.ts';
import type { ElementView } from './view.ts';

/**
 * The unfinished uploads an earlier visit saved: each resumes from its stored handle or private copy,
 * or asks for its file again, or is discarded.
 */
export function renderPending(v: ElementView): TemplateResult | typeof nothing {
  const { t, locale, controller } = v;
  const pending = controller.pending;
  if (!pending.length) return nothing;
  return html`<div part="pending" class="pending" role="group" aria-labelledby="pending-heading">
    <p part="pending-heading" class="pending-heading" id="pending-heading">
      ${formatPlural(t.pendingHeading, pending.length, locale)}
    </p>
    <p class="pending-intro">${t.pendingIntro}</p>
    <ul class="pending-list">
      ${pending.map(
        (p) =>
          html`<li part="pending-item" class="pending-item" data-id=${p.id}>
            <span class="pending-text">
              <span part="name" class="name" title=${p.name}>${p.name}</span>
              <span class="pending-details"
                >${fill(t.pendingProgress, {
                  done: formatBytes(p.bytesDone, locale),
                  total: formatBytes(p.size, locale),
                })}</span
              >
            </span>
            ${
              p.hasHandle
                ? html`<button
                    part="button resume-pending-button"
                    class="button primary"
                    type="button"
                    ?disabled=${v.refusesFiles}
                    aria-label=${fill(t.resumePendingFile, { name: p.name })}
                    @click=${() => controller.resumePending(p)}
                  >
                    ${t.resumePending}
                  </button>`
                : html`<button
                    part="button choose-pending-button"
                    class="button primary"
                    type="button"
                    ?disabled=${v.refusesFiles}
                    aria-label=${fill(t.choosePendingFileLabel, { name: p.name })}
                    @click=${() => void v.intake.choosePending(p)}
                  >
                    ${t.choosePendingFile}
                  </button>`
            }
            <button
              part="button discard-button"
              class="button danger"
              type="button"
              aria-label=${fill(t.discardPendingFile, { name: p.name })}
              @click=${() => controller.discardPending(p)}
            >
              ${t.discardPending}
            </button>
          </li>`,
      )}
    </ul>
  </div>`;
}
