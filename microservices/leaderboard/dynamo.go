package leaderboard

// DynamoStore keeps the boards in the Leaderboard table (keys pk/sk,
// strings; TTL on expiresAt). Only this service reads or writes it.
//
// # Items
//
//	item     pk                                  sk                                          attributes
//	entry    BOARD#<mode>#<periodKey>#<shard>     <10-digit MaxScore-score>#<achievedAt>#<playerId>
//	                                                                                         kind=entry playerId gameId score level achievedAt
//	                                                                                         nickname? nicknameAt? expiresAt?
//	best     PLAYER#<playerId>                   BEST#<mode>#<periodKey>                     kind=best playerId mode period periodKey gameId score level
//	                                                                                         achievedAt entryPk entrySk expiresAt?
//	profile  PLAYER#<playerId>                   PROFILE                                     kind=profile nickname nicknameAt
//	outbox   OUTBOX#<eventId>                    OUTBOX                                      platform.OutboxPut (LeaderboardEntered)
//
// periodKey is "all", a UTC date (2026-11-21) or an ISO week (2026-W47), so
// the three boards of a mode never share a key. achievedAt is UTC to the
// millisecond in fixed width (2026-11-21T10:04:05.123Z); nicknameAt is Unix
// milliseconds.
//
// # Entries: a board sorted by its sort key
//
// An entry's sk is the ranking order itself: the score inverted and
// zero-padded (MaxScore-score in 10 digits), so that ascending sk is the
// highest score first; then achievedAt ascending (the earlier of equal
// scores ranks higher); then playerId, which makes the order total, so a
// rank is a position and a page boundary is exact. A top N is a Query
// reading the first N items of the partition: no scan, no sort in memory
// beyond merging shards, and no GSI (an entry is written once, not twice).
//
// # Write sharding: Shards partitions per board
//
// A board's entries are spread over Shards item collections,
// shard = FNV-1a(playerId) % Shards, so one player always lands in the same
// shard and their old entry is deleted from the partition the new one is
// written to. Every improvement costs about 4 WCU in the board's shard (a
// transactional put of the new entry and delete of the old one, 2 WCU each
// for items under 1 KB). A partition takes at most 1,000 WCU/s, so one
// unsharded board would throttle at ~250 improvements a second (a daily
// board near midnight UTC sees every player's first game as one); 8 shards
// raise that to ~2,000/s per board, ~8,000 WCU/s, while keeping reads
// cheap: a page of N reads at most Shards*N items (MaxItemsPerTop10Read for
// a top 10, about 4 RCU eventually consistent), whatever the number of
// players. Going further trades read cost linearly for write headroom.
// Shards is part of the key design: changing it means rewriting the boards.
//
// # Best items: one per player and board
//
// The player's partition holds their best game on each board they are on
// (and their profile). The best item is what concurrent writers agree on:
// RecordGame reads it consistently, and its transaction puts the new best
// only if the best is still what it read (attribute_not_exists(pk), or the
// same entrySk and gameId). A writer that loses re-reads and decides again,
// so concurrent games of one player cannot leave two entries on a board.
// The best item points at the entry (entryPk, entrySk), which is how the
// old entry is deleted and how a rename finds the player's boards; there
// are at most len(Modes)*(1+~33 days+~15 weeks) of them (see retention in
// leaderboard.go), and expired ones are filtered out, which bounds a rename.
//
// # Nicknames
//
// GameFinished carries no nickname, so the profile item keeps the latest
// name learnt from PlayerRegistered/PlayerRenamed: it is replaced only by a
// name that Supersedes it (newer nicknameAt, ties by name), so an older
// rename arriving late changes nothing. Entries copy the name at write
// time. A rename first updates the profile, then (reading the best items
// consistently) every entry, each conditional on the entry's nicknameAt not
// being newer. RecordGame's transaction holds a ConditionCheck that the
// profile is still the one it read, so a game racing a rename either
// commits before the rename lists the boards (and gets renamed) or fails
// and retries with the new name. An entry without a name is shown with
// FallbackNickname.
//
// # Rank
//
// A player's rank is 1 + the entries ahead of theirs: per shard a
// Select=COUNT query of sk < theirs, summed. DynamoDB reads every counted
// item, so this costs about rank * 300 B / 4 KB * 0.5 RCU: ~40 RCU at rank
// 1,000, ~4,000 RCU at rank 100,000 (1 MB pages, the shards in parallel).
// That is acceptable because it is paid only by the per-player route (one
// player looking at their own standing, typically after a game), on daily
// and weekly boards that hold only that period's players, while pages of a
// board never count (a cursor carries the rank it ended at) and
// LeaderboardEntered counts with Limit TopSize per shard (at most
// Shards*TopSize items, since only "is it in the top 10" matters). Exact
// ranks deep in a huge all-time board would need per-shard score-bucket
// counters; updating them in the score's transaction makes the popular
// buckets hot items that conflict, so it is not done until a board needs it.
//
// # The top-10 gate
//
// Deciding whether a game entered a board's top 10 is a count on every
// shard; at thousands of improvements a second that is most of a board
// shard's reads (docs/SCALE.md). A board's 10th-best sort key only ever
// gets better (entries are added, or replaced by the same player's better
// one; a board's entries expire together), so a game whose key sorts after
// a 10th-best key read earlier is certainly not in the top 10 now. Each
// store keeps every board's 10th-best key, read at most once every
// TenthRefresh, and counts only for games ahead of it: an exact answer,
// and a count only for the rare game that may enter the top 10.
//
// # Retention
//
// Day and week entries and best items carry expiresAt (see Board.ExpiresAt),
// so past boards drop out by TTL; the all-time board is kept. A late game for
// a period that is no longer kept is not recorded there.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Shards is how many partitions each board's entries are spread over.
const Shards = 8

