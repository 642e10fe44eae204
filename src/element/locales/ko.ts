import type { UploadStrings } from '../strings.ts';

/** Korean (ko). */
export default {
  dropZone: '여기에 파일을 끌어다 놓거나 파일을 선택하세요',
  dropZoneActive: '놓으면 업로드됩니다',
  dropZoneHint: '한 번에 파일 하나만 올릴 수 있습니다.',
  dropZoneHintMultiple: '파일 개수에 제한이 없습니다. 페이지를 새로 고쳐도 업로드가 이어집니다.',
  chooseFolder: '폴더 선택',
  empty: '아직 업로드가 없습니다.',
  listLabel: '업로드',
  phases: {
    waiting: '대기 중',
    hashing: '파일 확인 중',
    uploading: '업로드 중',
    paused: '일시 중지됨',
    completing: '마무리 중',
    done: '완료',
    failed: '실패',
    aborted: '취소됨',
  },
  pause: '일시 중지',
  resume: '재개',
  cancel: '취소',
  retry: '다시 시도',
  remove: '제거',
  start: '시작',
  pauseAll: '모두 일시 중지',
  resumeAll: '모두 재개',
  cancelAll: '모두 취소',
  retryAll: '모두 다시 시도',
  startAll: '모두 시작',
  clearFinished: '완료된 항목 지우기',
  pauseFile: '{name} 일시 중지',
  resumeFile: '{name} 재개',
  cancelFile: '{name} 취소',
  retryFile: '{name} 다시 시도',
  removeFile: '목록에서 {name} 제거',
  startFile: '{name} 시작',
  progressText: '{percent} ({total} 중 {done})',
  speed: '{speed}',
  eta: '{eta} 남음',
  resumedBadge: '이어 올림',
  pendingHeading: { other: '완료되지 않은 업로드 {count}개' },
  pendingIntro: '이 업로드들은 끝나기 전에 중단되었습니다. 중단된 곳부터 이어서 올리세요.',
  pendingProgress: '{total} 중 {done} 업로드됨',
  resumePending: '재개',
  resumePendingFile: '{name} 재개',
  choosePendingFile: '이어서 올릴 같은 파일 선택',
  choosePendingFileLabel: '이어서 올리려면 {name} 파일을 다시 선택하세요',
  notSameFile: '완료되지 않은 그 파일이 아닙니다. 이어서 올리려면 {name}({size})을(를) 선택하세요.',
  discardPending: '버리기',
  discardPendingFile: '{name}의 완료되지 않은 업로드 버리기',
  resumeUnavailable:
    '이 브라우저는 업로드 진행 상황을 저장할 수 없습니다({reason}). 업로드는 되지만 페이지를 닫으면 이어서 올릴 수 없습니다.',
  rejectedHeading: '추가되지 않음',
  rejected: '{name}이(가) 추가되지 않았습니다: {reason}',
  rejectTooLarge: '{max} 제한보다 큽니다. 더 작은 파일을 선택하세요.',
  rejectType: '이 형식의 파일은 여기에서 받지 않습니다(허용: {accept}).',
  rejectDuplicate: '이미 목록에 있습니다.',
  rejectOther: '{message}',
  rejectTooSmall: '{min} 하한보다 작습니다. 더 큰 파일을 선택하세요.',
  rejectTooMany: {
    other: '파일은 {count}개까지만 추가할 수 있습니다. 목록에서 하나를 제거한 후 추가하세요.',
  },
  rejectTotalTooLarge:
    '이 파일을 추가하면 목록에 있는 파일의 합계가 {max}를 넘습니다. 먼저 일부 파일을 제거하세요.',
  dismiss: '닫기',
  dismissRejected: '{name}에 대한 메시지 닫기',
  errorIntro: '{name}을(를) 업로드하지 못했습니다.',
  errors: {
    network:
      "서버와의 연결이 끊겼습니다. 연결을 확인한 다음 '다시 시도'를 누르세요. 이미 보낸 파트는 유지됩니다.",
    'retries-exhausted':
      "여러 번 시도했지만 서버가 파일을 받지 않았습니다. '다시 시도'를 눌러 다시 시도하세요. 이미 보낸 파트는 유지됩니다.",
    'file-changed':
      '업로드를 시작한 뒤 기기에서 파일이 변경되었습니다. 파일을 제거한 다음 다시 선택하세요.',
    'file-unreadable':
      '파일을 더 이상 읽을 수 없습니다(이동되었거나 삭제되었을 수 있습니다). 다시 선택하세요.',
    'etag-mismatch':
      "저장소가 예상과 다른 체크섬을 돌려주었습니다. '다시 시도'를 눌러 해당 파트를 다시 보내세요.",
    'worker-failed':
      '브라우저가 파일을 확인하지 못했습니다. 페이지를 새로 고친 다음 다시 시도하세요.',
    'upload-gone':
      "서버가 이 업로드를 더 이상 알지 못합니다(만료되었을 수 있습니다). '다시 시도'를 눌러 처음부터 다시 시작하세요.",
    'busy-in-other-tab':
      "이 파일은 다른 탭이나 창에서 업로드 중입니다. 그쪽을 닫은 다음 '다시 시도'를 누르세요.",
    unauthorized: "로그인되어 있지 않습니다. 로그인한 다음 '다시 시도'를 누르세요.",
    forbidden: '여기에 업로드할 권한이 없습니다.',
    'invalid-token': "업로드 권한이 만료되었습니다. '다시 시도'를 눌러 계속하세요.",
    'file-too-large': '파일이 서버에서 허용하는 크기보다 큽니다. 더 작은 파일을 선택하세요.',
    'file-too-small': '파일이 서버에서 허용하는 최소 크기보다 작습니다. 더 큰 파일을 선택하세요.',
    'invalid-relative-path':
      '이 파일의 폴더 경로가 서버에서 받기에 너무 길거나 너무 깊습니다. 파일을 더 짧은 경로로 옮긴 후 다시 선택하세요.',
    'content-type-not-allowed':
      '서버가 이 형식의 파일을 받지 않습니다. 다른 형식의 파일을 선택하세요.',
    'invalid-file-name':
      '서버가 이 이름으로 파일을 저장할 수 없습니다. 파일 이름을 바꾼 다음 다시 선택하세요.',
    'unknown-callback-target':
      '페이지의 업로드 설정이 잘못되어(서버가 모르는 콜백을 지정함) 다시 시도해도 소용없습니다. 사이트 운영자에게 알려 주세요.',
    'invalid-callback-variable':
      '페이지의 업로드 설정이 잘못되어(서버가 받지 않는 콜백 값이 있음) 다시 시도해도 소용없습니다. 사이트 운영자에게 알려 주세요.',
    'invalid-request':
      '페이지의 업로드 설정이 잘못되어(서버가 요청을 거부함) 다시 시도해도 소용없습니다. 사이트 운영자에게 알려 주세요.',
    'invalid-json':
      '페이지의 업로드 설정이 잘못되어(서버가 요청을 읽지 못함) 다시 시도해도 소용없습니다. 사이트 운영자에게 알려 주세요.',
    'payload-too-large':
      '페이지의 업로드 설정이 잘못되어(파일 정보가 서버에 비해 너무 김) 다시 시도해도 소용없습니다. 사이트 운영자에게 알려 주세요.',
    'invalid-part-size':
      '페이지의 업로드 설정이 이 파일에 맞지 않아(파트 크기) 다시 시도해도 소용없습니다. 사이트 운영자에게 알려 주세요.',
    'store-unavailable': "지금은 저장소가 바쁩니다. 잠시 기다린 다음 '다시 시도'를 누르세요.",
    'no-such-upload':
      "서버가 이 업로드를 더 이상 알지 못합니다. '다시 시도'를 눌러 처음부터 다시 시작하세요.",
    'bad-digest': "전송 중에 일부 데이터가 손상되었습니다. '다시 시도'를 눌러 다시 보내세요.",
    'url-expired': "업로드 링크가 만료되었습니다. '다시 시도'를 눌러 계속하세요.",
  },
  errorOther: "문제가 발생했습니다({message}). '다시 시도'를 눌러 다시 시도하세요.",
  announceAdded: '{name}이(가) 추가되었습니다.',
  announcePhase: '{name}: {phase}.',
  announceDone: '{name}이(가) 업로드되었습니다.',
  callbackFailed:
    '{name}은(는) 저장되었지만 아직 애플리케이션에 알리지 못했습니다: {reason}. 서버가 알아서 다시 시도하므로 다시 업로드할 필요는 없습니다.',
  callbackReasons: {
    unreachable: '해당 서버에 연결할 수 없습니다',
    timeout: '해당 서버가 제시간에 응답하지 않았습니다',
    'http-status': '해당 서버가 오류로 응답했습니다',
    'not-json': '해당 서버의 응답을 읽을 수 없습니다',
    'too-large': '해당 서버의 응답이 너무 깁니다',
    redirect: '해당 서버가 리디렉션으로 응답했으며, 리디렉션은 따라가지 않습니다',
    'refused-address': '해당 주소는 허용되지 않습니다',
    'unknown-target': '서버에 더 이상 이 콜백이 설정되어 있지 않습니다',
  },
  announceFailed: '{name} 실패: {message}',
  announceRejected: '{name}이(가) 추가되지 않았습니다: {reason}',
  validityUploading: '업로드가 끝날 때까지 기다려 주세요.',
} satisfies UploadStrings;
