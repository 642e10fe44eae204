import type { UploadStrings } from '../strings.ts';

/** Brazilian Portuguese (pt-BR, also every other pt). */
export default {
  dropZone: 'Solte os arquivos aqui ou escolha arquivos',
  dropZoneActive: 'Solte para enviar',
  dropZoneHint: 'Um arquivo por vez.',
  dropZoneHintMultiple:
    'Quantos arquivos quiser. Os envios continuam depois que a página é recarregada.',
  chooseFolder: 'Escolher uma pasta',
  empty: 'Nenhum envio ainda.',
  listLabel: 'Envios',
  phases: {
    waiting: 'Aguardando',
    hashing: 'Verificando o arquivo',
    uploading: 'Enviando',
    paused: 'Pausado',
    completing: 'Finalizando',
    done: 'Concluído',
    failed: 'Falhou',
    aborted: 'Cancelado',
  },
  pause: 'Pausar',
  resume: 'Retomar',
  cancel: 'Cancelar',
  retry: 'Tentar de novo',
  remove: 'Remover',
  start: 'Iniciar',
  pauseAll: 'Pausar tudo',
  resumeAll: 'Retomar tudo',
  cancelAll: 'Cancelar tudo',
  retryAll: 'Tentar tudo de novo',
  startAll: 'Iniciar tudo',
  clearFinished: 'Limpar concluídos',
  pauseFile: 'Pausar {name}',
  resumeFile: 'Retomar {name}',
  cancelFile: 'Cancelar {name}',
  retryFile: 'Tentar enviar {name} de novo',
  removeFile: 'Remover {name} da lista',
  startFile: 'Iniciar {name}',
  progressText: '{percent} ({done} de {total})',
  speed: '{speed}',
  eta: 'faltam {eta}',
  resumedBadge: 'retomado',
  pendingHeading: {
    one: '{count} envio não concluído',
    many: '{count} de envios não concluídos',
    other: '{count} envios não concluídos',
  },
  pendingIntro: 'Estes envios pararam antes de terminar. Retome-os de onde pararam.',
  pendingProgress: '{done} de {total} já enviados',
  resumePending: 'Retomar',
  resumePendingFile: 'Retomar {name}',
  choosePendingFile: 'Escolha o mesmo arquivo para retomar',
  choosePendingFileLabel: 'Escolha {name} de novo para retomar o envio',
  notSameFile: 'este não é o arquivo não concluído. Escolha {name} ({size}) para retomar o envio.',
  discardPending: 'Descartar',
  discardPendingFile: 'Descartar o envio não concluído de {name}',
  resumeUnavailable:
    'Este navegador não consegue salvar o progresso dos envios ({reason}). Os envios funcionam, mas não podem ser retomados depois que a página for fechada.',
  rejectedHeading: 'Não adicionados',
  rejected: '{name} não foi adicionado: {reason}',
  rejectTooLarge: 'ele é maior que o limite de {max}. Escolha um arquivo menor.',
  rejectType: 'este tipo de arquivo não é aceito aqui (aceitos: {accept}).',
  rejectDuplicate: 'ele já está na lista.',
  rejectOther: '{message}',
  rejectTooSmall: 'ele é menor que o mínimo de {min}. Escolha um arquivo maior.',
  rejectTooMany: {
    one: 'só é possível adicionar um arquivo. Remova o que está na lista para adicionar outro.',
    many: 'só é possível adicionar {count} arquivos. Remova um da lista para adicionar outro.',
    other: 'só é possível adicionar {count} arquivos. Remova um da lista para adicionar outro.',
  },
  rejectTotalTooLarge:
    'com ele, os arquivos da lista passariam do total de {max}. Remova alguns arquivos primeiro.',
  dismiss: 'Fechar',
  dismissRejected: 'Fechar a mensagem sobre {name}',
  errorIntro: 'Não foi possível enviar {name}.',
  errors: {
    network:
      'A conexão com o servidor caiu. Verifique sua conexão e clique em Tentar de novo: as partes já enviadas são mantidas.',
    'retries-exhausted':
      'O servidor não aceitou o arquivo depois de várias tentativas. Clique em Tentar de novo; as partes já enviadas são mantidas.',
    'file-changed':
      'O arquivo mudou no seu dispositivo depois que o envio começou. Remova-o e escolha o arquivo de novo.',
    'file-unreadable':
      'O arquivo não pode mais ser lido (talvez tenha sido movido ou excluído). Escolha-o de novo.',
    'etag-mismatch':
      'O armazenamento devolveu uma soma de verificação diferente da esperada. Clique em Tentar de novo para reenviar as partes afetadas.',
    'worker-failed':
      'O navegador não conseguiu verificar o arquivo. Recarregue a página e tente de novo.',
    'upload-gone':
      'O servidor não reconhece mais este envio (talvez tenha expirado). Clique em Tentar de novo para recomeçá-lo.',
    'busy-in-other-tab':
      'Este arquivo está sendo enviado em outra aba ou janela. Feche-a e clique em Tentar de novo.',
    unauthorized: 'Você não está conectado. Entre na sua conta e clique em Tentar de novo.',
    forbidden: 'Você não tem permissão para enviar arquivos aqui.',
    'invalid-token': 'A permissão de envio expirou. Clique em Tentar de novo para continuar.',
    'file-too-large': 'O arquivo é maior do que o servidor permite. Escolha um arquivo menor.',
    'file-too-small': 'O arquivo é menor do que o servidor permite. Escolha um arquivo maior.',
    'invalid-relative-path':
      'O caminho da pasta deste arquivo é longo ou profundo demais para o servidor. Mova o arquivo para um caminho mais curto e escolha-o de novo.',
    'content-type-not-allowed':
      'O servidor não aceita este tipo de arquivo. Escolha um arquivo de outro tipo.',
    'invalid-file-name':
      'O servidor não pode salvar um arquivo com este nome. Renomeie o arquivo e escolha-o de novo.',
    'unknown-callback-target':
      'As configurações de envio da página estão erradas (elas citam um callback que o servidor não conhece), então tentar de novo não vai adiantar. Avise o responsável pelo site.',
    'invalid-callback-variable':
      'As configurações de envio da página estão erradas (um valor de callback que o servidor não aceita), então tentar de novo não vai adiantar. Avise o responsável pelo site.',
    'invalid-request':
      'As configurações de envio da página estão erradas (o servidor recusou a solicitação), então tentar de novo não vai adiantar. Avise o responsável pelo site.',
    'invalid-json':
      'As configurações de envio da página estão erradas (o servidor não conseguiu ler a solicitação), então tentar de novo não vai adiantar. Avise o responsável pelo site.',
    'payload-too-large':
      'As configurações de envio da página estão erradas (os dados do arquivo são longos demais para o servidor), então tentar de novo não vai adiantar. Avise o responsável pelo site.',
    'invalid-part-size':
      'As configurações de envio da página não servem para este arquivo (o tamanho das partes), então tentar de novo não vai adiantar. Avise o responsável pelo site.',
    'store-unavailable':
      'O armazenamento está ocupado agora. Aguarde um pouco e clique em Tentar de novo.',
    'no-such-upload':
      'O servidor não reconhece mais este envio. Clique em Tentar de novo para recomeçá-lo.',
    'bad-digest':
      'Alguns dados foram corrompidos no caminho. Clique em Tentar de novo para reenviá-los.',
    'url-expired': 'Um link de envio expirou. Clique em Tentar de novo para continuar.',
  },
  errorOther: 'Algo deu errado ({message}). Clique em Tentar de novo.',
  announceAdded: '{name} adicionado.',
  announcePhase: '{name}: {phase}.',
  announceDone: '{name} enviado.',
  callbackFailed:
    '{name} está armazenado, mas a aplicação ainda não pôde ser avisada: {reason}. O servidor tenta de novo por conta própria; não é preciso enviar outra vez.',
  callbackReasons: {
    unreachable: 'o servidor dela estava inacessível',
    timeout: 'o servidor dela não respondeu a tempo',
    'http-status': 'o servidor dela respondeu com um erro',
    'not-json': 'a resposta do servidor dela não pôde ser lida',
    'too-large': 'a resposta do servidor dela era longa demais',
    redirect: 'o servidor dela respondeu com um redirecionamento, que não é seguido',
    'refused-address': 'o endereço dela não é permitido',
    'unknown-target': 'o callback não está mais configurado no servidor',
  },
  announceFailed: 'Falha ao enviar {name}: {message}',
  announceRejected: '{name} não foi adicionado: {reason}',
  validityUploading: 'Aguarde até o envio terminar.',
} satisfies UploadStrings;
