import type { ControllerState } from '../game/controller';
import { isBusy } from '../game/controller';
import { howToUp, type HowToState } from '../howto';
import type { RankState } from '../rankWatch';
import { Countdown } from './Countdown';
import { GameOverCard } from './GameOverCard';
import { HowToPlay } from './HowToPlay';

interface Props {
  game: ControllerState;
  howto: HowToState;
  ranks: RankState;
  onDismissHowTo: () => void;
  onPlayAgain: () => void;
  onRetry: () => void;
}

/**
 * BoardOverlay is what covers the board, if anything: the how-to card of
 * the mode (first visit, or opened again), the countdown, or the result
 * card of the game that just ended.
 */
export function BoardOverlay({ game, howto, ranks, onDismissHowTo, onPlayAgain, onRetry }: Props) {
  const { stage, mode, result } = game;
  if (!isBusy(stage) && howToUp(howto, mode, false)) return <HowToPlay mode={mode} onDismiss={onDismissHowTo} />;
  if (stage === 'ready' || stage === 'starting') return <Countdown beats={stage === 'ready' ? game.countdown : 0} practice={game.practice} />;
  if (stage === 'over' && result)
    return (
      <GameOverCard
        key={'gameId' in result ? result.gameId : 'practice'}
        mode={game.snapshot?.mode ?? mode}
        result={result}
        ranks={ranks}
        reaction={game.reaction}
        level={game.snapshot?.level ?? 1}
        onPlayAgain={onPlayAgain}
        onRetry={onRetry}
      />
    );
  return null;
}