// MaxItemsPerTop10Read is the most items a top-10 read touches: 10 from
// each shard, whatever the number of players (asserted in dynamo_test.go).
const MaxItemsPerTop10Read = Shards * 10

// recordAttempts bounds RecordGame's optimistic retries before the event
// goes back to the queue (which retries it later, then dead-letters it).
const recordAttempts = 6

const (
	kindEntry   = "entry"
	kindBest    = "best"
	kindProfile = "profile"
	profileSK   = "PROFILE"
	// skTime is achievedAt in keys and attributes: fixed width, so it sorts.
	skTime = "2006-01-02T15:04:05.000Z"
)

// TenthRefresh is how often a store rereads a board's 10th-best key (see
// "The top-10 gate"); a tenth of it while the board has fewer than TopSize
// entries, as a new day's board fills. A staler key is still exact, only
// gates less.
const TenthRefresh = time.Second

// TenthRefreshEvery is the reread interval after a read that found a full
// top TopSize, or not.
func TenthRefreshEvery(full bool) time.Duration {
	if full {
		return TenthRefresh
	}
	return TenthRefresh / 10
}

// DynamoStore is the Store on DynamoDB.
type DynamoStore struct {
	db    platform.DynamoAPI
	table string
	now   func() time.Time

	mu           sync.Mutex
	tenths       map[Board]tenth               // per board, its 10th-best key when last read
	refreshEvery func(full bool) time.Duration // TenthRefreshEvery; tests hold the key longer
}

type tenth struct {
	sk   string // "" while the board has fewer than TopSize entries
	read time.Time
}

// NewDynamoStore returns the store of table; now is the clock for event
// times and retention.
func NewDynamoStore(db platform.DynamoAPI, table string, now func() time.Time) *DynamoStore {
	return &DynamoStore{db: db, table: table, now: now, refreshEvery: TenthRefreshEvery}
}

// ---------------------------------------------------------------- keys

func shardOf(playerID string) int { return ShardOf(playerID, Shards) }

func boardPK(b Board, shard int) string {
	return "BOARD#" + string(b.Mode) + "#" + b.Key + "#" + strconv.Itoa(shard)
}

func rankSK(score int, at time.Time, playerID string) string {
	return fmt.Sprintf("%010d#%s#%s", MaxScore-score, at.UTC().Format(skTime), playerID)
}

func entrySK(g Game) string        { return rankSK(g.Score, g.AchievedAt, g.PlayerID) }
func positionSK(p Position) string { return rankSK(p.Score, p.AchievedAt, p.PlayerID) }
func playerPK(playerID string) string {
	return "PLAYER#" + playerID
}
func bestSK(b Board) string { return "BEST#" + string(b.Mode) + "#" + b.Key }

// ---------------------------------------------------------------- items

