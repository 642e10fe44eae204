// The React example: the element as JSX, its metadata as a property, its events as React props, and
// the results in React state. The parent re-renders on every progress event and on "Re-render";
// React keeps the same element node, so its uploads carry on.
import { useMemo, useState } from 'react';
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

export function App() {
  const [album, setAlbum] = useState('summer');
  const [stored, setStored] = useState<Stored[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [percent, setPercent] = useState<number | null>(null);
  const [renders, setRenders] = useState(0);

  // A new object only when the album changes: React 19 assigns `metadata` whenever its identity changes.
  const metadata = useMemo(() => ({ album }), [album]);

  const onSuccess = (e: UploadSuccessEvent) => {
    const { key, size } = e.detail.result;
    setStored((list) => [...list, { key, size }]);
  };
  const onError = (e: UploadErrorEvent) => {
    setErrors((list) => [...list, `${e.detail.upload.name}: ${e.detail.code} ${e.detail.message}`]);
  };
  const onProgress = (e: UploadProgressEvent) => {
    setPercent(Math.floor(e.detail.overall.progress * 100));
  };

  return (
    <main className="layout">
      <section className="card main-card" aria-labelledby="upload-heading">
        <h2 id="upload-heading">Upload</h2>
        <div className="upload-form">
          <label className="field">
            <span>Album (sent as metadata)</span>
            <input value={album} onChange={(e) => setAlbum(e.target.value)} autoComplete="off" />
          </label>
          <resumable-upload
            endpoint="/api/upload"
            multiple
            part-size="5MiB"
            metadata={metadata}
            onupload-success={onSuccess}
            onupload-error={onError}
            onupload-progress={onProgress}
          />
        </div>
      </section>
      <aside className="side">
        <section className="card" aria-labelledby="state-heading">
          <h2 id="state-heading">React state</h2>
          <p id="progress" role="status">
            {percent === null ? 'No upload yet.' : `Overall progress: ${percent}%`}
          </p>
          <p className="row">
            <button id="rerender" type="button" onClick={() => setRenders((n) => n + 1)}>
              Re-render
            </button>
            <span id="renders">Re-renders by the button: {renders}</span>
          </p>
          <ul id="stored" className="stored" aria-label="Stored objects">
            {stored.map((o) => (
              <li key={o.key}>
                Stored: <code>{o.key}</code> ({formatBytes(o.size)})
              </li>
            ))}
          </ul>
          {errors.length > 0 && (
            <ul id="errors" aria-label="Failed uploads">
              {errors.map((text, i) => (
                <li key={i}>{text}</li>
              ))}
            </ul>
          )}
        </section>
      </aside>
    </main>
  );
}
