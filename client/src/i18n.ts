// Texts of the game in Spanish (the original language, ORIGINAL_GAME.md) and
// English. Every visible string goes through here.

import { createContext, useContext } from 'react';
import { readString, writeString } from './storage';

export type Lang = 'es' | 'en';
export const LANGS: readonly Lang[] = ['es', 'en'];
export const LANG_KEY = 'lightpress.lang';

const es = {
  title: 'LightPress',
  skipToBoard: 'Saltar al tablero',
  navPlay: 'Jugar',
  navLeaderboard: 'Clasificación',
  navProfile: 'Perfil',
  navLabel: 'Secciones',
  language: 'Idioma',
  player: 'Jugador',
  guest: 'Invitado',
  connecting: 'Conectando…',
  offline: 'Sin conexión con el servidor',
  // session and recovery (accounts)
  sessionEndedTitle: 'No pudimos renovar tu sesión',
  sessionEnded: 'Este navegador ya no puede seguir como {nickname}: la sesión caducó o se cerró. Si tienes un código de recuperación, introdúcelo para recuperar tu jugador; si no, empieza como un jugador nuevo.',
  sessionEndedAnon: 'Este navegador ya no puede seguir con tu jugador: la sesión caducó o se cerró. Si tienes un código de recuperación, introdúcelo para recuperar tu jugador; si no, empieza como un jugador nuevo.',
  startFresh: 'Empezar como jugador nuevo',
  registrationLimited: 'Se han creado demasiados jugadores desde tu red. Lo intentaremos de nuevo en {minutes} min.',
  recoveryTitle: 'Tu jugador en otro dispositivo',
  recoveryIntro: 'Con tu código de recuperación sigues con este jugador en otro navegador o dispositivo. Guárdalo en un lugar seguro: quien lo tenga puede jugar como tú.',
  recoveryShow: 'Ver mi código de recuperación',
  recoveryCodeLabel: 'Tu código de recuperación',
  recoveryCopy: 'Copiar',
  recoveryCopied: 'Código copiado.',
  recoveryNew: 'Crear un código nuevo',
  recoveryNewConfirm: 'El código anterior dejará de funcionar. Pulsa otra vez para crear uno nuevo.',
  recoveryMadeElsewhere: 'Creaste un código el {date}, pero no está guardado en este navegador. Crea uno nuevo para verlo (el anterior dejará de funcionar).',
  recoveryLastUsed: 'Último uso: {date}.',
  recoveryEnterTitle: '¿Tienes un código de otro dispositivo?',
  recoveryEnterLabel: 'Código de recuperación',
  recoveryUse: 'Usar el código',
  recoveryReplaces: 'Este navegador dejará a {nickname} y seguirá con el jugador del código.',
  recoveryWelcome: '¡Hola de nuevo, {nickname}!',
  recoveryInvalid: 'Ese código no tiene el formato de un código de recuperación: 16 letras y números.',
  recoveryUnavailable: 'No se puede crear el código ahora mismo.',
  score: 'Puntuación',
  modeTitle: 'Modo de juego',
  classic: 'Clásico',
  memory: 'Memoria',
  start: 'Iniciar',
  restart: 'Reiniciar',
  startLabel: 'Iniciar una partida',
  restartLabel: 'Reiniciar: termina la partida en curso',
  level: 'Nivel',
  lives: 'Vidas',
  livesLabel: '{n} de {max} vidas',
  combo: 'Combo',
  sequence: 'Secuencia',
  tipsTitle: 'Transmisión Serverless',
  statusTitle: 'Estado',
  timeLeft: 'Tiempo restante',
  sequenceProgress: 'Progreso de la secuencia',
  board: 'Tablero',
  buttonLabel: 'Botón {n}, tecla {key}',
  buttonLit: 'encendido',
  keysHint: 'Teclas: 0-9 y - para el botón 10.',
  // status messages (original texts)
  msgIdle: 'Selecciona un modo y presiona iniciar.',
  msgModeClassic: 'Modo clásico seleccionado.',
  msgModeMemory: 'Modo memoria seleccionado.',
  msgClassicRound: '¡Presiona el botón encendido!',
  msgClassicHit: 'Correcto +{points} puntos.',
  msgClassicMiss: 'Botón incorrecto. Pierdes una vida.',
  msgClassicTimeout: 'Se terminó el tiempo. Pierdes una vida.',
  msgOverMiss: 'Te quedaste sin vidas. Juego terminado.',
  msgOverTimeout: 'Se terminó el tiempo y no quedan vidas.',
  msgMemoryWatch: 'Observa la secuencia...',
  msgMemoryInput: 'Ahora repite la secuencia.',
  msgMemoryStep: 'Bien. Siguiente paso {k}/{n}.',
  msgMemoryComplete: 'Secuencia completada +{points} puntos. Nivel {level}.',
  msgMemoryMiss: 'Botón incorrecto. Se repetirá la secuencia.',
  msgMemoryOver: 'Fallaste la secuencia y te quedaste sin vidas.',
  msgQuit: 'Partida terminada.',
  msgStarting: 'Preparando la partida…',
  // results
  practice: 'Sin conexión con el servidor: partida de práctica, no se guardará.',
  resultSending: 'Enviando el resultado…',
  resultAccepted: 'Resultado aceptado por el servidor: {score} puntos (nivel {level}).',
  resultRejected: 'El servidor rechazó la partida: {reason}',
  resultPending: 'No se pudo enviar el resultado. Se guardó en este navegador y se reintentará automáticamente.',
  resultFailed: 'El servidor no aceptó el resultado: {reason}',
  resultDiffers: 'Tu navegador calculó {local} puntos.',
  pendingCount: '{n} resultado(s) pendiente(s) de envío; se reintentará automáticamente.',
  retryNow: 'Reintentar ahora',
  // leaderboard
  leaderboardTitle: 'Clasificación',
  periodAll: 'Histórico',
  periodDay: 'Hoy',
  periodWeek: 'Semana',
  modeTabs: 'Modo',
  periodTabs: 'Periodo',
  rank: 'Puesto',
  nickname: 'Nombre',
  lbLevel: 'Nivel',
  refresh: 'Actualizar',
  loading: 'Cargando…',
  lbEmpty: 'Todavía no hay puntuaciones.',
  lbUnavailable: 'La clasificación no está disponible por ahora.',
  yourRank: 'Tu posición',
  noRankYet: 'Aún no tienes puntuación en esta tabla.',
  you: 'tú',
  // profile
  profileTitle: 'Perfil',
  editNickname: 'Cambiar nombre',
  nicknameLabel: 'Nombre de jugador (1 a 24 caracteres)',
  save: 'Guardar',
  cancel: 'Cancelar',
  nicknameSaved: 'Nombre guardado.',
  nicknameInvalid: 'El nombre debe tener entre 1 y 24 caracteres.',
  stats: 'Estadísticas',
  gamesPlayed: 'Partidas jugadas',
  bestClassic: 'Mejor clásico',
  bestMemory: 'Mejor memoria',
  lastPlayed: 'Última partida',
  never: 'nunca',
  statsUnavailable: 'Las estadísticas no están disponibles por ahora.',
  achievements: 'Logros',
  achievementsUnavailable: 'Los logros no están disponibles por ahora.',
  unlocked: 'Desbloqueado',
  locked: 'Bloqueado',
  achievementUnlocked: '¡Logro desbloqueado!',
  close: 'Cerrar',
  noPlayer: 'No hay sesión de jugador: el servidor no responde.',
};

