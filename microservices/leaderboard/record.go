package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// RecordGame puts g on its boards where it is its player's best: it reads
// what ranking.PlanGame needs (one BatchGetItem: the player's profile and
// bests, and the tops the gate does not rule out), plans, and writes the
// plan in one transaction conditioned on what was read. A writer that lost
// to a concurrent one (a game, a rename) reads again and plans again.
func (s *DynamoStore) RecordGame(ctx context.Context, g ranking.Game) ([]ranking.Entered, error) {
	entered, err := platform.Optimistic(ctx, recordAttempts, func(ctx context.Context, attempt int) ([]ranking.Entered, error) {
		st, err := s.readState(ctx, g, attempt > 1)
		if err != nil {
			return nil, err
		}
		p := ranking.PlanGame(g, st.nick, st.boards)
		return p.Entered(), s.execute(ctx, p, st)
	})
	if err != nil {
		return nil, fmt.Errorf("record game %s of %s: %w", g.GameID, g.PlayerID, err)
	}
	return entered, nil
}

// gameState is what one attempt read: the plan's input, and the items the
// transaction's conditions hold on to.
type gameState struct {
	nick   *ranking.Nickname
	boards []ranking.BoardState
	bests  map[ranking.Board]bestItem // as read, where the player has one
}

// readState reads the player's profile, their best on each board g counts
// on, and each board's top unless the gate says g is behind it; a top not
// stored yet is merged from the board's shards.
func (s *DynamoStore) readState(ctx context.Context, g ranking.Game, consistent bool) (gameState, error) {
	boards := ranking.BoardsOf(g, s.now())
	keys := []map[string]ddbtypes.AttributeValue{platform.NicknameKey(g.PlayerID)}
	readTop := map[ranking.Board]bool{}
	for _, b := range boards {
		keys = append(keys, platform.Key(playerPK(g.PlayerID), bestSK(b)))
		if readTop[b] = !s.gate.Outside(b, g); readTop[b] {
			keys = append(keys, platform.Key(topPK(b), topSK))
		}
	}
	items, err := s.batchGet(ctx, keys, consistent)
	if err != nil {
		return gameState{}, fmt.Errorf("read bests of %s: %w", g.PlayerID, err)
	}
	st := gameState{bests: map[ranking.Board]bestItem{}}
	if item, ok := items[playerPK(g.PlayerID)+"/"+profileSK]; ok {
		p, err := platform.UnmarshalItem[platform.NicknameItem](item)
		if err != nil {
			return gameState{}, err
		}
		st.nick = nicknameOf(p.Nickname, p.NicknameAt)
	}
	for _, b := range boards {
		bs := ranking.BoardState{Board: b}
		if item, ok := items[playerPK(g.PlayerID)+"/"+bestSK(b)]; ok {
			best, err := platform.UnmarshalItem[bestItem](item)
			if err != nil {
				return gameState{}, err
			}
			st.bests[b] = best
			game := best.game()
			bs.Best = &game
		}
		if readTop[b] {
			top, err := s.topOf(ctx, b, items[topPK(b)+"/"+topSK])
			if err != nil {
				return gameState{}, err
			}
			bs.Top = &top
		}
		st.boards = append(st.boards, bs)
	}
	return st, nil
}

