import { repeat } from 'lit/directives/repeat.js';
import { html, nothing, type TemplateResult } from 'lit';
import { isActivePhase } from '../engine/phases.ts';
import type { UploadSnapshot } from '../engine/types.ts';
import { formatBytes, formatDuration, formatPercent, formatSpeed } from './format.ts';
import { callbackWarning, errorText } from './messages.ts';
import { fill } from './strings.ts';
import type { ElementView } from './view.ts';

type ActionButton = (
  part: string,
  label: string,
  aria: string,
  onClick: () => void,
  cls?: string,
) => TemplateResult;

/** A failed upload that another attempt may finish (the error table's retry class says so). */
export function canRetry(u: UploadSnapshot): boolean {
  return u.phase === 'failed' && u.error?.retryable !== false;
}

/** Sending, or about to: what Pause stops. */
function running(u: UploadSnapshot): boolean {
  return u.phase === 'waiting' || u.phase === 'hashing' || u.phase === 'uploading';
}

/** The buttons acting on every upload, and the list of uploads. */
export function renderList(v: ElementView, uploads: UploadSnapshot[]): TemplateResult {
  const { t, controller } = v;
  const sending = uploads.some(running);
  const paused = uploads.some((u) => u.phase === 'paused');
  const retryable = uploads.some(canRetry);
  const cancellable = uploads.some((u) => isActivePhase(u.phase) || u.phase === 'failed');
  const unstarted = !v.autoStart && uploads.some((u) => u.phase === 'waiting');
  const finished = uploads.some((u) => u.phase === 'done' || u.phase === 'aborted');
  const retryAll = () => {
    for (const u of controller.uploads) if (canRetry(u)) controller.retry(u.id);
  };
  const button = (part: string, label: string, onClick: () => void, cls = '') =>
    html`<button part="button ${part}" class="button ${cls}" type="button" @click=${onClick}>
      ${label}
    </button>`;
  return html`
    <div part="controls" class="controls">
      ${unstarted ? button('start-button', t.startAll, () => controller.start(), 'primary') : nothing}
      ${sending ? button('pause-button', t.pauseAll, () => controller.pause()) : nothing}
      ${paused ? button('resume-button', t.resumeAll, () => controller.resume()) : nothing}
      ${retryable ? button('retry-button retry-all-button', t.retryAll, retryAll, 'primary') : nothing}
      ${cancellable ? button('cancel-button', t.cancelAll, () => void controller.cancel(), 'danger') : nothing}
      ${finished ? button('remove-button', t.clearFinished, () => controller.clearFinished()) : nothing}
    </div>
    <ul part="list" class="list" aria-label=${t.listLabel}>
      ${repeat(
        uploads,
        (u) => u.id,
        (u) => renderItem(v, u),
      )}
    </ul>
  `;
}

/**
 * The first button of a file: start, pause, resume or retry (none for a refusal a retry cannot
 * fix). One button for all four, so the button element stays the same and keeps the keyboard focus
 * when its action changes.
 */
function mainAction(
  v: ElementView,
  u: UploadSnapshot,
  act: ActionButton,
): TemplateResult | typeof nothing {
  const { t, controller } = v;
  const id = u.id;
  if (!v.autoStart && u.phase === 'waiting') {
    return act('start-button', t.start, t.startFile, () => controller.start(id), 'primary');
  }
  if (running(u)) return act('pause-button', t.pause, t.pauseFile, () => controller.pause(id));
  if (u.phase === 'paused') {
    return act('resume-button', t.resume, t.resumeFile, () => controller.resume(id), 'primary');
  }
  if (canRetry(u)) {
    return act('retry-button', t.retry, t.retryFile, () => controller.retry(id), 'primary');
  }
  return nothing;
}

/** The second button of a file: cancel while it can be cancelled, then remove (one button, as above). */
function secondAction(v: ElementView, u: UploadSnapshot, act: ActionButton): TemplateResult {
  const { t, controller } = v;
  if (isActivePhase(u.phase) || u.phase === 'failed') {
    return act(
      'cancel-button',
      t.cancel,
      t.cancelFile,
      () => void controller.cancel(u.id),
      'danger',
    );
  }
  return act('remove-button', t.remove, t.removeFile, () => controller.remove(u.id));
}

/** One upload: thumbnail, name, size and state, its progress bar and figures, its buttons, its error. */
function renderItem(v: ElementView, u: UploadSnapshot): TemplateResult {
  const { t, locale } = v;
  const percent = Math.floor(u.progress * 100);
  const progressText = fill(t.progressText, {
    percent: formatPercent(u.progress, locale),
    done: formatBytes(u.bytesUploaded, locale),
    total: formatBytes(u.size, locale),
  });
  const moving = u.phase === 'uploading' && u.speed > 0;
  const details = [progressText];
  if (moving) details.push(fill(t.speed, { speed: formatSpeed(u.speed, locale) }));
  if (moving && u.eta != null) details.push(fill(t.eta, { eta: formatDuration(u.eta, locale) }));
  const name = { name: u.name };
  const act: ActionButton = (part, label, aria, onClick, cls = '') =>
    html`<button
      part="button ${part}"
      class="button ${cls}"
      type="button"
      aria-label=${fill(aria, name)}
      @click=${onClick}
    >
      ${label}
    </button>`;
  const thumbnail = v.previews.url(u.id);
  const warning = callbackWarning(t, u);
  return html`<li
    part="item item-${u.phase}"
    class="item"
    data-phase=${u.phase}
    data-id=${u.id}
    data-thumbnail=${v.previews.state(u.id) ?? nothing}
  >
    <div class="row">
      ${thumbnail ? html`<img part="thumbnail" class="thumbnail" src=${thumbnail} alt="" />` : nothing}
      <span part="name" class="name" title=${u.relativePath ?? u.name}
        >${u.relativePath ?? u.name}</span
      >
      <span part="size" class="size">${formatBytes(u.size, locale)}</span>
      ${u.resumed ? html`<span class="badge">${t.resumedBadge}</span>` : nothing}
      <span part="state" class="state">${t.phases[u.phase]}</span>
    </div>
    <div
      part="progress"
      class="progress"
      role="progressbar"
      aria-label=${u.name}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow=${percent}
      aria-valuetext=${`${progressText}, ${t.phases[u.phase]}`}
    >
      <div
        part="progress-indicator"
        class="progress-indicator"
        style="inline-size: ${u.progress * 100}%"
      ></div>
    </div>
    <div class="row">
      <span part="details" class="details">${details.join(' · ')}</span>
      <span part="actions" class="actions">
        ${mainAction(v, u, act)} ${secondAction(v, u, act)}
      </span>
    </div>
    ${
      u.phase === 'failed'
        ? html`<p part="error" class="error">${fill(t.errorIntro, name)} ${errorText(t, u)}</p>`
        : nothing
    }
    ${warning ? html`<p part="callback-warning" class="warning">${warning}</p>` : nothing}
  </li>`;
}
