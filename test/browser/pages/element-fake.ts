// A fake engine for looking at the element's states while the real engine is not there; not used by tests.
import type { PendingUpload, UploaderApi, UploadSnapshot } from '../../../src/engine/types.ts';
import { ResumableUpload } from '../../../src/element/resumable-upload.component.ts';

class FakeEngine extends EventTarget implements UploaderApi {
  list: UploadSnapshot[] = [];
  pendingList: PendingUpload[] = [
    {
      id: 'p1',
      name: 'holiday-video.mp4',
      size: 734_003_200,
      type: 'video/mp4',
      lastModified: 1,
      key: 'k',
      partCount: 88,
      partsDone: 40,
      bytesDone: 335_544_320,
      createdAt: 0,
      updatedAt: 0,
      hasHandle: true,
    },
    {
      id: 'p2',
      name: 'backup.tar',
      size: 52_428_800,
      type: '',
      lastModified: 1,
      key: 'k2',
      partCount: 7,
      partsDone: 2,
      bytesDone: 16_777_216,
      createdAt: 0,
      updatedAt: 0,
      hasHandle: false,
    },
  ];
  get uploads() {
    return this.list.map((u) => ({ ...u }));
  }
  private fire(name: string, detail: unknown) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }
  add(files: ArrayLike<File>) {
    const added: UploadSnapshot[] = [];
    for (const f of Array.from(files)) {
      if (f.size > 5e9) {
        this.fire('upload-rejected', {
          file: { name: f.name, size: f.size, type: f.type },
          code: 'file-too-large',
          message: 'too large',
        });
        continue;
      }
      const u: UploadSnapshot = {
        id: String(Math.random()),
        name: f.name,
        size: f.size,
        type: f.type,
        phase: 'uploading',
        bytesUploaded: 0,
        progress: 0,
        speed: 0,
        eta: null,
        partCount: 3,
        partsDone: 0,
        resumed: false,
      };
      this.list.push(u);
      added.push(u);
      this.fire('upload-added', { upload: u });
    }
    return added;
  }
  set(id: string, patch: Partial<UploadSnapshot>) {
    const u = this.list.find((x) => x.id === id)!;
    Object.assign(u, patch);
    this.fire('upload-state', { upload: { ...u } });
  }
  start() {}
  pause(id?: string) {
    for (const u of this.list) if (!id || u.id === id) this.set(u.id, { phase: 'paused' });
  }
  resume(id?: string) {
    for (const u of this.list) if (!id || u.id === id) this.set(u.id, { phase: 'uploading' });
  }
  async abort(id?: string) {
    for (const u of this.list) if (!id || u.id === id) this.set(u.id, { phase: 'aborted' });
  }
  retry(id: string) {
    this.set(id, { phase: 'uploading', error: undefined });
    return true;
  }
  remove(id: string) {
    this.list = this.list.filter((u) => u.id !== id);
  }
  async listPending() {
    return this.pendingList;
  }
  async resumePending(): Promise<UploadSnapshot> {
    throw new Error('not in the fake');
  }
  async discardPending(id: string) {
    this.pendingList = this.pendingList.filter((p) => p.id !== id);
  }
  destroy() {}
}

export const engines: FakeEngine[] = [];
ResumableUpload.createEngine = () => {
  const e = new FakeEngine();
  engines.push(e);
  return e;
};
customElements.define('resumable-upload', ResumableUpload);
(window as unknown as { engines: FakeEngine[] }).engines = engines;
