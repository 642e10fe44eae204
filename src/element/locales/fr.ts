import type { UploadStrings } from '../strings.ts';

// French typography: a no-break space (U+00A0) before « : » and « ; ».
/** French (fr). */
export default {
  dropZone: 'Déposez des fichiers ici ou choisissez-en',
  dropZoneActive: 'Relâchez pour envoyer',
  dropZoneHint: 'Un fichier à la fois.',
  dropZoneHintMultiple:
    'Autant de fichiers que vous voulez. Les envois reprennent après un rechargement de la page.',
  chooseFolder: 'Choisir un dossier',
  empty: 'Aucun envoi pour l’instant.',
  listLabel: 'Envois',
  phases: {
    waiting: 'En attente',
    hashing: 'Vérification du fichier',
    uploading: 'Envoi en cours',
    paused: 'En pause',
    completing: 'Finalisation',
    done: 'Terminé',
    failed: 'Échec',
    aborted: 'Annulé',
  },
  pause: 'Pause',
  resume: 'Reprendre',
  cancel: 'Annuler',
  retry: 'Réessayer',
  remove: 'Retirer',
  start: 'Démarrer',
  pauseAll: 'Tout mettre en pause',
  resumeAll: 'Tout reprendre',
  cancelAll: 'Tout annuler',
  retryAll: 'Tout réessayer',
  startAll: 'Tout démarrer',
  clearFinished: 'Effacer les terminés',
  pauseFile: 'Mettre {name} en pause',
  resumeFile: 'Reprendre {name}',
  cancelFile: 'Annuler {name}',
  retryFile: 'Réessayer {name}',
  removeFile: 'Retirer {name} de la liste',
  startFile: 'Démarrer {name}',
  progressText: '{percent} ({done} sur {total})',
  speed: '{speed}',
  eta: 'il reste {eta}',
  resumedBadge: 'repris',
  pendingHeading: {
    one: '{count} envoi inachevé',
    many: '{count} d’envois inachevés',
    other: '{count} envois inachevés',
  },
  pendingIntro:
    'Ces envois se sont interrompus avant la fin. Reprenez-les là où ils se sont arrêtés.',
  pendingProgress: '{done} sur {total} déjà envoyés',
  resumePending: 'Reprendre',
  resumePendingFile: 'Reprendre {name}',
  choosePendingFile: 'Choisir le même fichier pour reprendre',
  choosePendingFileLabel: 'Choisissez de nouveau {name} pour reprendre l’envoi',
  notSameFile:
    'ce n’est pas le fichier inachevé. Choisissez {name} ({size}) pour reprendre l’envoi.',
  discardPending: 'Abandonner',
  discardPendingFile: 'Abandonner l’envoi inachevé de {name}',
  resumeUnavailable:
    'Ce navigateur ne peut pas enregistrer la progression des envois ({reason}). Les envois fonctionnent, mais ne pourront pas reprendre après la fermeture de la page.',
  rejectedHeading: 'Non ajoutés',
  rejected: '{name} n’a pas été ajouté : {reason}',
  rejectTooLarge: 'il dépasse la limite de {max}. Choisissez un fichier plus petit.',
  rejectType: 'ce type de fichier n’est pas accepté ici (acceptés : {accept}).',
  rejectDuplicate: 'il est déjà dans la liste.',
  rejectOther: '{message}',
  rejectTooSmall: 'il est plus petit que le minimum de {min}. Choisissez un fichier plus grand.',
  rejectTooMany: {
    one: 'un seul fichier peut être ajouté. Retirez celui de la liste pour en ajouter un autre.',
    many: 'seuls {count} fichiers peuvent être ajoutés. Retirez-en un de la liste pour en ajouter un autre.',
    other:
      'seuls {count} fichiers peuvent être ajoutés. Retirez-en un de la liste pour en ajouter un autre.',
  },
  rejectTotalTooLarge:
    'avec lui, les fichiers de la liste dépasseraient le total de {max}. Retirez d’abord quelques fichiers.',
  dismiss: 'Fermer',
  dismissRejected: 'Fermer le message concernant {name}',
  errorIntro: '{name} n’a pas pu être envoyé.',
  errors: {
    network:
      'La connexion au serveur a été perdue. Vérifiez votre connexion, puis cliquez sur Réessayer : les parties déjà envoyées sont conservées.',
    'retries-exhausted':
      'Le serveur n’a pas accepté le fichier après plusieurs tentatives. Cliquez sur Réessayer pour recommencer ; les parties déjà envoyées sont conservées.',
    'file-changed':
      'Le fichier a été modifié sur votre appareil depuis le début de l’envoi. Retirez-le, puis choisissez de nouveau le fichier.',
    'file-unreadable':
      'Le fichier ne peut plus être lu (il a peut-être été déplacé ou supprimé). Choisissez-le de nouveau.',
    'etag-mismatch':
      'Le stockage a renvoyé une somme de contrôle inattendue. Cliquez sur Réessayer pour renvoyer les parties concernées.',
    'worker-failed':
      'Le navigateur n’a pas pu vérifier le fichier. Rechargez la page et réessayez.',
    'upload-gone':
      'Le serveur ne connaît plus cet envoi (il a peut-être expiré). Cliquez sur Réessayer pour le relancer.',
    'busy-in-other-tab':
      'Ce fichier est en cours d’envoi dans un autre onglet ou une autre fenêtre. Fermez-les, puis cliquez sur Réessayer.',
    unauthorized: 'Vous n’êtes pas connecté. Connectez-vous, puis cliquez sur Réessayer.',
    forbidden: 'Vous n’êtes pas autorisé à envoyer des fichiers ici.',
    'invalid-token': 'L’autorisation d’envoi a expiré. Cliquez sur Réessayer pour continuer.',
    'file-too-large':
      'Le fichier dépasse la taille autorisée par le serveur. Choisissez un fichier plus petit.',
    'file-too-small':
      'Le fichier est plus petit que ce que le serveur accepte. Choisissez un fichier plus grand.',
    'invalid-relative-path':
      'Le chemin du dossier de ce fichier est trop long ou trop profond pour le serveur. Déplacez le fichier vers un chemin plus court, puis choisissez-le à nouveau.',
    'content-type-not-allowed':
      'Le serveur n’accepte pas ce type de fichier. Choisissez un fichier d’un autre type.',
    'invalid-file-name':
      'Le serveur ne peut pas enregistrer un fichier sous ce nom. Renommez le fichier, puis choisissez-le de nouveau.',
    'unknown-callback-target':
      'Les réglages d’envoi de la page sont erronés (ils désignent un rappel que le serveur ne connaît pas) : réessayer n’y changera rien. Prévenez le responsable du site.',
    'invalid-callback-variable':
      'Les réglages d’envoi de la page sont erronés (une valeur de rappel que le serveur refuse) : réessayer n’y changera rien. Prévenez le responsable du site.',
    'invalid-request':
      'Les réglages d’envoi de la page sont erronés (le serveur a refusé la requête) : réessayer n’y changera rien. Prévenez le responsable du site.',
    'invalid-json':
      'Les réglages d’envoi de la page sont erronés (le serveur n’a pas pu lire la requête) : réessayer n’y changera rien. Prévenez le responsable du site.',
    'payload-too-large':
      'Les réglages d’envoi de la page sont erronés (les informations du fichier sont trop longues pour le serveur) : réessayer n’y changera rien. Prévenez le responsable du site.',
    'invalid-part-size':
      'Les réglages d’envoi de la page ne conviennent pas à ce fichier (sa taille de partie) : réessayer n’y changera rien. Prévenez le responsable du site.',
    'store-unavailable':
      'Le stockage est occupé pour le moment. Patientez un instant, puis cliquez sur Réessayer.',
    'no-such-upload':
      'Le serveur ne connaît plus cet envoi. Cliquez sur Réessayer pour le relancer.',
    'bad-digest':
      'Des données ont été endommagées en chemin. Cliquez sur Réessayer pour les renvoyer.',
    'url-expired': 'Un lien d’envoi a expiré. Cliquez sur Réessayer pour continuer.',
  },
  errorOther: 'Une erreur s’est produite ({message}). Cliquez sur Réessayer pour recommencer.',
  announceAdded: '{name} ajouté.',
  announcePhase: '{name} : {phase}.',
  announceDone: '{name} envoyé.',
  callbackFailed:
    '{name} est enregistré, mais l’application n’a pas encore pu être prévenue : {reason}. Le serveur réessaie de lui-même ; inutile de l’envoyer de nouveau.',
  callbackReasons: {
    unreachable: 'son serveur était injoignable',
    timeout: 'son serveur n’a pas répondu à temps',
    'http-status': 'son serveur a répondu par une erreur',
    'not-json': 'la réponse de son serveur était illisible',
    'too-large': 'la réponse de son serveur était trop longue',
    redirect: 'son serveur a répondu par une redirection, qui n’est pas suivie',
    'refused-address': 'son adresse n’est pas autorisée',
    'unknown-target': 'le rappel n’est plus configuré sur le serveur',
  },
  announceFailed: 'Échec de l’envoi de {name} : {message}',
  announceRejected: '{name} n’a pas été ajouté : {reason}',
  validityUploading: 'Veuillez attendre la fin de l’envoi.',
} satisfies UploadStrings;
