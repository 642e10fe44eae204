import type { UploadStrings } from '../strings.ts';

/** Japanese (ja). */
export default {
  dropZone: 'ここにファイルをドロップするか、ファイルを選択',
  dropZoneActive: '離すとアップロードします',
  dropZoneHint: '一度に選べるファイルは 1 つです。',
  dropZoneHintMultiple:
    'ファイルはいくつでも選べます。ページを再読み込みしてもアップロードは再開されます。',
  chooseFolder: 'フォルダーを選択',
  empty: 'アップロードはまだありません。',
  listLabel: 'アップロード',
  phases: {
    waiting: '待機中',
    hashing: 'ファイルを確認中',
    uploading: 'アップロード中',
    paused: '一時停止中',
    completing: '仕上げ中',
    done: '完了',
    failed: '失敗',
    aborted: 'キャンセル済み',
  },
  pause: '一時停止',
  resume: '再開',
  cancel: 'キャンセル',
  retry: '再試行',
  remove: '削除',
  start: '開始',
  pauseAll: 'すべて一時停止',
  resumeAll: 'すべて再開',
  cancelAll: 'すべてキャンセル',
  retryAll: 'すべて再試行',
  startAll: 'すべて開始',
  clearFinished: '完了したものを消去',
  pauseFile: '{name} を一時停止',
  resumeFile: '{name} を再開',
  cancelFile: '{name} をキャンセル',
  retryFile: '{name} を再試行',
  removeFile: '{name} を一覧から削除',
  startFile: '{name} を開始',
  progressText: '{percent}（{done} / {total}）',
  speed: '{speed}',
  eta: '残り {eta}',
  resumedBadge: '再開',
  pendingHeading: { other: '未完了のアップロード {count} 件' },
  pendingIntro: 'これらのアップロードは完了前に中断されました。中断したところから再開できます。',
  pendingProgress: '{total} のうち {done} をアップロード済み',
  resumePending: '再開',
  resumePendingFile: '{name} を再開',
  choosePendingFile: '同じファイルを選んで再開',
  choosePendingFileLabel: '{name} をもう一度選んで再開',
  notSameFile: '未完了のファイルではありません。再開するには {name}（{size}）を選んでください。',
  discardPending: '破棄',
  discardPendingFile: '{name} の未完了のアップロードを破棄',
  resumeUnavailable:
    'このブラウザーではアップロードの進行状況を保存できません（{reason}）。アップロードはできますが、ページを閉じると再開できません。',
  rejectedHeading: '追加されなかったファイル',
  rejected: '{name} は追加されませんでした：{reason}',
  rejectTooLarge: '上限の {max} を超えています。もっと小さいファイルを選んでください。',
  rejectType: 'この種類のファイルはここでは受け付けていません（受け付ける形式：{accept}）。',
  rejectDuplicate: 'すでに一覧にあります。',
  rejectOther: '{message}',
  rejectTooSmall: '下限の {min} より小さいファイルです。もっと大きいファイルを選んでください。',
  rejectTooMany: {
    other: '追加できるファイルは {count} 個までです。リストから 1 つ削除してから追加してください。',
  },
  rejectTotalTooLarge:
    'このファイルを加えると、リスト内のファイルの合計が {max} を超えます。先にいくつかのファイルを削除してください。',
  dismiss: '閉じる',
  dismissRejected: '{name} についてのメッセージを閉じる',
  errorIntro: '{name} をアップロードできませんでした。',
  errors: {
    network:
      'サーバーとの接続が切れました。接続を確認してから「再試行」を押してください。送信済みのパートは保持されます。',
    'retries-exhausted':
      '何度か試みましたが、サーバーがファイルを受け付けませんでした。「再試行」を押してもう一度お試しください。送信済みのパートは保持されます。',
    'file-changed':
      'アップロードを始めてから、デバイス上のファイルが変更されました。削除してから、ファイルをもう一度選んでください。',
    'file-unreadable':
      'ファイルを読み込めなくなりました（移動または削除された可能性があります）。もう一度選んでください。',
    'etag-mismatch':
      'ストレージから返されたチェックサムが想定と異なります。「再試行」を押すと、該当するパートを送り直します。',
    'worker-failed':
      'ブラウザーでファイルを確認できませんでした。ページを再読み込みしてもう一度お試しください。',
    'upload-gone':
      'サーバーにこのアップロードの記録がありません（期限切れの可能性があります）。「再試行」を押すと最初からやり直します。',
    'busy-in-other-tab':
      'このファイルは別のタブまたはウィンドウでアップロード中です。そちらを閉じてから「再試行」を押してください。',
    unauthorized: 'サインインしていません。サインインしてから「再試行」を押してください。',
    forbidden: 'ここにアップロードする権限がありません。',
    'invalid-token': 'アップロードの許可の期限が切れました。「再試行」を押すと続行します。',
    'file-too-large':
      'ファイルがサーバーで許可されたサイズを超えています。もっと小さいファイルを選んでください。',
    'file-too-small':
      'ファイルがサーバーで許可されている最小サイズより小さいです。もっと大きいファイルを選んでください。',
    'invalid-relative-path':
      'このファイルのフォルダーのパスが、サーバーにとって長すぎるか階層が深すぎます。ファイルを短いパスに移動してから、もう一度選んでください。',
    'content-type-not-allowed':
      'サーバーはこの種類のファイルを受け付けていません。別の種類のファイルを選んでください。',
    'invalid-file-name':
      'サーバーはこの名前でファイルを保存できません。ファイル名を変更してから、もう一度選んでください。',
    'unknown-callback-target':
      'ページのアップロード設定に誤りがあるため（サーバーが知らないコールバックを指定しています）、再試行しても解決しません。サイトの管理者に連絡してください。',
    'invalid-callback-variable':
      'ページのアップロード設定に誤りがあるため（サーバーが受け付けないコールバックの値があります）、再試行しても解決しません。サイトの管理者に連絡してください。',
    'invalid-request':
      'ページのアップロード設定に誤りがあるため（サーバーがリクエストを拒否しました）、再試行しても解決しません。サイトの管理者に連絡してください。',
    'invalid-json':
      'ページのアップロード設定に誤りがあるため（サーバーがリクエストを読み取れませんでした）、再試行しても解決しません。サイトの管理者に連絡してください。',
    'payload-too-large':
      'ページのアップロード設定に誤りがあるため（ファイルの情報がサーバーにとって長すぎます）、再試行しても解決しません。サイトの管理者に連絡してください。',
    'invalid-part-size':
      'ページのアップロード設定がこのファイルに合わないため（パートのサイズ）、再試行しても解決しません。サイトの管理者に連絡してください。',
    'store-unavailable':
      'ストレージが混み合っています。しばらく待ってから「再試行」を押してください。',
    'no-such-upload':
      'サーバーにこのアップロードの記録がありません。「再試行」を押すと最初からやり直します。',
    'bad-digest': '送信中にデータの一部が壊れました。「再試行」を押すと送り直します。',
    'url-expired': 'アップロード用のリンクの期限が切れました。「再試行」を押すと続行します。',
  },
  errorOther: '問題が発生しました（{message}）。「再試行」を押してもう一度お試しください。',
  announceAdded: '{name} を追加しました。',
  announcePhase: '{name}：{phase}。',
  announceDone: '{name} をアップロードしました。',
  callbackFailed:
    '{name} は保存されましたが、まだアプリケーションに通知できていません：{reason}。サーバーが自動的に再試行するので、もう一度アップロードする必要はありません。',
  callbackReasons: {
    unreachable: '通知先のサーバーに接続できませんでした',
    timeout: '通知先のサーバーが時間内に応答しませんでした',
    'http-status': '通知先のサーバーがエラーを返しました',
    'not-json': '通知先のサーバーの応答を読み取れませんでした',
    'too-large': '通知先のサーバーの応答が長すぎます',
    redirect: '通知先のサーバーがリダイレクトを返しました（リダイレクトはたどりません）',
    'refused-address': '通知先のアドレスは許可されていません',
    'unknown-target': 'このコールバックはサーバーで設定されていません',
  },
  announceFailed: '{name} は失敗しました：{message}',
  announceRejected: '{name} は追加されませんでした：{reason}',
  validityUploading: 'アップロードが終わるまでお待ちください。',
} satisfies UploadStrings;
