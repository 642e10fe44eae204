import type { UploadStrings } from '../strings.ts';

/** German (de). */
export default {
  dropZone: 'Dateien hierher ziehen oder auswählen',
  dropZoneActive: 'Zum Hochladen loslassen',
  dropZoneHint: 'Eine Datei auf einmal.',
  dropZoneHintMultiple:
    'Beliebig viele Dateien. Uploads werden nach dem Neuladen der Seite fortgesetzt.',
  chooseFolder: 'Ordner auswählen',
  empty: 'Noch keine Uploads.',
  listLabel: 'Uploads',
  phases: {
    waiting: 'Wartet',
    hashing: 'Datei wird geprüft',
    uploading: 'Wird hochgeladen',
    paused: 'Pausiert',
    completing: 'Wird abgeschlossen',
    done: 'Fertig',
    failed: 'Fehlgeschlagen',
    aborted: 'Abgebrochen',
  },
  pause: 'Pausieren',
  resume: 'Fortsetzen',
  cancel: 'Abbrechen',
  retry: 'Wiederholen',
  remove: 'Entfernen',
  start: 'Starten',
  pauseAll: 'Alle pausieren',
  resumeAll: 'Alle fortsetzen',
  cancelAll: 'Alle abbrechen',
  retryAll: 'Alle wiederholen',
  startAll: 'Alle starten',
  clearFinished: 'Fertige entfernen',
  pauseFile: '{name} pausieren',
  resumeFile: '{name} fortsetzen',
  cancelFile: '{name} abbrechen',
  retryFile: '{name} erneut hochladen',
  removeFile: '{name} aus der Liste entfernen',
  startFile: '{name} starten',
  progressText: '{percent} ({done} von {total})',
  speed: '{speed}',
  eta: 'noch {eta}',
  resumedBadge: 'fortgesetzt',
  pendingHeading: {
    one: '{count} unvollständiger Upload',
    other: '{count} unvollständige Uploads',
  },
  pendingIntro:
    'Diese Uploads wurden vor dem Ende unterbrochen. Setzen Sie sie dort fort, wo sie aufgehört haben.',
  pendingProgress: '{done} von {total} bereits hochgeladen',
  resumePending: 'Fortsetzen',
  resumePendingFile: '{name} fortsetzen',
  choosePendingFile: 'Dieselbe Datei wählen, um fortzufahren',
  choosePendingFileLabel: '{name} erneut wählen, um den Upload fortzusetzen',
  notSameFile:
    'das ist nicht die unvollständige Datei. Wählen Sie {name} ({size}), um den Upload fortzusetzen.',
  discardPending: 'Verwerfen',
  discardPendingFile: 'Unvollständigen Upload von {name} verwerfen',
  resumeUnavailable:
    'Dieser Browser kann den Fortschritt nicht speichern ({reason}). Uploads funktionieren, lassen sich aber nach dem Schließen der Seite nicht fortsetzen.',
  rejectedHeading: 'Nicht hinzugefügt',
  rejected: '{name} wurde nicht hinzugefügt: {reason}',
  rejectTooLarge: 'die Datei ist größer als das Limit von {max}. Wählen Sie eine kleinere Datei.',
  rejectType: 'dieser Dateityp wird hier nicht angenommen (erlaubt: {accept}).',
  rejectDuplicate: 'sie ist bereits in der Liste.',
  rejectOther: '{message}',
  rejectTooSmall: 'die Datei ist kleiner als das Minimum von {min}. Wählen Sie eine größere Datei.',
  rejectTooMany: {
    one: 'es kann nur eine Datei hinzugefügt werden. Entfernen Sie die Datei in der Liste, um eine andere hinzuzufügen.',
    other:
      'es können nur {count} Dateien hinzugefügt werden. Entfernen Sie eine aus der Liste, um eine weitere hinzuzufügen.',
  },
  rejectTotalTooLarge:
    'damit wären die Dateien in der Liste zusammen größer als {max}. Entfernen Sie zuerst einige Dateien.',
  dismiss: 'Schließen',
  dismissRejected: 'Meldung zu {name} schließen',
  errorIntro: '{name} konnte nicht hochgeladen werden.',
  errors: {
    network:
      'Die Verbindung zum Server ist abgebrochen. Prüfen Sie Ihre Verbindung und klicken Sie dann auf „Wiederholen“: Bereits gesendete Teile bleiben erhalten.',
    'retries-exhausted':
      'Der Server hat die Datei auch nach mehreren Versuchen nicht angenommen. Klicken Sie auf „Wiederholen“, um es erneut zu versuchen; bereits gesendete Teile bleiben erhalten.',
    'file-changed':
      'Die Datei wurde auf Ihrem Gerät geändert, seit der Upload begonnen hat. Entfernen Sie sie und wählen Sie die Datei erneut.',
    'file-unreadable':
      'Die Datei kann nicht mehr gelesen werden (vielleicht wurde sie verschoben oder gelöscht). Wählen Sie sie erneut.',
    'etag-mismatch':
      'Der Speicher hat eine andere Prüfsumme als erwartet zurückgegeben. Klicken Sie auf „Wiederholen“, um die betroffenen Teile erneut zu senden.',
    'worker-failed':
      'Der Browser konnte die Datei nicht prüfen. Laden Sie die Seite neu und versuchen Sie es noch einmal.',
    'upload-gone':
      'Der Server kennt diesen Upload nicht mehr (vielleicht ist er abgelaufen). Klicken Sie auf „Wiederholen“, um ihn neu zu starten.',
    'busy-in-other-tab':
      'Diese Datei wird gerade in einem anderen Tab oder Fenster hochgeladen. Schließen Sie ihn und klicken Sie dann auf „Wiederholen“.',
    unauthorized:
      'Sie sind nicht angemeldet. Melden Sie sich an und klicken Sie dann auf „Wiederholen“.',
    forbidden: 'Sie dürfen hier nichts hochladen.',
    'invalid-token':
      'Die Upload-Berechtigung ist abgelaufen. Klicken Sie auf „Wiederholen“, um fortzufahren.',
    'file-too-large':
      'Die Datei ist größer, als der Server erlaubt. Wählen Sie eine kleinere Datei.',
    'file-too-small':
      'Die Datei ist kleiner, als der Server erlaubt. Wählen Sie eine größere Datei.',
    'invalid-relative-path':
      'Der Ordnerpfad dieser Datei ist für den Server zu lang oder zu tief verschachtelt. Verschieben Sie die Datei an einen kürzeren Pfad und wählen Sie sie dann erneut.',
    'content-type-not-allowed':
      'Der Server nimmt diesen Dateityp nicht an. Wählen Sie eine Datei eines anderen Typs.',
    'invalid-file-name':
      'Der Server kann keine Datei unter diesem Namen speichern. Benennen Sie die Datei um und wählen Sie sie erneut.',
    'unknown-callback-target':
      'Die Upload-Einstellungen der Seite sind fehlerhaft (sie nennen einen Callback, den der Server nicht kennt), daher hilft ein neuer Versuch nicht. Wenden Sie sich an den Betreiber der Website.',
    'invalid-callback-variable':
      'Die Upload-Einstellungen der Seite sind fehlerhaft (ein Callback-Wert, den der Server nicht annimmt), daher hilft ein neuer Versuch nicht. Wenden Sie sich an den Betreiber der Website.',
    'invalid-request':
      'Die Upload-Einstellungen der Seite sind fehlerhaft (der Server hat die Anfrage abgelehnt), daher hilft ein neuer Versuch nicht. Wenden Sie sich an den Betreiber der Website.',
    'invalid-json':
      'Die Upload-Einstellungen der Seite sind fehlerhaft (der Server konnte die Anfrage nicht lesen), daher hilft ein neuer Versuch nicht. Wenden Sie sich an den Betreiber der Website.',
    'payload-too-large':
      'Die Upload-Einstellungen der Seite sind fehlerhaft (die Angaben zur Datei sind für den Server zu lang), daher hilft ein neuer Versuch nicht. Wenden Sie sich an den Betreiber der Website.',
    'invalid-part-size':
      'Die Upload-Einstellungen der Seite passen nicht zu dieser Datei (ihre Teilgröße), daher hilft ein neuer Versuch nicht. Wenden Sie sich an den Betreiber der Website.',
    'store-unavailable':
      'Der Speicher ist gerade ausgelastet. Warten Sie einen Moment und klicken Sie dann auf „Wiederholen“.',
    'no-such-upload':
      'Der Server kennt diesen Upload nicht mehr. Klicken Sie auf „Wiederholen“, um ihn neu zu starten.',
    'bad-digest':
      'Einige Daten wurden unterwegs beschädigt. Klicken Sie auf „Wiederholen“, um sie erneut zu senden.',
    'url-expired':
      'Ein Upload-Link ist abgelaufen. Klicken Sie auf „Wiederholen“, um fortzufahren.',
  },
  errorOther:
    'Etwas ist schiefgegangen ({message}). Klicken Sie auf „Wiederholen“, um es erneut zu versuchen.',
  announceAdded: '{name} hinzugefügt.',
  announcePhase: '{name}: {phase}.',
  announceDone: '{name} hochgeladen.',
  callbackFailed:
    '{name} ist gespeichert, aber die Anwendung konnte noch nicht benachrichtigt werden: {reason}. Der Server versucht es selbst erneut; Sie müssen die Datei nicht noch einmal hochladen.',
  callbackReasons: {
    unreachable: 'ihr Server war nicht erreichbar',
    timeout: 'ihr Server hat nicht rechtzeitig geantwortet',
    'http-status': 'ihr Server hat mit einem Fehler geantwortet',
    'not-json': 'die Antwort ihres Servers war nicht lesbar',
    'too-large': 'die Antwort ihres Servers war zu lang',
    redirect: 'ihr Server hat mit einer Weiterleitung geantwortet, der nicht gefolgt wird',
    'refused-address': 'ihre Adresse ist nicht erlaubt',
    'unknown-target': 'der Callback ist auf dem Server nicht mehr eingerichtet',
  },
  announceFailed: '{name} fehlgeschlagen: {message}',
  announceRejected: '{name} wurde nicht hinzugefügt: {reason}',
  validityUploading: 'Bitte warten Sie, bis der Upload abgeschlossen ist.',
} satisfies UploadStrings;
