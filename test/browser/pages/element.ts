// The element test page: every query parameter becomes an attribute of the <resumable-upload> it
// creates inside a form; every event the element fires is recorded in window.events.
import '../../../src/element/resumable-upload.ts';
import { ELEMENT_EVENTS } from '../../../src/element/events.ts';

interface Recorded {
  type: string;
  detail: unknown;
  bubbles: boolean;
  composed: boolean;
}
const events: Recorded[] = [];
const w = window as unknown as { events: Recorded[]; submitted: string[][] | null };
w.events = events;
w.submitted = null;

for (const name of ELEMENT_EVENTS) {
  // Listening on document proves the events bubble out of the element.
  document.addEventListener(name, (e) => {
    const { detail } = e as CustomEvent;
    events.push({
      type: name,
      detail: structuredClone(detail),
      bubbles: e.bubbles,
      composed: e.composed,
    });
  });
}

const el = document.createElement('resumable-upload');
for (const [name, value] of new URLSearchParams(location.search)) el.setAttribute(name, value);
document.getElementById('slot')!.replaceWith(el);
// The form conventions: `change` when the value changes, `input` on progress (on the element itself).
for (const name of ['change', 'input']) {
  el.addEventListener(name, (e) => {
    events.push({ type: name, detail: el.value, bubbles: e.bubbles, composed: e.composed });
  });
}

const form = document.getElementById('form') as HTMLFormElement;
form.addEventListener('submit', (e) => {
  e.preventDefault();
  w.submitted = [...new FormData(form).entries()].map(([k, v]) => [k, String(v)]);
});
