import { useState } from 'react';
import type { ResultView } from '../game/controller';
import type { ReactionStats } from '../game/reaction';
import { useI18n } from '../i18n';
import type { BoardRank, RankState } from '../rankWatch';
import { resultCardData } from '../resultCard';
import type { Mode } from '../rules';
import { gameLink, shareResult, type ShareOutcome } from '../share';
import { ResultCard } from './ResultCard';

interface Props {
  mode: Mode;
  result: ResultView;
  ranks: RankState;
  reaction: ReactionStats | null;
  level: number;
  onPlayAgain: () => void;
  onRetry: () => void;
}

function RankValue({ rank, testId }: { rank: BoardRank; testId: string }) {
  const { t } = useI18n();
  if (rank.status === 'ranked')
    return (
      <dd data-testid={testId} data-rank={rank.rank}>
        #{rank.rank}
      </dd>
    );
  return (
    <dd data-testid={testId} className="muted">
      {rank.status === 'waiting' ? t('rankWaiting') : t('rankLater')}
    </dd>
  );
}

/**
 * GameOverCard is the end of a game, over the board (so nothing moves when
 * it appears): the score, the server's verdict, the ranks on today's and the
 * all-time board and whether it is a personal best (as they arrive), the
 * reaction times of a classic game, play again and share.
 */
export function GameOverCard({ mode, result, ranks, reaction, level, onPlayAgain, onRetry }: Props) {
  const { t } = useI18n();
  const [shared, setShared] = useState<ShareOutcome | null>(null);
  const d = resultCardData(result, ranks, reaction, level);

  const share = async () => {
    const text = t('shareText', { score: d.score, mode: t(mode), level: d.level });
    setShared(await shareResult({ title: t('shareTitle'), text, url: gameLink(location.origin) }));
  };

  return (
    <section className="overlay overlay--over" data-testid="over-card" aria-labelledby="over-title">
      <h3 id="over-title" className="overlay__title">
        {d.practice ? t('practiceTitle') : t('overTitle')}
      </h3>
      <p className="over__score">
        <span data-testid="final-score" data-confirmed={d.confirmed || undefined}>
          {d.score}
        </span>{' '}
        <span className="over__unit">{d.confirmed ? t('points') : `${t('points')}, ${t('unconfirmed')}`}</span>
      </p>
      {d.best?.status === 'new' && (
        <p className="over__best" data-testid="new-best">
          ★ {t('newBest')}
        </p>
      )}
      {d.best?.status === 'old' && (
        <p className="over__line" data-testid="best">
          {t('yourBest', { score: d.best.score })}
        </p>
      )}
      {d.day && d.all && (
        <dl className="over__ranks" data-testid="ranks">
          <div>
            <dt>{t('rankDay')}</dt>
            <RankValue rank={d.day} testId="rank-day" />
          </div>
          <div>
            <dt>{t('rankAll')}</dt>
            <RankValue rank={d.all} testId="rank-all" />
          </div>
        </dl>
      )}
      {d.reaction && (
        <p className="over__line" data-testid="reaction">
          {t('reaction', { avg: d.reaction.averageMs, best: d.reaction.bestMs })}
        </p>
      )}
      <ResultCard result={result} onRetry={onRetry} />
      <div className="over__actions">
        <button type="button" className="btn btn--small btn--primary-small" data-testid="play-again" onClick={onPlayAgain}>
          {t('playAgain')}
        </button>
        {d.shareable && (
          <button type="button" className="btn btn--small" data-testid="share" onClick={() => void share()}>
            {t('share')}
          </button>
        )}
      </div>
      {(shared === 'copied' || shared === 'failed') && (
        <p className="over__line" data-testid="share-note" role="status">
          {shared === 'copied' ? t('shareCopied') : t('shareFailed')}
        </p>
      )}
    </section>
  );
}
