// Texts of the game in Spanish (the original language, ORIGINAL_GAME.md) and
// English. Every visible string goes through here.

import { createContext, useContext } from 'react';
import { readString, writeString } from './storage';

export type Lang = 'es' | 'en';
export const LANGS: readonly Lang[] = ['es', 'en'];
const LANG_KEY = 'lightpress.lang';

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
  resultHeld: 'Partida en revisión: {score} puntos, pendientes de que un moderador la revise.',
  resultHeldWhy: 'No parecía jugada por una persona. Hasta la revisión no cuenta en la clasificación ni en tus estadísticas.',
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
  // replays
  replayColumn: 'Repetición',
  watch: 'Ver',
  watchLabel: 'Ver la repetición de la partida de {name} ({score} puntos)',
  replayTitle: 'Repetición: {name}',
  replayRank: 'Puesto #{rank}, {score} puntos. Las pulsaciones guardadas por el servidor, en el tablero real y con las reglas reales.',
  replayScore: '{score} puntos. Las pulsaciones guardadas por el servidor, en el tablero real y con las reglas reales.',
  replayUnavailable: 'Esta repetición no está disponible.',
  replayPlay: 'Reproducir',
  replayPause: 'Pausa',
  replayAgain: 'Ver otra vez',
  replayRestart: 'Desde el principio',
  replaySpeed: 'Velocidad',
  replayProgress: 'Progreso de la repetición',
  replayTime: '{now} s de {total} s',
  replayDone: 'Fin de la partida: las reglas dan {score} puntos, como la clasificación.',
  replayDiffers: 'Fin de la partida: las reglas dan {score} puntos.',
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
  resultHeld: 'Game under review: {score} points, waiting for a moderator to check it.',
  resultHeldWhy: 'It did not look like a person played it. Until it is reviewed it counts on no leaderboard and in none of your stats.',
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
  // replays
  replayColumn: 'Replay',
  watch: 'Watch',
  watchLabel: "Watch the replay of {name}'s game ({score} points)",
  replayTitle: 'Replay: {name}',
  replayRank: 'Rank #{rank}, {score} points. The presses the server kept, on the real board, with the real rules.',
  replayScore: '{score} points. The presses the server kept, on the real board, with the real rules.',
  replayUnavailable: 'This replay is not available.',
  replayPlay: 'Play',
  replayPause: 'Pause',
  replayAgain: 'Watch again',
  replayRestart: 'From the start',
  replaySpeed: 'Speed',
  replayProgress: 'Replay progress',
  replayTime: '{now} s of {total} s',
  replayDone: 'End of the game: the rules give {score} points, as the leaderboard does.',
  replayDiffers: 'End of the game: the rules give {score} points.',
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