func str(v string) ddbtypes.AttributeValue { return &ddbtypes.AttributeValueMemberS{Value: v} }
func num(v int64) ddbtypes.AttributeValue {
	return &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

func key(pk, sk string) map[string]ddbtypes.AttributeValue {
	return map[string]ddbtypes.AttributeValue{"pk": str(pk), "sk": str(sk)}
}

func entryItem(b Board, g Game, nick *Nickname) map[string]ddbtypes.AttributeValue {
	item := key(boardPK(b, shardOf(g.PlayerID)), entrySK(g))
	item["kind"] = str(kindEntry)
	item["playerId"] = str(g.PlayerID)
	item["gameId"] = str(g.GameID)
	item["score"] = num(int64(g.Score))
	item["level"] = num(int64(g.Level))
	item["achievedAt"] = str(g.AchievedAt.UTC().Format(skTime))
	if nick != nil {
		item["nickname"] = str(nick.Name)
		item["nicknameAt"] = num(nick.At.UnixMilli())
	}
	if exp, ok := b.ExpiresAt(); ok {
		item["expiresAt"] = num(exp.Unix())
	}
	return item
}

func bestItem(b Board, g Game) map[string]ddbtypes.AttributeValue {
	item := key(playerPK(g.PlayerID), bestSK(b))
	item["kind"] = str(kindBest)
	item["playerId"] = str(g.PlayerID)
	item["mode"] = str(string(b.Mode))
	item["period"] = str(string(b.Period))
	item["periodKey"] = str(b.Key)
	item["gameId"] = str(g.GameID)
	item["score"] = num(int64(g.Score))
	item["level"] = num(int64(g.Level))
	item["achievedAt"] = str(g.AchievedAt.UTC().Format(skTime))
	item["entryPk"] = str(boardPK(b, shardOf(g.PlayerID)))
	item["entrySk"] = str(entrySK(g))
	if exp, ok := b.ExpiresAt(); ok {
		item["expiresAt"] = num(exp.Unix())
	}
	return item
}

func getS(item map[string]ddbtypes.AttributeValue, name string) (string, bool) {
	v, ok := item[name].(*ddbtypes.AttributeValueMemberS)
	if !ok {
		return "", false
	}
	return v.Value, true
}

func getN(item map[string]ddbtypes.AttributeValue, name string) (int64, bool) {
	v, ok := item[name].(*ddbtypes.AttributeValueMemberN)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v.Value, 10, 64)
	return n, err == nil
}

// gameOf reads the game fields shared by entry and best items.
func gameOf(item map[string]ddbtypes.AttributeValue, m Mode) (Game, error) {
	pid, ok1 := getS(item, "playerId")
	gid, ok2 := getS(item, "gameId")
	score, ok3 := getN(item, "score")
	level, ok4 := getN(item, "level")
	at, ok5 := getS(item, "achievedAt")
	t, err := time.Parse(skTime, at)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || err != nil {
		pk, _ := getS(item, "pk")
		sk, _ := getS(item, "sk")
		return Game{}, fmt.Errorf("malformed item %s %s", pk, sk)
	}
	return Game{PlayerID: pid, GameID: gid, Mode: m, Score: int(score), Level: int(level), AchievedAt: t}, nil
}

func entryOf(item map[string]ddbtypes.AttributeValue) (Entry, error) {
	g, err := gameOf(item, "")
	if err != nil {
		return Entry{}, err
	}
	name, ok := getS(item, "nickname")
	if !ok {
		name = FallbackNickname(g.PlayerID)
	}
	return Entry{PlayerID: g.PlayerID, Nickname: name, Score: g.Score, Level: g.Level, GameID: g.GameID, AchievedAt: g.AchievedAt}, nil
}

// best is a player's best item as read.
type best struct {
	game             Game
	entryPK, entrySK string
}

func bestOf(item map[string]ddbtypes.AttributeValue, m Mode) (best, error) {
	g, err := gameOf(item, m)
	pk, ok1 := getS(item, "entryPk")
	sk, ok2 := getS(item, "entrySk")
	if err == nil && (!ok1 || !ok2) {
		err = fmt.Errorf("best item of %s has no entry key", g.PlayerID)
	}
	return best{game: g, entryPK: pk, entrySK: sk}, err
}

