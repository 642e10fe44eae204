// The cross-engine test page: the element test page's element (attributes from the query, every
// event recorded in window.events), plus a light-DOM file input every driver can set files on
// (WebDriver cannot reach the element's hidden input in its shadow root); what it gets goes to
// addFiles(), as the element's own input would pass it.
import '../browser/pages/element.ts';

const input = document.getElementById('files') as HTMLInputElement;
input.addEventListener('change', () => {
  const el = document.querySelector('resumable-upload')!;
  el.addFiles(Array.from(input.files ?? []));
  input.value = '';
});