// execute writes plan p in one transaction, each write conditioned on the
// state it was planned from: the best, the top's version, the name.
func (s *DynamoStore) execute(ctx context.Context, p ranking.Plan, st gameState) error {
	if len(p.Writes) == 0 {
		return nil
	}
	now := s.now()
	var tx []ddbtypes.TransactWriteItem
	put := func(v any, cond string, vals map[string]ddbtypes.AttributeValue) error {
		w, err := platform.Put(s.table, v, cond, vals)
		tx = append(tx, w)
		return err
	}
	for _, w := range p.Writes {
		entry := newEntryItem(w.Board, p.Game, p.Nickname)
		var err error
		if w.Replaces != nil {
			old := st.bests[w.Board] // the item the replaced best was read from
			err = put(newBestItem(w.Board, p.Game), "entrySk = :oldSk AND gameId = :oldGame",
				map[string]ddbtypes.AttributeValue{":oldSk": platform.S(old.EntrySK), ":oldGame": platform.S(old.GameID)})
			// The same score at the same millisecond keeps the same key: the
			// entry's put replaces it, and there is nothing else to delete.
			if old.EntryPK != entry.PK || old.EntrySK != entry.SK {
				tx = append(tx, ddbtypes.TransactWriteItem{Delete: &ddbtypes.Delete{TableName: aws.String(s.table), Key: platform.Key(old.EntryPK, old.EntrySK)}})
			}
		} else {
			err = put(newBestItem(w.Board, p.Game), platform.IfAbsent, nil)
		}
		if err == nil {
			err = put(entry, "", nil)
		}
		if err == nil && w.Top != nil {
			err = s.putTop(put, w.Board, *w.Top)
		}
		if err == nil && w.Entered != nil {
			err = s.putEvent(ctx, &tx, *w.Entered, now)
		}
		if err != nil {
			return err
		}
	}
	// The entries carry the name read with the bests only if it is still the name.
	check := &ddbtypes.ConditionCheck{TableName: aws.String(s.table), Key: platform.NicknameKey(p.Game.PlayerID),
		ConditionExpression: aws.String(platform.IfAbsent)}
	if p.Nickname != nil {
		check.ConditionExpression = aws.String("nickname = :n AND nicknameAt = :at")
		check.ExpressionAttributeValues = map[string]ddbtypes.AttributeValue{":n": platform.S(p.Nickname.Name), ":at": platform.N(p.Nickname.At.UnixMilli())}
	}
	tx = append(tx, ddbtypes.TransactWriteItem{ConditionCheck: check})
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx}); err != nil {
		return err
	}
	for _, w := range p.Writes {
		if w.Top != nil {
			s.gate.Saw(w.Board, *w.Top)
		}
	}
	return nil
}

// putTop adds the put of b's new top t, conditioned on the top still being
// the version t was made from (none yet, for version 1).
func (s *DynamoStore) putTop(put func(any, string, map[string]ddbtypes.AttributeValue) error, b ranking.Board, t ranking.Top) error {
	if t.Version == 1 {
		return put(newTopItem(b, t), platform.IfAbsent, nil)
	}
	return put(newTopItem(b, t), "version = :v", map[string]ddbtypes.AttributeValue{":v": platform.N(t.Version - 1)})
}

// putEvent adds the outbox item of the event e.
func (s *DynamoStore) putEvent(ctx context.Context, tx *[]ddbtypes.TransactWriteItem, e ranking.Entered, now time.Time) error {
	env, err := events.New(e.EventID(), "lightpress/leaderboard", events.TypeLeaderboardEntered, e.Game.PlayerID, now,
		e.Data(), platform.TraceParent(ctx))
	if err != nil {
		return err
	}
	out, err := platform.OutboxPut(s.table, env, now)
	if err != nil {
		return err
	}
	*tx = append(*tx, out)
	return nil
}

// batchGet reads keys of this table in one BatchGetItem (again for any the
// table left unprocessed) and returns the items found by "pk/sk".
func (s *DynamoStore) batchGet(ctx context.Context, keys []map[string]ddbtypes.AttributeValue, consistent bool) (map[string]map[string]ddbtypes.AttributeValue, error) {
	found := map[string]map[string]ddbtypes.AttributeValue{}
	for len(keys) > 0 {
		n := min(len(keys), 100) // BatchGetItem's limit
		req := map[string]ddbtypes.KeysAndAttributes{s.table: {Keys: keys[:n], ConsistentRead: aws.Bool(consistent)}}
		keys = keys[n:]
		for attempt := 0; len(req) > 0; attempt++ {
			if attempt == 5 {
				return nil, errors.New("batch get: keys still unprocessed after 5 attempts")
			}
			if attempt > 0 {
				select {
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-time.After(time.Duration(attempt*20) * time.Millisecond):
				}
			}
			out, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return nil, err
			}
			for _, item := range out.Responses[s.table] {
				k, err := platform.UnmarshalItem[platform.ItemKey](item)
				if err != nil {
					return nil, err
				}
				found[k.PK+"/"+k.SK] = item
			}
			req = out.UnprocessedKeys
		}
	}
	return found, nil
}