func nicknameOf(item map[string]ddbtypes.AttributeValue) *Nickname {
	name, ok1 := getS(item, "nickname")
	at, ok2 := getN(item, "nicknameAt")
	if !ok1 || !ok2 {
		return nil
	}
	return &Nickname{Name: name, At: time.UnixMilli(at).UTC()}
}

// ---------------------------------------------------------------- reads

// fanOut runs f for 0..n-1 concurrently (one query per shard at a time, so
// a read's latency is one round trip, not Shards) and returns the first error.
func fanOut(n int, f func(i int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = f(i) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// shardEntries queries every shard of b for up to limit entries on one side
// of sk ("" and forward: from the top) and returns them merged, nearest
// first, with whether any shard had more.
func (s *DynamoStore) shardEntries(ctx context.Context, b Board, sk string, forward bool, limit int) ([]Entry, bool, error) {
	lists := make([][]map[string]ddbtypes.AttributeValue, Shards)
	more := make([]bool, Shards)
	err := fanOut(Shards, func(shard int) error {
		in := &dynamodb.QueryInput{
			TableName:                 aws.String(s.table),
			KeyConditionExpression:    aws.String("pk = :pk"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":pk": str(boardPK(b, shard))},
			ScanIndexForward:          aws.Bool(forward),
			Limit:                     aws.Int32(int32(limit)),
		}
		if sk != "" {
			op := " AND sk > :sk"
			if !forward {
				op = " AND sk < :sk"
			}
			in.KeyConditionExpression = aws.String("pk = :pk" + op)
			in.ExpressionAttributeValues[":sk"] = str(sk)
		}
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return fmt.Errorf("query %s: %w", boardPK(b, shard), err)
		}
		lists[shard], more[shard] = out.Items, out.LastEvaluatedKey != nil
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	type keyed struct {
		sk string
		e  Entry
	}
	var all []keyed
	for _, items := range lists {
		for _, item := range items {
			e, err := entryOf(item)
			if err != nil {
				return nil, false, err
			}
			k, _ := getS(item, "sk")
			all = append(all, keyed{k, e})
		}
	}
	slices.SortFunc(all, func(a, b keyed) int {
		if forward {
			return compareStrings(a.sk, b.sk)
		}
		return compareStrings(b.sk, a.sk)
	})
	hasMore := slices.Contains(more, true)
	if len(all) > limit {
		all, hasMore = all[:limit], true
	}
	out := make([]Entry, len(all))
	for i, k := range all {
		out[i] = k.e
	}
	return out, hasMore, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Top reads one page: at most limit items from each shard (Shards*limit in
// all), merged.
func (s *DynamoStore) Top(ctx context.Context, b Board, limit int, after *Position) (Page, error) {
	from, rank := "", 0
	if after != nil {
		from, rank = positionSK(*after), after.Rank
	}
	entries, more, err := s.shardEntries(ctx, b, from, true, limit)
	if err != nil {
		return Page{}, fmt.Errorf("read board %s: %w", b, err)
	}
	for i := range entries {
		entries[i].Rank = rank + i + 1
	}
	page := Page{Board: b, Entries: entries}
	// A shard that stopped at its limit may have had nothing more; then the
	// next page is empty, as with DynamoDB's own LastEvaluatedKey.
	if more && len(entries) == limit {
		p := PositionOf(entries[len(entries)-1])
		page.Next = &p
	}
	return page, nil
}

// outsideTop reports whether an entry keyed sk is certainly outside b's
// top TopSize, from the board's 10th-best key (reread as TenthRefreshEvery
// says; see "The top-10 gate"). false means "count to know": also
// when the key cannot be read.
func (s *DynamoStore) outsideTop(ctx context.Context, b Board, sk string) bool {
	s.mu.Lock()
	t, ok := s.tenths[b]
	s.mu.Unlock()
	if !ok || time.Since(t.read) >= s.refreshEvery(t.sk != "") {
		read := time.Now()
		top, _, err := s.shardEntries(ctx, b, "", true, TopSize)
		if err != nil {
			return false
		}
		t = tenth{read: read}
		if len(top) == TopSize {
			t.sk = positionSK(PositionOf(top[TopSize-1]))
		}
		s.mu.Lock()
		if s.tenths == nil {
			s.tenths = map[Board]tenth{}
		}
		if !ok { // a new board: forget the ones no game can reach any more
			for old := range s.tenths {
				if old.Expired(s.now()) {
					delete(s.tenths, old)
				}
			}
		}
		s.tenths[b] = t
		s.mu.Unlock()
	}
	return t.sk != "" && sk > t.sk
}

// countAhead counts the entries of b ranked ahead of sk. With limit > 0 it
// reads at most limit per shard (enough to tell whether sk is in a top
// limit); with 0 it counts them all, paging through each shard.
func (s *DynamoStore) countAhead(ctx context.Context, b Board, sk string, limit int) (int, error) {
	counts := make([]int, Shards)
	err := fanOut(Shards, func(shard int) error {
		in := &dynamodb.QueryInput{
			TableName:              aws.String(s.table),
			KeyConditionExpression: aws.String("pk = :pk AND sk < :sk"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
				":pk": str(boardPK(b, shard)), ":sk": str(sk)},
			Select: ddbtypes.SelectCount,
		}
		if limit > 0 {
			in.Limit = aws.Int32(int32(limit))
		}
		for {
			out, err := s.db.Query(ctx, in)
			if err != nil {
				return fmt.Errorf("count %s: %w", boardPK(b, shard), err)
			}
			counts[shard] += int(out.Count)
			if limit > 0 || out.LastEvaluatedKey == nil {
				return nil
			}
			in.ExclusiveStartKey = out.LastEvaluatedKey
		}
	})
	total := 0
	for _, c := range counts {
		total += c
	}
	return total, err
}

// Standing reads the player's best item (which points at their entry), then
// in parallel the entry, its rank and its neighbours.
func (s *DynamoStore) Standing(ctx context.Context, b Board, playerID string, around int) (Standing, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: key(playerPK(playerID), bestSK(b))})
	if err != nil {
		return Standing{}, fmt.Errorf("read best of %s on %s: %w", playerID, b, err)
	}
	if out.Item == nil {
		return Standing{}, &NotRankedError{PlayerID: playerID, Board: b}
	}
	bst, err := bestOf(out.Item, b.Mode)
	if err != nil {
		return Standing{}, err
	}
	var (
		entryItem    map[string]ddbtypes.AttributeValue
		ahead        int
		above, below []Entry
	)
	err = fanOut(4, func(i int) error {
		var err error
		switch i {
		case 0:
			var o *dynamodb.GetItemOutput
			if o, err = s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: key(bst.entryPK, bst.entrySK)}); err == nil {
				entryItem = o.Item
			}
		case 1:
			ahead, err = s.countAhead(ctx, b, bst.entrySK, 0)
		case 2:
			if around > 0 {
				above, _, err = s.shardEntries(ctx, b, bst.entrySK, false, around)
			}
		case 3:
			if around > 0 {
				below, _, err = s.shardEntries(ctx, b, bst.entrySK, true, around)
			}
		}
		return err
	})
	if err != nil {
		return Standing{}, fmt.Errorf("read standing of %s on %s: %w", playerID, b, err)
	}
	if entryItem == nil {
		// The best was replaced between the reads: its entry moved.
		return Standing{}, &NotRankedError{PlayerID: playerID, Board: b}
	}
	e, err := entryOf(entryItem)
	if err != nil {
		return Standing{}, err
	}
	e.Rank = ahead + 1
	st := Standing{Entry: e, Neighbors: make([]Entry, 0, len(above)+len(below))}
	for i := len(above) - 1; i >= 0; i-- { // above is nearest first
		above[i].Rank = e.Rank - 1 - i
		st.Neighbors = append(st.Neighbors, above[i])
	}
	for i := range below {
		below[i].Rank = e.Rank + 1 + i
		st.Neighbors = append(st.Neighbors, below[i])
	}
	return st, nil
}

// ---------------------------------------------------------------- writes

// RecordGame puts g on its boards where it is its player's best, retrying
// when a concurrent writer changed the player's best or profile between the
// read and the transaction.
func (s *DynamoStore) RecordGame(ctx context.Context, g Game) ([]Entered, error) {
	var err error
	for attempt := 1; attempt <= recordAttempts; attempt++ {
		var entered []Entered
		if entered, err = s.recordGame(ctx, g); err == nil || !contended(err) {
			return entered, err
		}
		// Jittered backoff: 10-20 ms, doubling.
		d := time.Duration(10<<(attempt-1)) * time.Millisecond
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(d + rand.N(d)):
		}
	}
	return nil, fmt.Errorf("record game %s: still contended after %d attempts: %w", g.GameID, recordAttempts, err)
}

