// The Vue example: the element in a template, its metadata as a property, its events as Vue
// listeners, and the results in refs. The parent re-renders on every progress event and on
// "Re-render"; Vue patches the same element node, so its uploads carry on.
//
// The finished object keys come through Vue's v-model: on a custom element `v-model.lazy` listens to
// the element's `change` and reads its `value` (the keys); the sizes come from `@upload-success`.
import { computed, defineComponent, ref } from 'vue/dist/vue.esm-bundler.js';
import '../../src/element/resumable-upload.ts';
import type {
  UploadErrorEvent,
  UploadProgressEvent,
  UploadSuccessEvent,
} from '../../src/element/resumable-upload.ts';
import { formatBytes } from '../../src/element/format.ts';

interface Stored {
  key: string;
  size: number;
}

/** The example's root component (its template is compiled in the browser, see main.ts). */
export const App = defineComponent({
  setup() {
    const album = ref('summer');
    const keys = ref<string[]>([]);
    const stored = ref<Stored[]>([]);
    const errors = ref<string[]>([]);
    const percent = ref<number | null>(null);
    const renders = ref(0);
    // A new object only when the album changes, so the element sees a new value only then.
    const metadata = computed(() => ({ album: album.value }));
    return {
      album,
      keys,
      stored,
      errors,
      percent,
      renders,
      metadata,
      formatBytes,
      onSuccess(e: UploadSuccessEvent) {
        const { key, size } = e.detail.result;
        stored.value.push({ key, size });
      },
      onError(e: UploadErrorEvent) {
        errors.value.push(`${e.detail.upload.name}: ${e.detail.code} ${e.detail.message}`);
      },
      onProgress(e: UploadProgressEvent) {
        percent.value = Math.floor(e.detail.overall.progress * 100);
      },
    };
  },
  template: /* html */ `
    <main class="layout">
      <section class="card main-card" aria-labelledby="upload-heading">
        <h2 id="upload-heading">Upload</h2>
        <div class="upload-form">
          <label class="field">
            <span>Album (sent as metadata)</span>
            <input v-model="album" autocomplete="off" />
          </label>
          <resumable-upload
            endpoint="/api/upload"
            multiple
            part-size="5MiB"
            v-model.lazy="keys"
            :metadata.prop="metadata"
            @upload-success="onSuccess"
            @upload-error="onError"
            @upload-progress="onProgress"
          ></resumable-upload>
        </div>
      </section>
      <aside class="side">
        <section class="card" aria-labelledby="state-heading">
          <h2 id="state-heading">Vue state</h2>
          <p id="progress" role="status">
            {{ percent === null ? 'No upload yet.' : 'Overall progress: ' + percent + '%' }}
          </p>
          <p class="row">
            <button id="rerender" type="button" @click="renders++">Re-render</button>
            <span id="renders">Re-renders by the button: {{ renders }}</span>
          </p>
          <p id="keys">Value (v-model): {{ keys.join(', ') || 'none yet' }}</p>
          <ul id="stored" class="stored" aria-label="Stored objects">
            <li v-for="o in stored" :key="o.key">
              Stored: <code>{{ o.key }}</code> ({{ formatBytes(o.size) }})
            </li>
          </ul>
          <ul v-if="errors.length" id="errors" aria-label="Failed uploads">
            <li v-for="(text, i) in errors" :key="i">{{ text }}</li>
          </ul>
        </section>
      </aside>
    </main>
  `,
});
