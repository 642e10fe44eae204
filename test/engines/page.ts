// The cross-engine test page: the element test page's element (attributes from the query, every
// event recorded in window.events), plus a light-DOM file input every driver can set files on
// (WebDriver cannot reach the element's hidden input in its shadow root); what it gets goes to
// addFiles(), as the element's own input would pass it.
import '../browser/pages/element.ts';
import { createIdbResumeStore } from '../../src/persistence/index.ts';

// The resume store itself, for the case that leaves a page while its writes run.
(window as unknown as { createIdbResumeStore: typeof createIdbResumeStore }).createIdbResumeStore =
  createIdbResumeStore;

const input = document.getElementById('files') as HTMLInputElement;
input.addEventListener('change', () => {
  const el = document.querySelector('resumable-upload')!;
  el.addFiles(Array.from(input.files ?? []));
  input.value = '';
});