// contended reports whether err means another writer got there first.
func contended(err error) bool {
	if platform.IsConditionFailed(err) {
		return true
	}
	var tc *ddbtypes.TransactionCanceledException
	if errors.As(err, &tc) {
		for _, r := range tc.CancellationReasons {
			if aws.ToString(r.Code) == "TransactionConflict" {
				return true
			}
		}
	}
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "TransactionConflictException"
}

// recordGame is one optimistic attempt: read the profile and the three best
// items consistently, decide per board, write every change in one
// transaction conditioned on what was read.
func (s *DynamoStore) recordGame(ctx context.Context, g Game) ([]Entered, error) {
	now := s.now()
	var boards []Board
	for _, b := range BoardsFor(g.Mode, g.AchievedAt) {
		if !b.Expired(now) {
			boards = append(boards, b)
		}
	}
	keys := []map[string]ddbtypes.AttributeValue{key(playerPK(g.PlayerID), profileSK)}
	for _, b := range boards {
		keys = append(keys, key(playerPK(g.PlayerID), bestSK(b)))
	}
	items, err := s.getConsistent(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("read bests of %s: %w", g.PlayerID, err)
	}
	nick := nicknameOf(items[profileSK])

	var tx []ddbtypes.TransactWriteItem
	var entered []Entered
	for _, b := range boards {
		put := &ddbtypes.Put{TableName: aws.String(s.table), Item: bestItem(b, g),
			ConditionExpression: aws.String("attribute_not_exists(pk)")}
		var old *best
		if item, ok := items[bestSK(b)]; ok {
			bst, err := bestOf(item, g.Mode)
			if err != nil {
				return nil, err
			}
			if !g.Beats(bst.game) {
				continue // a repeat, or not better: nothing changes
			}
			old = &bst
			put.ConditionExpression = aws.String("entrySk = :oldSk AND gameId = :oldGame")
			put.ExpressionAttributeValues = map[string]ddbtypes.AttributeValue{
				":oldSk": str(bst.entrySK), ":oldGame": str(bst.game.GameID)}
		}
		entry := entryItem(b, g, nick)
		tx = append(tx, ddbtypes.TransactWriteItem{Put: put},
			ddbtypes.TransactWriteItem{Put: &ddbtypes.Put{TableName: aws.String(s.table), Item: entry}})
		// The same score at the same millisecond keeps the same key: the put
		// above replaces the entry, and there is nothing else to delete.
		if old != nil && (old.entryPK != boardPK(b, shardOf(g.PlayerID)) || old.entrySK != entrySK(g)) {
			tx = append(tx, ddbtypes.TransactWriteItem{Delete: &ddbtypes.Delete{
				TableName: aws.String(s.table), Key: key(old.entryPK, old.entrySK)}})
		}
		if s.outsideTop(ctx, b, entrySK(g)) {
			continue
		}
		ahead, err := s.countAhead(ctx, b, entrySK(g), TopSize)
		if err != nil {
			return nil, err
		}
		if ahead < TopSize {
			e := Entered{Board: b, Game: g, Rank: ahead + 1}
			top, topVersion, err := s.interimTop(ctx, b, g, nick)
			if err != nil {
				return nil, err
			}
			env, err := events.New(enteredEventID(b, g), "lightpress/leaderboard", events.TypeLeaderboardEntered, g.PlayerID, now,
				events.LeaderboardEntered{PlayerID: g.PlayerID, Mode: string(b.Mode), Period: string(b.Period),
					PeriodKey: b.Key, Rank: e.Rank, Score: g.Score, GameID: g.GameID, Top: top, TopVersion: topVersion}, platform.TraceParent(ctx))
			if err != nil {
				return nil, err
			}
			out, err := platform.OutboxPut(s.table, env, now)
			if err != nil {
				return nil, err
			}
			tx = append(tx, out)
			entered = append(entered, e)
		}
	}
	if len(tx) == 0 {
		return nil, nil
	}
	// The entries carry the name read above only if it is still the name.
	check := &ddbtypes.ConditionCheck{TableName: aws.String(s.table), Key: key(playerPK(g.PlayerID), profileSK),
		ConditionExpression: aws.String("attribute_not_exists(pk)")}
	if nick != nil {
		check.ConditionExpression = aws.String("nickname = :n AND nicknameAt = :at")
		check.ExpressionAttributeValues = map[string]ddbtypes.AttributeValue{":n": str(nick.Name), ":at": num(nick.At.UnixMilli())}
	}
	tx = append(tx, ddbtypes.TransactWriteItem{ConditionCheck: check})
	if _, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx}); err != nil {
		return nil, fmt.Errorf("record game %s of %s: %w", g.GameID, g.PlayerID, err)
	}
	return entered, nil
}