export type MessageKey = keyof typeof es;

const en: Record<MessageKey, string> = {
  title: 'LightPress',
  skipToBoard: 'Skip to the board',
  navPlay: 'Play',
  navLeaderboard: 'Leaderboard',
  navProfile: 'Profile',
  navLabel: 'Sections',
  language: 'Language',
  player: 'Player',
  guest: 'Guest',
  connecting: 'Connecting…',
  offline: 'No connection to the server',
  sessionEndedTitle: 'We could not renew your session',
  sessionEnded: 'This browser can no longer go on as {nickname}: the session expired or was closed. If you have a recovery code, enter it to get your player back; if not, start as a new player.',
  sessionEndedAnon: 'This browser can no longer go on with your player: the session expired or was closed. If you have a recovery code, enter it to get your player back; if not, start as a new player.',
  startFresh: 'Start as a new player',
  registrationLimited: 'Too many players were created from your network. We will try again in {minutes} min.',
  recoveryTitle: 'Your player on another device',
  recoveryIntro: 'With your recovery code you go on with this player in another browser or on another device. Keep it somewhere safe: whoever has it can play as you.',
  recoveryShow: 'Show my recovery code',
  recoveryCodeLabel: 'Your recovery code',
  recoveryCopy: 'Copy',
  recoveryCopied: 'Code copied.',
  recoveryNew: 'Make a new code',
  recoveryNewConfirm: 'The old code will stop working. Press again to make a new one.',
  recoveryMadeElsewhere: 'You made a code on {date}, but it is not kept in this browser. Make a new one to see it (the old one will stop working).',
  recoveryLastUsed: 'Last used: {date}.',
  recoveryEnterTitle: 'Have a code from another device?',
  recoveryEnterLabel: 'Recovery code',
  recoveryUse: 'Use the code',
  recoveryReplaces: 'This browser will leave {nickname} and go on with the code\'s player.',
  recoveryWelcome: 'Welcome back, {nickname}!',
  recoveryInvalid: 'That is not shaped like a recovery code: 16 letters and digits.',
  recoveryUnavailable: 'The code cannot be made right now.',
  score: 'Score',
  modeTitle: 'Game mode',
  classic: 'Classic',
  memory: 'Memory',
  start: 'Start',
  restart: 'Restart',
  startLabel: 'Start a game',
  restartLabel: 'Restart: ends the current game',
  level: 'Level',
  lives: 'Lives',
  livesLabel: '{n} of {max} lives',
  combo: 'Combo',
  sequence: 'Sequence',
  tipsTitle: 'Serverless Broadcast',
  statusTitle: 'Status',
  timeLeft: 'Time left',
  sequenceProgress: 'Sequence progress',
  board: 'Board',
  buttonLabel: 'Button {n}, key {key}',
  buttonLit: 'lit',
  keysHint: 'Keys: 0-9, and - for button 10.',
  msgIdle: 'Choose a mode and press start.',
  msgModeClassic: 'Classic mode selected.',
  msgModeMemory: 'Memory mode selected.',
  msgClassicRound: 'Press the lit button!',
  msgClassicHit: 'Correct +{points} points.',
  msgClassicMiss: 'Wrong button. You lose a life.',
  msgClassicTimeout: "Time's up. You lose a life.",
  msgOverMiss: 'You ran out of lives. Game over.',
  msgOverTimeout: "Time's up and no lives are left.",
  msgMemoryWatch: 'Watch the sequence...',
  msgMemoryInput: 'Now repeat the sequence.',
  msgMemoryStep: 'Good. Next step {k}/{n}.',
  msgMemoryComplete: 'Sequence complete +{points} points. Level {level}.',
  msgMemoryMiss: 'Wrong button. The sequence will be shown again.',
  msgMemoryOver: 'You missed the sequence and ran out of lives.',
  msgQuit: 'Game ended.',
  msgStarting: 'Setting up the game…',
  practice: 'No connection to the server: practice game, it will not be saved.',
  resultSending: 'Sending the result…',
  resultAccepted: 'Result accepted by the server: {score} points (level {level}).',
  resultRejected: 'The server rejected the game: {reason}',
  resultPending: 'The result could not be sent. It is kept in this browser and will be sent again automatically.',
  resultFailed: 'The server did not take the result: {reason}',
  resultDiffers: 'Your browser counted {local} points.',
  pendingCount: '{n} result(s) waiting to be sent; retrying automatically.',
  retryNow: 'Retry now',
  leaderboardTitle: 'Leaderboard',
  periodAll: 'All time',
  periodDay: 'Today',
  periodWeek: 'This week',
  modeTabs: 'Mode',
  periodTabs: 'Period',
  rank: 'Rank',
  nickname: 'Name',
  lbLevel: 'Level',
  refresh: 'Refresh',
  loading: 'Loading…',
  lbEmpty: 'No scores yet.',
  lbUnavailable: 'The leaderboard is not available right now.',
  yourRank: 'Your rank',
  noRankYet: 'You have no score on this board yet.',
  you: 'you',
  profileTitle: 'Profile',
  editNickname: 'Change name',
  nicknameLabel: 'Player name (1 to 24 characters)',
  save: 'Save',
  cancel: 'Cancel',
  nicknameSaved: 'Name saved.',
  nicknameInvalid: 'The name must be 1 to 24 characters long.',
  stats: 'Statistics',
  gamesPlayed: 'Games played',
  bestClassic: 'Best classic',
  bestMemory: 'Best memory',
  lastPlayed: 'Last game',
  never: 'never',
  statsUnavailable: 'Statistics are not available right now.',
  achievements: 'Achievements',
  achievementsUnavailable: 'Achievements are not available right now.',
  unlocked: 'Unlocked',
  locked: 'Locked',
  achievementUnlocked: 'Achievement unlocked!',
  close: 'Close',
  noPlayer: 'No player session: the server is not answering.',
};

export const MESSAGES: Record<Lang, Record<MessageKey, string>> = { es, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** format fills {name} placeholders of a message. */
export function format(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function translator(lang: Lang): Translate {
  const table = MESSAGES[lang];
  return (key, params) => format(table[key], params);
}

/** initialLang is the remembered choice, else the browser's language. */
export function initialLang(): Lang {
  const saved = readString(LANG_KEY);
  if (saved === 'es' || saved === 'en') return saved;
  const nav = typeof navigator !== 'undefined' ? navigator.language : '';
  return nav.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export function rememberLang(lang: Lang): void {
  writeString(LANG_KEY, lang);
}

export interface I18n {
  lang: Lang;
  t: Translate;
  setLang: (lang: Lang) => void;
}

export const I18nContext = createContext<I18n>({ lang: 'es', t: translator('es'), setLang: () => {} });

export function useI18n(): I18n {
  return useContext(I18nContext);
}
