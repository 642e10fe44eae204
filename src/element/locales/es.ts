import type { UploadStrings } from '../strings.ts';

/** Spanish (es). */
export default {
  dropZone: 'Suelta archivos aquí o elígelos',
  dropZoneActive: 'Suelta para subir',
  dropZoneHint: 'Un archivo cada vez.',
  dropZoneHintMultiple:
    'Tantos archivos como quieras. Las subidas se reanudan al volver a cargar la página.',
  chooseFolder: 'Elegir una carpeta',
  empty: 'Todavía no hay subidas.',
  listLabel: 'Subidas',
  phases: {
    waiting: 'En espera',
    hashing: 'Comprobando el archivo',
    uploading: 'Subiendo',
    paused: 'En pausa',
    completing: 'Finalizando',
    done: 'Completado',
    failed: 'Error',
    aborted: 'Cancelado',
  },
  pause: 'Pausar',
  resume: 'Reanudar',
  cancel: 'Cancelar',
  retry: 'Reintentar',
  remove: 'Quitar',
  start: 'Iniciar',
  pauseAll: 'Pausar todo',
  resumeAll: 'Reanudar todo',
  cancelAll: 'Cancelar todo',
  retryAll: 'Reintentar todo',
  startAll: 'Iniciar todo',
  clearFinished: 'Quitar los terminados',
  pauseFile: 'Pausar {name}',
  resumeFile: 'Reanudar {name}',
  cancelFile: 'Cancelar {name}',
  retryFile: 'Reintentar {name}',
  removeFile: 'Quitar {name} de la lista',
  startFile: 'Iniciar {name}',
  progressText: '{percent} ({done} de {total})',
  speed: '{speed}',
  eta: 'quedan {eta}',
  resumedBadge: 'reanudada',
  pendingHeading: {
    one: '{count} subida sin terminar',
    many: '{count} de subidas sin terminar',
    other: '{count} subidas sin terminar',
  },
  pendingIntro:
    'Estas subidas se detuvieron antes de terminar. Reanúdalas desde donde se quedaron.',
  pendingProgress: '{done} de {total} ya subidos',
  resumePending: 'Reanudar',
  resumePendingFile: 'Reanudar {name}',
  choosePendingFile: 'Elige el mismo archivo para reanudar',
  choosePendingFileLabel: 'Elige de nuevo {name} para reanudar la subida',
  notSameFile: 'no es el archivo sin terminar. Elige {name} ({size}) para reanudar la subida.',
  discardPending: 'Descartar',
  discardPendingFile: 'Descartar la subida sin terminar de {name}',
  resumeUnavailable:
    'Este navegador no puede guardar el progreso de las subidas ({reason}). Las subidas funcionan, pero no se pueden reanudar después de cerrar la página.',
  rejectedHeading: 'No añadidos',
  rejected: '{name} no se ha añadido: {reason}',
  rejectTooLarge: 'supera el límite de {max}. Elige un archivo más pequeño.',
  rejectType: 'aquí no se acepta este tipo de archivo (se aceptan: {accept}).',
  rejectDuplicate: 'ya está en la lista.',
  rejectOther: '{message}',
  rejectTooSmall: 'es más pequeño que el mínimo de {min}. Elige un archivo más grande.',
  rejectTooMany: {
    one: 'solo se puede añadir un archivo. Quita el de la lista para añadir otro.',
    many: 'solo se pueden añadir {count} archivos. Quita uno de la lista para añadir otro.',
    other: 'solo se pueden añadir {count} archivos. Quita uno de la lista para añadir otro.',
  },
  rejectTotalTooLarge:
    'con él, los archivos de la lista superarían el total de {max}. Quita antes algunos archivos.',
  dismiss: 'Cerrar',
  dismissRejected: 'Cerrar el mensaje sobre {name}',
  errorIntro: 'No se ha podido subir {name}.',
  errors: {
    network:
      'Se perdió la conexión con el servidor. Comprueba tu conexión y pulsa Reintentar: las partes ya enviadas se conservan.',
    'retries-exhausted':
      'El servidor no aceptó el archivo tras varios intentos. Pulsa Reintentar para volver a intentarlo; las partes ya enviadas se conservan.',
    'file-changed':
      'El archivo cambió en tu dispositivo después de empezar la subida. Quítalo y vuelve a elegir el archivo.',
    'file-unreadable':
      'Ya no se puede leer el archivo (puede que se haya movido o eliminado). Vuelve a elegirlo.',
    'etag-mismatch':
      'El almacenamiento devolvió una suma de comprobación distinta de la esperada. Pulsa Reintentar para volver a enviar las partes afectadas.',
    'worker-failed':
      'El navegador no pudo comprobar el archivo. Vuelve a cargar la página e inténtalo de nuevo.',
    'upload-gone':
      'El servidor ya no reconoce esta subida (puede que haya caducado). Pulsa Reintentar para empezarla de nuevo.',
    'busy-in-other-tab':
      'Este archivo se está subiendo en otra pestaña o ventana. Ciérrala y pulsa Reintentar.',
    unauthorized: 'No has iniciado sesión. Inicia sesión y pulsa Reintentar.',
    forbidden: 'No tienes permiso para subir archivos aquí.',
    'invalid-token': 'El permiso de subida ha caducado. Pulsa Reintentar para continuar.',
    'file-too-large':
      'El archivo es más grande de lo que permite el servidor. Elige un archivo más pequeño.',
    'file-too-small':
      'El archivo es más pequeño de lo que permite el servidor. Elige un archivo más grande.',
    'invalid-relative-path':
      'La ruta de carpeta de este archivo es demasiado larga o profunda para el servidor. Mueve el archivo a una ruta más corta y vuelve a elegirlo.',
    'content-type-not-allowed':
      'El servidor no acepta este tipo de archivo. Elige un archivo de otro tipo.',
    'invalid-file-name':
      'El servidor no puede guardar un archivo con este nombre. Cambia el nombre del archivo y vuelve a elegirlo.',
    'unknown-callback-target':
      'La configuración de subida de la página es incorrecta (indica una devolución de llamada que el servidor no conoce), así que reintentar no servirá. Avisa al responsable del sitio.',
    'invalid-callback-variable':
      'La configuración de subida de la página es incorrecta (un valor de devolución de llamada que el servidor no acepta), así que reintentar no servirá. Avisa al responsable del sitio.',
    'invalid-request':
      'La configuración de subida de la página es incorrecta (el servidor rechazó la solicitud), así que reintentar no servirá. Avisa al responsable del sitio.',
    'invalid-json':
      'La configuración de subida de la página es incorrecta (el servidor no pudo leer la solicitud), así que reintentar no servirá. Avisa al responsable del sitio.',
    'payload-too-large':
      'La configuración de subida de la página es incorrecta (los datos del archivo son demasiado largos para el servidor), así que reintentar no servirá. Avisa al responsable del sitio.',
    'invalid-part-size':
      'La configuración de subida de la página no sirve para este archivo (su tamaño de parte), así que reintentar no servirá. Avisa al responsable del sitio.',
    'store-unavailable':
      'El almacenamiento está ocupado en este momento. Espera un poco y pulsa Reintentar.',
    'no-such-upload':
      'El servidor ya no reconoce esta subida. Pulsa Reintentar para empezarla de nuevo.',
    'bad-digest':
      'Algunos datos se dañaron por el camino. Pulsa Reintentar para volver a enviarlos.',
    'url-expired': 'Un enlace de subida ha caducado. Pulsa Reintentar para continuar.',
  },
  errorOther: 'Algo ha fallado ({message}). Pulsa Reintentar para volver a intentarlo.',
  announceAdded: '{name} añadido.',
  announcePhase: '{name}: {phase}.',
  announceDone: '{name} subido.',
  callbackFailed:
    '{name} está guardado, pero todavía no se ha podido avisar a la aplicación: {reason}. El servidor lo reintenta por su cuenta; no hace falta volver a subirlo.',
  callbackReasons: {
    unreachable: 'no se pudo contactar con su servidor',
    timeout: 'su servidor no respondió a tiempo',
    'http-status': 'su servidor respondió con un error',
    'not-json': 'no se pudo leer la respuesta de su servidor',
    'too-large': 'la respuesta de su servidor era demasiado larga',
    redirect: 'su servidor respondió con una redirección, que no se sigue',
    'refused-address': 'su dirección no está permitida',
    'unknown-target': 'la devolución de llamada ya no está configurada en el servidor',
  },
  announceFailed: 'Error al subir {name}: {message}',
  announceRejected: '{name} no se ha añadido: {reason}',
  validityUploading: 'Espera a que termine la subida.',
} satisfies UploadStrings;