// enteredEventID is the LeaderboardEntered event's id, derived from the
// board and the game so that the same entry can never make two events (the
// outbox put is conditional on the id), whatever retries happen.
func enteredEventID(b Board, g Game) string {
	sum := sha256.Sum256([]byte("LeaderboardEntered/" + b.String() + "/" + g.PlayerID + "/" + g.GameID))
	sum[6] = sum[6]&0x0f | 0x50 // shaped as a name-based UUID (version 5, variant 10)
	sum[8] = sum[8]&0x3f | 0x80
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// getConsistent reads keys of this table with strongly consistent reads and
// returns the items found by sk (the keys share one partition).
func (s *DynamoStore) getConsistent(ctx context.Context, keys []map[string]ddbtypes.AttributeValue) (map[string]map[string]ddbtypes.AttributeValue, error) {
	found := map[string]map[string]ddbtypes.AttributeValue{}
	req := map[string]ddbtypes.KeysAndAttributes{s.table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
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
			sk, _ := getS(item, "sk")
			found[sk] = item
		}
		req = out.UnprocessedKeys
	}
	return found, nil
}

// RecordNickname stores the player's name unless a newer one is known, then
// shows it on every board the player is on (one conditional update each,
// bounded by the boards kept; see the key design above).
func (s *DynamoStore) RecordNickname(ctx context.Context, playerID string, n Nickname) error {
	vals := map[string]ddbtypes.AttributeValue{":n": str(n.Name), ":at": num(n.At.UnixMilli())}
	// Supersedes, as a condition: newer, or as new and a name sorting the
	// same or later.
	const newer = "nicknameAt < :at OR (nicknameAt = :at AND nickname <= :n)"
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.table),
		Key:                       key(playerPK(playerID), profileSK),
		UpdateExpression:          aws.String("SET #kind = :kind, nickname = :n, nicknameAt = :at"),
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR " + newer),
		ExpressionAttributeNames:  map[string]string{"#kind": "kind"},
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":n": vals[":n"], ":at": vals[":at"], ":kind": str(kindProfile)},
	})
	if platform.IsConditionFailed(err) {
		return nil // a newer name is known; its own event updated (or updates) the boards
	}
	if err != nil {
		return fmt.Errorf("store nickname of %s: %w", playerID, err)
	}
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :best)"),
		FilterExpression:       aws.String("attribute_not_exists(expiresAt) OR expiresAt > :now"),
		ProjectionExpression:   aws.String("entryPk, entrySk"),
		ConsistentRead:         aws.Bool(true), // sees every game committed before the profile changed
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
			":pk": str(playerPK(playerID)), ":best": str("BEST#"), ":now": num(s.now().Unix())},
	}
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return fmt.Errorf("list boards of %s: %w", playerID, err)
		}
		for _, item := range out.Items {
			pk, _ := getS(item, "entryPk")
			sk, _ := getS(item, "entrySk")
			_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
				TableName:        aws.String(s.table),
				Key:              key(pk, sk),
				UpdateExpression: aws.String("SET nickname = :n, nicknameAt = :at"),
				// The entry must still exist (a game may just have replaced
				// it) and not show a newer name.
				ConditionExpression:       aws.String("attribute_exists(pk) AND (attribute_not_exists(nicknameAt) OR " + newer + ")"),
				ExpressionAttributeValues: vals,
			})
			if err != nil && !platform.IsConditionFailed(err) {
				return fmt.Errorf("rename entry %s of %s: %w", pk, playerID, err)
			}
		}
		if out.LastEvaluatedKey == nil {
			return nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
