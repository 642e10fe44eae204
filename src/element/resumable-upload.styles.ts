import { css } from 'lit';

/** The element's shadow styles; every colour, the spacing, radius and font come from custom properties. */
export const styles = css`
  :host {
    --ru-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --ru-font-size: 0.9375rem;
    --ru-spacing: 0.75rem;
    --ru-radius: 0.625rem;
    --ru-color-text: #1b1f24;
    --ru-color-muted: #57606a;
    --ru-color-background: #ffffff;
    --ru-color-surface: #f6f8fa;
    --ru-color-border: #d0d7de;
    --ru-color-accent: #0a59c9;
    --ru-color-accent-contrast: #ffffff;
    --ru-color-success: #1a7f37;
    --ru-color-danger: #c62828;
    --ru-color-warning: #8a5a00;
    --ru-color-track: #e4e8ec;
    --ru-focus-ring: 0 0 0 3px color-mix(in srgb, var(--ru-color-accent) 45%, transparent);
    --ru-transition: 160ms ease;

    display: block;
    box-sizing: border-box;
    font-family: var(--ru-font-family);
    font-size: var(--ru-font-size);
    line-height: 1.45;
    color: var(--ru-color-text);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --ru-color-text: #e6edf3;
      --ru-color-muted: #9da7b3;
      --ru-color-background: #0d1117;
      --ru-color-surface: #161b22;
      --ru-color-border: #3d444d;
      --ru-color-accent: #4493f8;
      --ru-color-accent-contrast: #0d1117;
      --ru-color-success: #3fb950;
      --ru-color-danger: #ff7b72;
      --ru-color-warning: #d29922;
      --ru-color-track: #30363d;
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .base {
    display: grid;
    gap: var(--ru-spacing);
  }

  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  .drop-zone {
    display: grid;
    justify-items: center;
    gap: calc(var(--ru-spacing) / 3);
    inline-size: 100%;
    padding-block: calc(var(--ru-spacing) * 2.25);
    padding-inline: var(--ru-spacing);
    border: 2px dashed var(--ru-color-border);
    border-radius: var(--ru-radius);
    background: var(--ru-color-surface);
    color: inherit;
    font: inherit;
    text-align: center;
    cursor: pointer;
    transition:
      border-color var(--ru-transition),
      background-color var(--ru-transition);
  }

  .drop-zone:hover,
  .drop-zone.dragging {
    border-color: var(--ru-color-accent);
    background: color-mix(in srgb, var(--ru-color-accent) 7%, var(--ru-color-surface));
  }

  .drop-zone:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }

  .drop-zone-icon {
    width: 2rem;
    height: 2rem;
    color: var(--ru-color-accent);
  }

  .drop-zone-label {
    font-weight: 600;
  }

  .drop-zone-hint {
    color: var(--ru-color-muted);
    font-size: 0.875em;
  }

  button:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--ru-color-accent);
    outline-offset: 2px;
    box-shadow: var(--ru-focus-ring);
  }

  .list,
  .pending-list,
  .notices {
    display: grid;
    gap: calc(var(--ru-spacing) * 0.66);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .item,
  .pending-item,
  .notice,
  .warning,
  .pending {
    border: 1px solid var(--ru-color-border);
    border-radius: var(--ru-radius);
    background: var(--ru-color-background);
    padding-block: calc(var(--ru-spacing) * 0.8);
    padding-inline: var(--ru-spacing);
  }

  .item {
    display: grid;
    gap: calc(var(--ru-spacing) / 2);
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: calc(var(--ru-spacing) / 2) var(--ru-spacing);
  }

  .name {
    flex: 1 1 12rem;
    min-inline-size: 0;
    overflow: hidden;
    font-weight: 600;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .size,
  .details,
  .pending-details {
    color: var(--ru-color-muted);
    font-size: 0.875em;
    font-variant-numeric: tabular-nums;
  }

  .details {
    flex: 1 1 auto;
  }

  .state {
    font-size: 0.8125em;
    font-weight: 600;
    padding-block: 0.05rem;
    padding-inline: 0.55rem;
    border-radius: 999px;
    background: var(--ru-color-surface);
    border: 1px solid var(--ru-color-border);
    white-space: nowrap;
  }

  .item[data-phase='done'] .state {
    color: var(--ru-color-success);
    border-color: currentColor;
  }

  .item[data-phase='failed'] .state {
    color: var(--ru-color-danger);
    border-color: currentColor;
  }

  .badge {
    font-size: 0.75em;
    color: var(--ru-color-muted);
  }

  .progress {
    height: 0.5rem;
    border-radius: 999px;
    background: var(--ru-color-track);
    overflow: hidden;
  }

  /* Logical sizes: in a right-to-left page (dir="rtl" on the element or an ancestor) the bar
     starts at the right and grows to the left, as rows and buttons mirror with the direction. */
  .progress-indicator {
    block-size: 100%;
    inline-size: 0;
    border-radius: inherit;
    background: var(--ru-color-accent);
    transition: inline-size 250ms linear;
  }

  .item[data-phase='done'] .progress-indicator {
    background: var(--ru-color-success);
  }

  .item[data-phase='failed'] .progress-indicator {
    background: var(--ru-color-danger);
  }

  .item[data-phase='paused'] .progress-indicator,
  .item[data-phase='aborted'] .progress-indicator {
    background: var(--ru-color-muted);
  }

  .item[data-phase='hashing'] .progress-indicator,
  .item[data-phase='completing'] .progress-indicator {
    background-image: linear-gradient(
      90deg,
      transparent 0,
      color-mix(in srgb, var(--ru-color-accent-contrast) 35%, transparent) 50%,
      transparent 100%
    );
    background-size: 200% 100%;
    animation: shimmer 1.4s linear infinite;
  }

  /* The shimmer runs the way the bar grows. */
  .item .progress-indicator:dir(rtl) {
    animation-direction: reverse;
  }

  @keyframes shimmer {
    from {
      background-position: 200% 0;
    }
    to {
      background-position: -200% 0;
    }
  }

  .actions,
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--ru-spacing) / 2);
  }

  .controls {
    justify-content: flex-end;
  }

  /* No transition of colours: a button that turns primary must be readable at once. */
  .button {
    font: inherit;
    font-size: 0.875em;
    padding-block: 0.3rem;
    padding-inline: 0.8rem;
    border: 1px solid var(--ru-color-border);
    border-radius: calc(var(--ru-radius) * 0.7);
    background: var(--ru-color-surface);
    color: var(--ru-color-text);
    cursor: pointer;
  }

  .button:hover {
    border-color: var(--ru-color-accent);
  }

  .button.primary {
    background: var(--ru-color-accent);
    border-color: var(--ru-color-accent);
    color: var(--ru-color-accent-contrast);
  }

  .button.danger:hover {
    border-color: var(--ru-color-danger);
    color: var(--ru-color-danger);
  }

  .button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }

  .warning {
    color: var(--ru-color-warning);
    margin: 0;
    font-size: 0.875em;
  }

  .error,
  .notice {
    color: var(--ru-color-danger);
    margin: 0;
    font-size: 0.875em;
  }

  .notice {
    display: flex;
    align-items: center;
    gap: var(--ru-spacing);
    border-color: color-mix(in srgb, var(--ru-color-danger) 45%, var(--ru-color-border));
  }

  .notice-text {
    flex: 1;
  }

  .warning {
    margin: 0;
    color: var(--ru-color-warning);
    font-size: 0.875em;
  }

  .pending {
    display: grid;
    gap: calc(var(--ru-spacing) * 0.66);
    background: var(--ru-color-surface);
  }

  .pending-heading {
    margin: 0;
    font-weight: 700;
  }

  .pending-intro {
    margin: 0;
    color: var(--ru-color-muted);
    font-size: 0.875em;
  }

  .pending-item {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--ru-spacing) / 2) var(--ru-spacing);
  }

  .pending-text {
    flex: 1 1 14rem;
    min-inline-size: 0;
    display: grid;
  }

  .empty {
    color: var(--ru-color-muted);
    text-align: center;
    margin: 0;
    font-size: 0.875em;
  }

  @media (prefers-reduced-motion: reduce) {
    .drop-zone,
    .progress-indicator {
      transition: none;
    }
    .item[data-phase='hashing'] .progress-indicator,
    .item[data-phase='completing'] .progress-indicator {
      animation: none;
    }
  }
`;
