import { html, nothing, type TemplateResult } from 'lit';
import type { ElementView } from './view.ts';

/** The drop zone (a button that opens the file picker), the hidden inputs and the folder button. */
export function renderDropZone(v: ElementView): TemplateResult {
  const { t, intake } = v;
  return html`<button
      part="drop-zone"
      class="drop-zone ${intake.dragging ? 'dragging' : ''}"
      type="button"
      ?disabled=${v.refusesFiles}
      @click=${() => void intake.browse()}
      @dragenter=${intake.onDragOver}
      @dragover=${intake.onDragOver}
      @dragleave=${intake.onDragLeave}
      @drop=${intake.onDrop}
    >
      <slot name="drop-zone">
        <svg
          class="drop-zone-icon"
          viewBox="0 0 24 24"
          aria-hidden="true"
          fill="none"
          stroke="currentColor"
          stroke-width="1.8"
          stroke-linecap="round"
          stroke-linejoin="round"
        >
          <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5" />
          <path d="M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
        </svg>
        <span part="drop-zone-label" class="drop-zone-label"
          >${intake.dragging ? t.dropZoneActive : t.dropZone}</span
        >
      </slot>
      <span part="drop-zone-hint" class="drop-zone-hint"
        >${v.multiple ? t.dropZoneHintMultiple : t.dropZoneHint}</span
      >
    </button>
    <input
      type="file"
      hidden
      tabindex="-1"
      aria-hidden="true"
      ?multiple=${v.multiple}
      accept=${v.accept || nothing}
    />
    ${
      v.multiple
        ? html`<button
              part="button folder-button"
              class="button folder-button"
              type="button"
              ?disabled=${v.refusesFiles}
              @click=${() => void intake.browseFolder()}
            >
              ${t.chooseFolder}
            </button>
            <input
              class="folder-input"
              type="file"
              hidden
              tabindex="-1"
              aria-hidden="true"
              webkitdirectory
            />`
        : nothing
    }`;
}
